"""The endpoint × role × unit matrix: every route of the site and every operation of the API, what each
actor gets. `test_access_matrix.py` requests every cell; a route missing here fails that test.

Outcomes: `OK` (the request got past access control: 2xx, a redirect that is not a sign-in, or a business
refusal such as 409/422), `LOGIN` (sent to a staff sign-in page, `?next=`), `CITIZEN_LOGIN` (asked to sign
in with VNeID), or the status 401, 403, 404. Another unit's dossier answers 404, exactly like one that
does not exist; a page of a role one does not hold answers 403.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from tests.security.scene import ACTORS, ANONYMOUS, CITIZEN, CITIZENS, OTHER_CITIZEN, STAFF, Scene

OK, LOGIN, CITIZEN_LOGIN = "ok", "login", "citizen-login"
Outcome = str | int

#: Who sees the scene's dossier: its receiving center's desk and admin, the handling agency's officers,
#: the province's supervisor, the system admin. Every `other_*` does not.
SEES = frozenset({"reception", "center_admin", "specialist", "leader", "clerk", "supervisor", "admin"})
#: Who works the scene's counter: the center's desk and admin, and the system admin.
COUNTER = frozenset({"reception", "center_admin", "admin"})
#: Unit-scoped report readers of the subject commune, and the province.
SUBJECT_UNIT_REPORTS = frozenset({"specialist", "leader", "clerk", "supervisor", "admin"})
UPLOADERS = frozenset(
    {"reception", "other_reception", "specialist", "other_specialist", "leader", "other_leader", "clerk", "other_clerk"}
)


def everyone(outcome: Outcome = OK) -> dict[str, Outcome]:
    return dict.fromkeys(ACTORS, outcome)


def staff_only(
    ok: Iterable[str], *, others: Outcome = 403, signed_out: Outcome = LOGIN, **cells: Outcome
) -> dict[str, Outcome]:
    """Staff in `ok` allowed, other staff `others`, the anonymous and citizens `signed_out`; `cells`
    override single actors."""
    table: dict[str, Outcome] = {ANONYMOUS: signed_out, **dict.fromkeys(CITIZENS, signed_out)}
    allowed = set(ok)
    table |= {actor: OK if actor in allowed else others for actor in STAFF}
    return table | cells


def dossier_object(ok: Iterable[str] = SEES, *, signed_out: Outcome = LOGIN) -> dict[str, Outcome]:
    """A dossier's own page, file or action: `ok` allowed, others who see it 403, the rest 404."""
    allowed = set(ok)
    return staff_only(allowed, others=404, signed_out=signed_out) | dict.fromkeys(SEES - allowed, 403)


def citizen_own(*, other_citizen: Outcome) -> dict[str, Outcome]:
    return everyone(CITIZEN_LOGIN) | {CITIZEN: OK, OTHER_CITIZEN: other_citizen}


Build = Callable[[Scene], str]
Body = Callable[[Scene], dict[str, Any]]


@dataclass(frozen=True)
class Case:
    #: The URL resolver's pattern (`can-bo/ho-so/<str:code>/`) or `METHOD /api/v1/path` of the OpenAPI document.
    route: str
    method: str
    url: Build
    expect: dict[str, Outcome]
    body: Body | None = None
    json: bool = False
    files: bool = False
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.route if self.route.startswith(f"{self.method} /") else f"{self.method} {self.route}"


def api(method: str, path: str, url: Build, expect: dict[str, Outcome], **kw: Any) -> Case:
    return Case(f"{method} /api/v1{path}", method, url, expect, **kw)


def page(route: str, url: Build, expect: dict[str, Outcome], method: str = "GET", **kw: Any) -> Case:
    return Case(route, method, url, expect, **kw)


TODAY = timezone.localdate().isoformat()


def _unit(s: Scene) -> str:
    return s.world.subject_code


def _report(path: str) -> Build:
    return lambda s: f"/bao-cao/{path}?don-vi={_unit(s)}&ky={TODAY[:7]}"


def _counter_action(action: str) -> Build:
    return lambda s: f"/api/v1/queue/counters/{s.counter.pk}/{action}"


STAFF_API = {"signed_out": 401}
PUBLIC_SIGNED_CALLBACK = everyone(403)  # no valid partner signature: refused whoever asks

CASES: list[Case] = [
    # --- site-wide ---
    page("i18n/setlang/", lambda s: "/i18n/setlang/", everyone(), method="POST", body=lambda s: {"language": "vi"}),
    page("api/v1/openapi.json", lambda s: "/api/v1/openapi.json", everyone()),
    page("api/v1/docs", lambda s: "/api/v1/docs", everyone()),
    page("api/v1/", lambda s: "/api/v1/", everyone(404), note="no root document: the API answers under its paths"),
    # --- queue pages ---
    page("queue/login/", lambda s: "/queue/login/", everyone()),
    page("queue/logout/", lambda s: "/queue/logout/", everyone(), method="POST"),
    page("queue/t/<str:token>/", lambda s: f"/queue/t/{s.ticket.token}/", everyone()),
    page("queue/counter/<int:counter_id>/", lambda s: f"/queue/counter/{s.counter.pk}/", staff_only(COUNTER)),
    page(
        "queue/counter/<int:counter_id>/",
        lambda s: f"/queue/counter/{s.counter.pk}/",
        staff_only(COUNTER),
        method="POST",
        body=lambda s: {"action": "call_next"},
    ),
    page(
        "queue/counter/<int:counter_id>/rating/",
        lambda s: f"/queue/counter/{s.counter.pk}/rating/",
        staff_only(COUNTER),
    ),
    page(
        "queue/counter/<int:counter_id>/rating/",
        lambda s: f"/queue/counter/{s.counter.pk}/rating/",
        staff_only(COUNTER),
        method="POST",
        body=lambda s: {"score": "good", "ticket": str(s.ticket.pk)},
    ),
    page("queue/<str:center_code>/kiosk/", lambda s: f"/queue/{s.center}/kiosk/", everyone()),
    page(
        "queue/<str:center_code>/kiosk/",
        lambda s: f"/queue/{s.center}/kiosk/",
        everyone(),
        method="POST",
        body=lambda s: {"service": "A"},
    ),
    page("queue/<str:center_code>/take/", lambda s: f"/queue/{s.center}/take/", everyone()),
    page("queue/<str:center_code>/board/", lambda s: f"/queue/{s.center}/board/", everyone()),
    page("queue/<str:center_code>/board/stream/", lambda s: f"/queue/{s.center}/board/stream/", everyone()),
    page("queue/<str:center_code>/book/", lambda s: f"/queue/{s.center}/book/", everyone()),
    page(
        "queue/<str:center_code>/statistics/",
        lambda s: f"/queue/{s.center}/statistics/",
        staff_only(COUNTER | {"supervisor"}),
    ),
    # --- staff pages (/can-bo/) ---
    page(
        "can-bo/",
        lambda s: "/can-bo/",
        staff_only(STAFF, others=404),
        note="each role lands on its work queue, the desk on reception, supervisors on the reports, "
        "center administrators on their queue statistics, system administrators on the admin",
    ),
    page("can-bo/dang-nhap/", lambda s: "/can-bo/dang-nhap/", everyone()),
    page("can-bo/dang-xuat/", lambda s: "/can-bo/dang-xuat/", everyone(), method="POST"),
    page(
        "can-bo/xac-thuc/",
        lambda s: "/can-bo/xac-thuc/",
        staff_only(STAFF),
        note="the second factor of any signed-in officer",
    ),
    page(
        "can-bo/xac-thuc/",
        lambda s: "/can-bo/xac-thuc/",
        staff_only(STAFF),
        method="POST",
        body=lambda s: {"code": "000000"},
    ),
    page("can-bo/xac-thuc/dang-ky/", lambda s: "/can-bo/xac-thuc/dang-ky/", staff_only(STAFF)),
    page(
        "can-bo/xac-thuc/dang-ky/",
        lambda s: "/can-bo/xac-thuc/dang-ky/",
        staff_only(STAFF),
        method="POST",
        body=lambda s: {"code": "000000"},
    ),
    page("can-bo/tiep-nhan/", lambda s: "/can-bo/tiep-nhan/", staff_only({"reception", "other_reception"})),
    page("can-bo/ho-so/<str:code>/", lambda s: f"/can-bo/ho-so/{s.dossier.code}/", dossier_object()),
    page(
        "can-bo/ho-so/<str:code>/thao-tac/<str:action>/",
        lambda s: f"/can-bo/ho-so/{s.dossier.code}/thao-tac/forward/",
        dossier_object({"specialist"}),
        method="POST",
    ),
    page(
        "can-bo/ho-so/<str:code>/tep/<str:sha256>/",
        lambda s: f"/can-bo/ho-so/{s.dossier.code}/tep/{s.sha256}/",
        dossier_object(),
    ),
    page(
        "can-bo/ho-so/<str:code>/mau/<slug:form>.pdf",
        lambda s: f"/can-bo/ho-so/{s.dossier.code}/mau/mau01.pdf",
        dossier_object(),
    ),
    page(
        "can-bo/<slug:slug>/",
        lambda s: "/can-bo/hop-thu/",
        staff_only({"specialist", "other_specialist"}, others=404),
        note="the specialist's inbox: every specialist sees their own agency's",
    ),
    # --- dashboards (/bao-cao/), asked for the subject commune ---
    *[
        page(f"bao-cao/{path}", _report(path), staff_only(SUBJECT_UNIT_REPORTS))
        for path in ("", "ton-dong/", "den-han/", "thoi-gian/", "lien-thong/", "lay-so/")
    ],
    page(
        "bao-cao/bao-cao-dinh-ky.pdf",
        lambda s: "/bao-cao/bao-cao-dinh-ky.pdf?tinh=15",
        staff_only({"supervisor", "other_supervisor", "admin"}),
        note="a supervisor always gets their own province's report",
    ),
    page(
        "bao-cao/nhat-ky-truy-cap/",
        lambda s: "/bao-cao/nhat-ky-truy-cap/",
        staff_only({"supervisor", "other_supervisor"}),
    ),
    page(
        "bao-cao/du-lieu-ca-nhan/",
        lambda s: "/bao-cao/du-lieu-ca-nhan/",
        staff_only({"supervisor", "other_supervisor", "admin"}),
        note="the form; the export itself is a POST, province-scoped like the API's",
    ),
    # --- citizens' sign-in and the VNeID simulator ---
    page("dang-nhap/", lambda s: "/dang-nhap/", everyone()),
    page("dang-nhap/vneid/", lambda s: "/dang-nhap/vneid/", everyone(), note="no authorization code: the failure page"),
    page("dang-xuat/", lambda s: "/dang-xuat/", everyone(), method="POST"),
    page(
        "vneid-sim/.well-known/openid-configuration",
        lambda s: "/vneid-sim/.well-known/openid-configuration",
        everyone(),
    ),
    page("vneid-sim/authorize", lambda s: "/vneid-sim/authorize", everyone()),
    page("vneid-sim/token", lambda s: "/vneid-sim/token", everyone(401), method="POST"),
    page("vneid-sim/userinfo", lambda s: "/vneid-sim/userinfo", everyone(401)),
    page("vneid-sim/jwks", lambda s: "/vneid-sim/jwks", everyone()),
    # --- public portal ---
    page("", lambda s: "/", everyone()),
    page("tra-cuu/", lambda s: "/tra-cuu/?q=khai+sinh", everyone()),
    page("kiosk/", lambda s: "/kiosk/", everyone()),
    page("thu-tuc/<str:code>/", lambda s: f"/thu-tuc/{s.world.procedure.code}/", everyone()),
    page("thu-tuc/<str:code>/danh-muc.pdf", lambda s: f"/thu-tuc/{s.world.procedure.code}/danh-muc.pdf", everyone()),
    page("tra-cuu-ho-so/", lambda s: "/tra-cuu-ho-so/", everyone()),
    page(
        "tra-cuu-ho-so/",
        lambda s: "/tra-cuu-ho-so/",
        everyone(),
        method="POST",
        body=lambda s: {"code": s.dossier.code, "phone": "5678"},
    ),
    page("tra-cuu-ho-so/<str:code>", lambda s: f"/tra-cuu-ho-so/{s.dossier.code}?token={s.tracking}", everyone()),
    page(
        "tra-cuu-ho-so/<str:code>/danh-gia/",
        lambda s: f"/tra-cuu-ho-so/{s.dossier.code}/danh-gia/",
        everyone(),
        method="POST",
        body=lambda s: {"token": s.tracking, "satisfaction": "satisfied"},
    ),
    page("trung-tam/<str:code>/", lambda s: f"/trung-tam/{s.center}/", everyone()),
    # --- online submission: the signed-in citizen's own drafts only ---
    page(
        "nop-truc-tuyen/<str:code>/",
        lambda s: f"/nop-truc-tuyen/{s.world.procedure.code}/",
        citizen_own(other_citizen=OK),
    ),
    page(
        "nop-truc-tuyen/<str:code>/",
        lambda s: f"/nop-truc-tuyen/{s.world.procedure.code}/",
        citizen_own(other_citizen=OK),
        method="POST",
        body=lambda s: {"full_name": "Nguyễn Văn An"},
    ),
    page(
        "nop-truc-tuyen/<str:code>/<str:token>/",
        lambda s: f"/nop-truc-tuyen/{s.world.procedure.code}/{s.draft_token}/",
        citizen_own(other_citizen=404),
    ),
    page(
        "nop-truc-tuyen/<str:code>/<str:token>/",
        lambda s: f"/nop-truc-tuyen/{s.world.procedure.code}/{s.draft_token}/",
        citizen_own(other_citizen=404),
        method="POST",
        body=lambda s: {"full_name": "Nguyễn Văn An"},
    ),
    page(
        "nop-truc-tuyen/da-nop/<str:token>/",
        lambda s: f"/nop-truc-tuyen/da-nop/{s.draft_token}/",
        citizen_own(other_citizen=404),
    ),
    # --- API: public ---
    api("GET", "/health", lambda s: "/api/v1/health", everyone()),
    api("GET", "/units", lambda s: "/api/v1/units?province=15", everyone()),
    api("GET", "/procedures", lambda s: "/api/v1/procedures", everyone()),
    api("GET", "/procedures/search", lambda s: "/api/v1/procedures/search?q=khai+sinh", everyone()),
    api("GET", "/procedures/{code}", lambda s: f"/api/v1/procedures/{s.world.procedure.code}", everyone()),
    api(
        "GET",
        "/calendar/due",
        lambda s: "/api/v1/calendar/due?start=2026-03-02T08:00:00%2B07:00&working_days=5",
        everyone(),
    ),
    api("GET", "/calendar/days", lambda s: "/api/v1/calendar/days?year=2026", everyone()),
    api("GET", "/tracking/{code}", lambda s: f"/api/v1/tracking/{s.dossier.code}?token={s.tracking}", everyone()),
    api(
        "POST",
        "/queue/tickets",
        lambda s: "/api/v1/queue/tickets",
        everyone(),
        body=lambda s: {"center": s.center, "service": "A"},
        json=True,
    ),
    api("GET", "/queue/tickets/{token}", lambda s: f"/api/v1/queue/tickets/{s.ticket.token}", everyone()),
    api("GET", "/queue/centers/{code}/board", lambda s: f"/api/v1/queue/centers/{s.center}/board", everyone()),
    api("GET", "/integrations/health", lambda s: "/api/v1/integrations/health", everyone()),
    api(
        "POST",
        "/integrations/payments/callback",
        lambda s: "/api/v1/integrations/payments/callback",
        PUBLIC_SIGNED_CALLBACK,
        body=lambda s: {"reference": "x"},
        json=True,
        note="only the gateway's HMAC signature is accepted",
    ),
    api(
        "POST",
        "/integrations/post/callback",
        lambda s: "/api/v1/integrations/post/callback",
        PUBLIC_SIGNED_CALLBACK,
        body=lambda s: {"tracking_number": "x"},
        json=True,
        note="only the post's HMAC signature is accepted",
    ),
    # --- API: staff (bearer token) ---
    api("POST", "/documents", lambda s: "/api/v1/documents", staff_only(UPLOADERS, **STAFF_API), files=True),
    api("GET", "/documents/{sha256}", lambda s: f"/api/v1/documents/{s.sha256}", dossier_object(signed_out=401)),
    api(
        "POST",
        "/dossiers",
        lambda s: "/api/v1/dossiers",
        staff_only({"reception"}, **STAFF_API),
        body=lambda s: {
            "procedure_code": s.world.procedure.code,
            "receiving_unit": s.center,
            "channel": "direct",
            "applicant": {"full_name": "Lò Thị Mai", "personal_id": "010195012345"},
            "subject_unit": s.world.subject_code,
            "components": [{"component": "to-khai"}, {"component": "giay-chung-sinh"}],
        },
        json=True,
    ),
    api("GET", "/dossiers", lambda s: "/api/v1/dossiers", staff_only(STAFF, **STAFF_API)),
    api("GET", "/dossiers/{code}", lambda s: f"/api/v1/dossiers/{s.dossier.code}", dossier_object(signed_out=401)),
    api(
        "POST",
        "/dossiers/{code}/actions/{action}",
        lambda s: f"/api/v1/dossiers/{s.dossier.code}/actions/forward",
        dossier_object({"specialist"}, signed_out=401),
        body=lambda s: {},
        json=True,
    ),
    api(
        "POST",
        "/dossiers/{code}/tax-assessment",
        lambda s: f"/api/v1/dossiers/{s.dossier.code}/tax-assessment",
        dossier_object({"specialist", "leader"}, signed_out=401),
    ),
    api(
        "POST",
        "/dossiers/{code}/paper-transfer/sent",
        lambda s: f"/api/v1/dossiers/{s.dossier.code}/paper-transfer/sent",
        dossier_object({"reception"}, signed_out=401),
        body=lambda s: {"carrier": "Văn thư"},
        json=True,
    ),
    api(
        "POST",
        "/dossiers/{code}/paper-transfer/received",
        lambda s: f"/api/v1/dossiers/{s.dossier.code}/paper-transfer/received",
        dossier_object({"specialist", "leader", "clerk"}, signed_out=401),
    ),
    api("GET", "/paper-transfers/late", lambda s: "/api/v1/paper-transfers/late", staff_only(STAFF, **STAFF_API)),
    api(
        "GET",
        "/applicants/{personal_id}/store",
        lambda s: f"/api/v1/applicants/{s.dossier.applicant_personal_id}/store",
        staff_only({"reception", "other_reception"}, **STAFF_API),
        note="boundary-free reception: any center's desk may reuse the citizen's papers",
    ),
    api(
        "GET",
        "/dossiers/{code}/forms/{form}",
        lambda s: f"/api/v1/dossiers/{s.dossier.code}/forms/mau01",
        dossier_object(signed_out=401),
    ),
    api(
        "GET",
        "/registers/mau07",
        lambda s: f"/api/v1/registers/mau07?from={TODAY}&to={TODAY}&format=xlsx",
        staff_only(STAFF, **STAFF_API),
        note="each officer's register holds only the dossiers they may see",
    ),
    *[
        api(
            "POST",
            f"/queue/counters/{{counter_id}}/{action}",
            _counter_action(action),
            staff_only(COUNTER, **STAFF_API),
            body=lambda s: {},
            json=True,
        )
        for action in ("call-next", "recall", "start", "end", "no-show", "park", "transfer", "break")
    ],
    api(
        "GET",
        "/reports/index766",
        lambda s: f"/api/v1/reports/index766?unit={s.world.subject_code}&period={TODAY[:4]}",
        staff_only(SUBJECT_UNIT_REPORTS, **STAFF_API),
    ),
    api(
        "GET",
        "/reports/brokers",
        lambda s: f"/api/v1/reports/brokers?period={TODAY[:4]}",
        staff_only({"supervisor", "other_supervisor"}, **STAFF_API),
        note="a supervisor gets their own province's",
    ),
    api(
        "POST",
        "/reports/person-export",
        lambda s: "/api/v1/reports/person-export",
        staff_only({"supervisor", "other_supervisor", "admin"}, **STAFF_API),
        body=lambda s: {"personal_id": s.dossier.applicant_personal_id},
        json=True,
        note="a supervisor gets what their own province holds about the person",
    ),
    api(
        "GET",
        "/integrations/outbox",
        lambda s: "/api/v1/integrations/outbox",
        staff_only({"supervisor", "other_supervisor", "admin"}, **STAFF_API),
        note="a supervisor gets their own province's messages",
    ),
    api(
        "GET",
        "/integrations/population/{personal_id}",
        lambda s: f"/api/v1/integrations/population/{s.dossier.applicant_personal_id}",
        staff_only({"reception", "other_reception"}, **STAFF_API),
    ),
]


SHORT = {OK: "ok", LOGIN: "login", CITIZEN_LOGIN: "vneid", 401: "401", 403: "403", 404: "404"}
COLUMNS = {
    "anonymous": "anon",
    "citizen": "cit",
    "other_citizen": "cit²",
    "reception": "rec",
    "other_reception": "rec²",
    "center_admin": "cadm",
    "other_center_admin": "cadm²",
    "specialist": "spec",
    "other_specialist": "spec²",
    "leader": "lead",
    "other_leader": "lead²",
    "clerk": "clerk",
    "other_clerk": "clerk²",
    "supervisor": "sup",
    "other_supervisor": "sup²",
    "admin": "admin",
}


def markdown() -> str:
    """docs/access-matrix.md: every cell of the table, as the test requests it."""
    head = [
        "# Access matrix",
        "",
        "Generated from `tests/security/matrix.py` by `.venv/bin/python -m tests.security.matrix_doc`;",
        "`tests/security/test_access_matrix.py` requests every cell and checks this file is current.",
        "",
        "Actors: anonymous; a citizen signed in with VNeID (cit) and another (cit²); reception (rec) and center",
        "admin (cadm) of the dossier's receiving center; specialist, leader and clerk of its handling agency; the",
        "province's supervisor (sup); the system admin. ² marks the same role of another center, agency or",
        "province. `ok` = past access control; `login` = sent to a staff sign-in page; `vneid` = asked to sign",
        "in with VNeID. The admin (every model's list) is for the system admin only, everyone else `login`.",
        "",
        "| route | " + " | ".join(COLUMNS.values()) + " |",
        "|---|" + "---|" * len(COLUMNS),
    ]
    rows = [f"| `{case.id}` | " + " | ".join(SHORT[case.expect[actor]] for actor in COLUMNS) + " |" for case in CASES]
    return "\n".join(head + rows) + "\n"
