"""Staff pages: sign-in, permissions by unit, CSRF, the reception desk, actions and 409s, page weight."""

from __future__ import annotations

import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from motcua.catalog.models import Procedure
from motcua.core.middleware import SessionIdleMiddleware
from motcua.dossiers.models import Dossier
from motcua.dossiers.services.workflow import dossier_transition
from motcua.dossiers.states import SubState
from motcua.dossiers.tests.views.conftest import HOP_THANH, LAO_CAI, PDF, receive, signed_in, staff
from motcua.workcal.calendar import add_working_time
from motcua.workcal.services import get_calendar

PAGE_BUDGET = 100 * 1024
_ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"')


@pytest.mark.parametrize(
    ("username", "lands_on"),
    [
        (f"reception.{LAO_CAI}", "/can-bo/tiep-nhan/"),
        (f"specialist.{HOP_THANH}", "/can-bo/hop-thu/"),
        ("supervisor", "/bao-cao/"),
        (f"center_admin.{LAO_CAI}", f"/queue/{LAO_CAI}/statistics/"),
        ("admin", "/admin/"),
    ],
)
def test_every_role_lands_on_its_own_page_after_sign_in(lao_cai: Procedure, username: str, lands_on: str) -> None:
    home = signed_in(username).get(reverse("dossiers:home"))
    assert (home.status_code, home["Location"]) == (302, lands_on)


def _transferred(procedure: Procedure) -> Dossier:
    dossier = receive(procedure)
    dossier_transition(actor=staff(f"reception.{LAO_CAI}"), dossier_code=dossier.code, action="transfer")
    return dossier


def test_pages_require_sign_in(lao_cai: Procedure) -> None:
    dossier = receive(lao_cai)
    for url in (
        reverse("dossiers:home"),
        reverse("dossiers:reception"),
        reverse("dossiers:queue", args=["hop-thu"]),
        reverse("dossiers:dossier", args=[dossier.code]),
    ):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("dossiers:login") + "?next=")


def test_sign_in_lands_on_the_role_queue(lao_cai: Procedure) -> None:
    client = Client()
    response = client.post(
        reverse("dossiers:login"), {"username": f"specialist.{HOP_THANH}", "password": "motcua-demo"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("dossiers:queue", args=["hop-thu"])
    wrong = Client().post(reverse("dossiers:login"), {"username": f"specialist.{HOP_THANH}", "password": "x"})
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in wrong.content.decode()


def test_another_communes_specialist_gets_404_on_the_dossier_page(lao_cai: Procedure) -> None:
    dossier = _transferred(lao_cai)
    url = reverse("dossiers:dossier", args=[dossier.code])
    assert signed_in(f"specialist.{HOP_THANH}").get(url).status_code == 200
    foreign = signed_in(f"specialist.{LAO_CAI}")
    missing = foreign.get(reverse("dossiers:dossier", args=["H38.199-990101-0001"]))
    refused = foreign.get(url)
    assert refused.status_code == missing.status_code == 404
    assert dossier.applicant_name not in refused.content.decode()
    sha = dossier.components.first().documents.first().sha256  # type: ignore[union-attr]
    assert foreign.get(reverse("dossiers:file", args=[dossier.code, sha])).status_code == 404
    own = signed_in(f"specialist.{HOP_THANH}").get(reverse("dossiers:file", args=[dossier.code, sha]))
    assert own.status_code == 200
    assert b"".join(own.streaming_content) == PDF  # type: ignore[attr-defined]


def test_inbox_lists_the_communes_dossiers_most_urgent_first_and_marks_overdue(lao_cai: Procedure) -> None:
    later, soon, overdue = _transferred(lao_cai), _transferred(lao_cai), _transferred(lao_cai)
    now = timezone.now()
    Dossier.objects.filter(pk=overdue.pk).update(due_at=now - timedelta(days=3))
    # Birth registration takes one working day, "due soon" during office hours: the last one gets three.
    Dossier.objects.filter(pk=later.pk).update(due_at=add_working_time(now, days=3, calendar=get_calendar("15")))
    # Two working hours and half a minute: during office hours the page is rendered a moment later and shows
    # two hours still (whole minutes, rounded down); outside them no working time passes.
    due = add_working_time(now + timedelta(seconds=30), hours=2, calendar=get_calendar("15"))
    Dossier.objects.filter(pk=soon.pk).update(due_at=due)
    page = signed_in(f"specialist.{HOP_THANH}").get(reverse("dossiers:queue", args=["hop-thu"])).content.decode()
    assert page.index(overdue.code) < page.index(soon.code) < page.index(later.code)
    rows = {
        code: page[page.rindex("<tr", 0, page.index(code)) : page.index("</tr>", page.index(code))]
        for code in (overdue.code, soon.code, later.code)
    }
    assert 'class="late-row"' in rows[overdue.code]
    assert "Quá hạn" in rows[overdue.code]
    assert 'class="soon-row"' in rows[soon.code]
    assert "Sắp đến hạn: còn 0 ngày 2 giờ 0 phút" in rows[soon.code]
    assert "class=" not in rows[later.code]
    other = signed_in(f"specialist.{LAO_CAI}").get(reverse("dossiers:queue", args=["hop-thu"])).content.decode()
    assert all(d.code not in other for d in (later, soon, overdue))
    # A leader's approval queue is not a specialist's.
    assert signed_in(f"specialist.{HOP_THANH}").get(reverse("dossiers:queue", args=["cho-duyet"])).status_code == 404


def test_inbox_query_count_does_not_grow_with_rows_and_pages_by_50(
    lao_cai: Procedure, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The idle-expiry middleware saves the session once a minute: on a loaded machine the 51 receptions
    # below can take that long, and the save would be counted with the page.
    monkeypatch.setattr(SessionIdleMiddleware, "EVERY_S", 24 * 3600)
    first = _transferred(lao_cai)
    client = signed_in(f"specialist.{HOP_THANH}")
    url = reverse("dossiers:queue", args=["hop-thu"])
    client.get(url)  # warm the calendar cache and the session
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(51):
        receive(lao_cai)
    Dossier.objects.filter(sub_state=SubState.RECEIVED).update(sub_state=SubState.WAITING_ASSIGNMENT, status=4)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    # Session, user, the body's offices, the rows, the access log, and the procedure names and agencies'
    # provinces: read here because this test's transaction created the catalog and organization, which
    # makes the reference memo stand aside (a server reads them once per process).
    assert len(many) == len(one) <= 7
    page = response.content.decode()
    assert page.count("<tr class") + page.count("<tr><td><a") == 50
    cursor = re.search(r'\?sau=([\w-]+)"', page)
    assert cursor is not None
    rest = client.get(url, {"sau": cursor.group(1)}, headers={"HX-Request": "true"}).content.decode()
    assert rest.count('href="/can-bo/ho-so/') == 2
    assert "<html" not in rest
    assert first.code in page + rest


def test_forms_enforce_csrf(lao_cai: Procedure) -> None:
    dossier = receive(lao_cai)
    desk = signed_in(f"reception.{LAO_CAI}", enforce_csrf_checks=True)
    forged = desk.post(reverse("dossiers:action", args=[dossier.code, "transfer"]))
    assert forged.status_code == 403
    dossier.refresh_from_db()
    assert dossier.sub_state == SubState.RECEIVED
    page = desk.get(reverse("dossiers:dossier", args=[dossier.code])).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    done = desk.post(
        reverse("dossiers:action", args=[dossier.code, "transfer"]), {"csrfmiddlewaretoken": token.group(1)}
    )
    assert done.status_code == 302
    dossier.refresh_from_db()
    assert dossier.sub_state == SubState.WAITING_ASSIGNMENT


def test_buttons_are_exactly_the_actions_the_table_allows_this_actor(lao_cai: Procedure) -> None:
    dossier = _transferred(lao_cai)
    url = reverse("dossiers:dossier", args=[dossier.code])

    def actions(username: str) -> set[str]:
        page = signed_in(username).get(url).content.decode()
        return set(re.findall(r'action="/can-bo/ho-so/[^/]+/thao-tac/([\w-]+)/"', page))

    assert actions(f"specialist.{HOP_THANH}") == {"assign", "request-supplement"}
    assert actions(f"leader.{HOP_THANH}") == {"assign", "request-supplement", "extend"}
    assert actions(f"clerk.{HOP_THANH}") == set()
    assert actions(f"reception.{LAO_CAI}") == {"request-supplement", "stop", "withdraw"}


def test_a_refused_action_shows_the_vietnamese_message_and_keeps_the_input(lao_cai: Procedure) -> None:
    dossier = _transferred(lao_cai)
    # Birth registration takes one working day: during office hours less than that remains at once, and
    # the first extension would be refused too. Three working days left, whatever the time the test runs.
    due = add_working_time(timezone.now(), days=3, calendar=get_calendar("15"))
    Dossier.objects.filter(pk=dossier.pk).update(due_at=due)
    leader = signed_in(f"leader.{HOP_THANH}")
    url = reverse("dossiers:action", args=[dossier.code, "extend"])
    first = leader.post(url, {"working_days": "2", "reason": "Cần xác minh thêm"}, headers={"HX-Request": "true"})
    assert first.status_code == 200
    again = leader.post(url, {"working_days": "3", "reason": "Lý do lần hai"}, headers={"HX-Request": "true"})
    assert again.status_code == 409
    page = again.content.decode()
    assert "Hồ sơ đã được gia hạn một lần." in page
    assert "Lý do lần hai" in page
    assert 'value="3"' in page
    assert "<html" not in page  # an htmx partial
    # The same without JavaScript: the whole page, with the message.
    plain = leader.post(reverse("dossiers:action", args=[dossier.code, "approve"]))
    assert plain.status_code == 409
    assert "Không thể &#x27;approve&#x27;" in plain.content.decode() or "Không thể" in plain.content.decode()
    missing_reason = signed_in(f"reception.{LAO_CAI}").post(reverse("dossiers:action", args=[dossier.code, "stop"]))
    assert missing_reason.status_code == 422
    assert "Cần ghi rõ lý do." in missing_reason.content.decode()


def test_reception_desk_validates_the_personal_id_in_vietnamese_and_keeps_scans(lao_cai: Procedure) -> None:
    assert lao_cai.current_version is not None
    desk = signed_in(f"reception.{LAO_CAI}")
    found = desk.get(reverse("dossiers:reception"), {"q": "khai sinh"}, headers={"HX-Request": "true"})
    assert "1.001193" in found.content.decode()
    # The desk lists the papers of a paper dossier: not the e-form wanted online only.
    components = [c for c in lao_cai.current_version.components.all() if c.applies_to("direct")]
    form = {
        "procedure": lao_cai.code,
        "idempotency_key": "desk-test-1",
        "full_name": "Giàng A Páo",
        "personal_id": "0101900543",
        "subject_unit": HOP_THANH,
        "channel": "direct",
        "return_place": "desk",
        "component": [c.code for c in components],
        **{f"files-{c.code}": SimpleUploadedFile("scan.pdf", PDF, "application/pdf") for c in components},
    }
    bad = desk.post(reverse("dossiers:reception"), form)
    assert bad.status_code == 422
    page = bad.content.decode()
    assert "Số định danh cá nhân phải gồm đúng 12 chữ số." in page
    kept = re.findall(r'name="documents-[^"]+" value="([0-9a-f]{64})"', page)
    assert len(kept) == len(components)
    assert not Dossier.objects.exists()
    retry = {k: v for k, v in form.items() if not k.startswith("files-")}
    retry |= {"personal_id": "010190054321"}
    retry |= {f"documents-{c.code}": sha for c, sha in zip(components, kept, strict=True)}
    good = desk.post(reverse("dossiers:reception"), retry)
    assert good.status_code == 302
    dossier = Dossier.objects.get()
    assert good["Location"] == reverse("dossiers:dossier", args=[dossier.code]) + "?moi=1"
    assert dossier.components.filter(digitized=True).count() == len(components)
    # The same form again (a double click) gives the same dossier.
    assert desk.post(reverse("dossiers:reception"), retry)["Location"] == good["Location"]
    assert Dossier.objects.count() == 1


def test_only_the_desk_opens_the_reception_page(lao_cai: Procedure) -> None:
    assert signed_in(f"specialist.{HOP_THANH}").get(reverse("dossiers:reception")).status_code == 403


@pytest.mark.parametrize("username", [f"reception.{LAO_CAI}", f"specialist.{HOP_THANH}", f"leader.{HOP_THANH}"])
def test_every_page_weighs_less_than_100_kb(lao_cai: Procedure, username: str) -> None:
    dossier = _transferred(lao_cai)
    for _ in range(49):
        _transferred(lao_cai)
    client = signed_in(username)
    urls = [reverse("dossiers:home"), reverse("dossiers:dossier", args=[dossier.code])]
    if username.startswith("reception"):
        urls.append(reverse("dossiers:reception") + f"?q=khai&thu-tuc={lao_cai.code}")
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        html = response.content.decode()
        assets = set(_ASSET.findall(html))
        assert {"/static/vendor/htmx.min.js", "/static/motcua/site.css"} <= assets
        weight = len(response.content) + sum(_static_size(path) for path in assets)
        assert weight < PAGE_BUDGET, (url, weight)


def test_login_page_weighs_less_than_100_kb(db: None) -> None:
    response = Client().get(reverse("dossiers:login"))
    html = response.content.decode()
    assert 'name="csrfmiddlewaretoken"' in html
    assert len(response.content) + sum(_static_size(p) for p in set(_ASSET.findall(html))) < PAGE_BUDGET


def _static_size(url: str) -> int:
    found = finders.find(url.removeprefix("/static/"))
    assert isinstance(found, str), url
    with open(found, "rb") as handle:
        return len(handle.read())


def test_the_desk_prints_the_receipt_from_the_dossier_page(lao_cai: Procedure) -> None:
    dossier = receive(lao_cai)
    desk = signed_in(f"reception.{LAO_CAI}")
    url = reverse("dossiers:form", args=[dossier.code, "mau01"])
    assert url in desk.get(reverse("dossiers:dossier", args=[dossier.code]), {"moi": "1"}).content.decode()
    pdf = desk.get(url)
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    assert dossier.code in text
    assert signed_in(f"specialist.{LAO_CAI}").get(url).status_code == 404
