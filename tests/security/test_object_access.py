"""Object-level checks on every download (issue #10, Access): stored documents by SHA-256, the printed
forms Mẫu 01–06 and the register Mẫu 07, the XLSX exports, a citizen's own data store, the queue ticket
pages. Another unit's officer, another citizen and the anonymous get nothing of the dossier: not its bytes,
not its code, not its applicant.
"""

from __future__ import annotations

import json
import secrets
from io import BytesIO

import pytest
from django.http import HttpResponseBase
from django.utils import timezone
from openpyxl import load_workbook

from motcua.dossiers.forms.dossier_forms import DossierForm
from motcua.dossiers.models import PersonalDataStoreItem
from tests.security.conftest import close_stream
from tests.security.scene import ANONYMOUS, CITIZEN, OTHER_CITIZEN, PDF, STAFF, Scene

pytestmark = pytest.mark.django_db

#: Officers of another center, agency or province than the scene's dossier.
OUTSIDERS = [actor for actor in STAFF if actor.startswith("other_")]
#: The dossier's own officers, as positive controls.
INSIDERS = ["reception", "specialist", "supervisor"]
NOBODY = [ANONYMOUS, CITIZEN, OTHER_CITIZEN, *OUTSIDERS]
NO_EVENT_YET = "Hồ sơ chưa có sự việc để lập biểu mẫu này."


def body(response: HttpResponseBase) -> bytes:
    if response.streaming:
        try:
            return b"".join(response.streaming_content)  # type: ignore[attr-defined]
        finally:
            close_stream(response)
    return response.content  # type: ignore[attr-defined,no-any-return]


def get(scene: Scene, actor: str, url: str, *, api: bool = False) -> HttpResponseBase:
    return scene.client(actor).get(url, headers=scene.api_headers(actor) if api else {})


def downloads(scene: Scene) -> list[tuple[str, bool]]:
    """Every download of the dossier: (URL, through the API)."""
    code = scene.dossier.code
    forms = [f.value for f in DossierForm]
    return [
        (f"/api/v1/documents/{scene.sha256}", True),
        (f"/api/v1/documents/{scene.sha256}?download=true", True),
        (f"/can-bo/ho-so/{code}/tep/{scene.sha256}/", False),
        *[(f"/api/v1/dossiers/{code}/forms/{form}", True) for form in forms],
        *[(f"/can-bo/ho-so/{code}/mau/{form}.pdf", False) for form in forms],
    ]


@pytest.mark.parametrize("actor", NOBODY)
def test_outsiders_get_no_document_and_no_form(scene: Scene, actor: str) -> None:
    for url, api in downloads(scene):
        response = get(scene, actor, url, api=api)
        content = body(response)
        assert response.status_code in (302, 401, 404), (url, response.status_code)
        assert PDF not in content, url
        assert not content.startswith(b"%PDF"), url
        assert scene.dossier.applicant_name.encode() not in content, url


@pytest.mark.parametrize("actor", INSIDERS)
def test_the_dossiers_officers_get_them(scene: Scene, actor: str) -> None:
    """The control: the same URLs serve the file and the forms to an officer of the dossier's unit; a
    form with nothing to show yet (Mẫu 02 before any supplement request) says so, never "no dossier"."""
    for url, api in downloads(scene):
        response = get(scene, actor, url, api=api)
        content = body(response)
        if "/forms/" in url or "/mau/" in url:
            assert response.status_code in (200, 404), (url, response.status_code)
            if response.status_code == 200:
                assert content.startswith(b"%PDF"), url
            else:
                assert b"form_not_available" in content or NO_EVENT_YET.encode() in content, url
        else:
            assert response.status_code == 200, url
            assert content == PDF, url


def test_a_document_is_not_served_through_another_dossier(scene: Scene) -> None:
    """The page's file URL checks that the file belongs to that dossier: the scene's document named under
    the fresh dossier (which the same desk may see) is not served."""
    response = get(scene, "reception", f"/can-bo/ho-so/{scene.fresh.code}/tep/{scene.sha256}/")
    assert response.status_code == 404
    assert PDF not in body(response)


def test_register_mau07_holds_only_the_officers_own_dossiers(scene: Scene) -> None:
    today = timezone.localdate().isoformat()
    url = f"/api/v1/registers/mau07?from={today}&to={today}&format=xlsx"

    def codes(actor: str) -> set[str]:
        response = get(scene, actor, url, api=True)
        assert response.status_code == 200
        return cells(body(response))

    assert scene.dossier.code in codes("specialist")
    for actor in OUTSIDERS:
        seen = codes(actor)
        assert scene.dossier.code not in seen, actor
        assert scene.dossier.applicant_name not in seen, actor


REPORT_READERS = {"specialist", "leader", "clerk", "supervisor", "admin"}


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("/bao-cao/?don-vi={unit}&format=xlsx", REPORT_READERS),
        ("/bao-cao/ton-dong/?don-vi={unit}&format=xlsx", REPORT_READERS),
        ("/bao-cao/den-han/?don-vi={unit}&format=xlsx", REPORT_READERS),
        ("/queue/{center}/statistics/?format=xlsx", {"reception", "center_admin", "supervisor", "admin"}),
        ("/bao-cao/nhat-ky-truy-cap/?format=xlsx", {"supervisor"}),
    ],
)
def test_xlsx_exports(scene: Scene, url: str, allowed: set[str]) -> None:
    """Each export to its readers only; another unit's officer is refused, or (the access log, which every
    province's supervisor reviews) gets a file without the dossier."""
    scene.client("specialist").get(f"/can-bo/ho-so/{scene.dossier.code}/")  # one read for the access log
    target = url.format(unit=scene.world.subject_code, center=scene.center)
    for actor in (ANONYMOUS, CITIZEN, *STAFF):
        response = get(scene, actor, target)
        content = body(response)
        if actor in allowed:
            assert (response.status_code, content[:2]) == (200, b"PK"), (actor, target)
            continue
        if response.status_code == 200:
            assert actor == "other_supervisor", (actor, target)
            assert scene.dossier.code not in cells(content), (actor, target)
            continue
        assert response.status_code in (302, 403), (actor, target)
        assert not content.startswith(b"PK"), (actor, target)
    if "nhat-ky" in url:
        assert scene.dossier.code in cells(body(get(scene, "supervisor", target)))


def cells(xlsx: bytes) -> set[str]:
    book = load_workbook(BytesIO(xlsx))
    return {str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row if cell}


def test_a_citizen_sees_only_their_own_data_store(scene: Scene) -> None:
    items = {str(pk) for pk in PersonalDataStoreItem.objects.filter(dossier=scene.dossier).values_list("pk", flat=True)}
    assert items
    url = f"/nop-truc-tuyen/{scene.world.procedure.code}/{scene.draft_token}/"

    def offered(actor: str) -> set[str]:
        form = scene.client(actor).get(url).context
        if form is None or "form" not in form:
            return set()
        return {value for field in form["form"] if field.name.startswith("reuse_") for value, _ in field.field.choices}

    assert items <= offered(CITIZEN)
    assert offered(OTHER_CITIZEN) == set()
    start = scene.client(OTHER_CITIZEN).get(f"/nop-truc-tuyen/{scene.world.procedure.code}/")
    assert not items & {v for f in start.context["form"] if f.name.startswith("reuse_") for v, _ in f.field.choices}


def test_ticket_pages_answer_only_their_token(scene: Scene) -> None:
    """The ticket's page and API are reached by its unguessable token; a guessed one is nothing."""
    for actor in (ANONYMOUS, CITIZEN, "other_reception"):
        client = scene.client(actor)
        assert client.get(f"/queue/t/{scene.ticket.token}/").status_code == 200
        assert client.get(f"/api/v1/queue/tickets/{scene.ticket.token}").status_code == 200
        guess = secrets.token_urlsafe(12)
        assert client.get(f"/queue/t/{guess}/").status_code == 404
        assert client.get(f"/api/v1/queue/tickets/{guess}").status_code == 404
        assert client.get(f"/queue/t/{scene.ticket.pk}/").status_code == 404


def test_outbox_shows_a_supervisor_only_their_provinces_messages(scene: Scene) -> None:
    def dossiers(actor: str) -> set[str]:
        response = get(scene, actor, "/api/v1/integrations/outbox?limit=200", api=True)
        assert response.status_code == 200
        return {item["dossier"] for item in json.loads(body(response))["items"]}

    assert scene.dossier.code in dossiers("supervisor")
    assert scene.dossier.code in dossiers("admin")
    assert scene.dossier.code not in dossiers("other_supervisor")
