"""Personal data on public pages (issue #10, Personal data): a known personal ID, full name, phone,
address and email are planted on dossiers (one being handled, one returned and rated) and on a queue
appointment whose ticket is then served with the dossier's code; every public page and API route of the
access matrix (every row the anonymous may open), and the public pages of those very dossiers and
tickets, is requested, and none of the values may appear unmasked. The pages checked and the leaks found
go into docs/reliability.md.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from io import BytesIO

import pytest
from django.http import HttpResponseBase
from django.utils import timezone
from pypdf import PdfReader
from pytest_django import DjangoDbBlocker

from conftest import ReliabilityFigure
from motcua.dossiers.services.ratings import dossier_rate
from motcua.dossiers.services.reception import ApplicantData
from motcua.dossiers.services.tracking import tracking_token
from motcua.dossiers.tests.factories import DossierFactory
from motcua.dossiers.tracking_selectors import dossier_track
from motcua.queueing.models import AppointmentSlot, QueueService
from motcua.queueing.services import counter as counter_services
from motcua.queueing.services.appointments import appointment_book, appointment_check_in
from tests.security.conftest import read_stream, scene_built
from tests.security.matrix import CASES, OK
from tests.security.scene import ANONYMOUS, Scene, build_scene

pytestmark = pytest.mark.django_db

PERSONAL_ID = "010192076543"
FULL_NAME = "Hoàng Thị Xuân Mai"
PHONE = "0987654321"
EMAIL = "xuanmai.hoang@example.vn"
ADDRESS = "Số 17 ngõ 42 đường Hoàng Liên"
#: What may never appear on a public page: each value whole, the given name, the phone as printed.
MARKERS = {
    "personal ID": PERSONAL_ID,
    "full name": FULL_NAME,
    "given name": "Xuân Mai",
    "phone": PHONE,
    "phone (spaced)": "0987 654 321",
    "email": EMAIL,
    "address": ADDRESS,
}
APPLICANT = ApplicantData(full_name=FULL_NAME, personal_id=PERSONAL_ID, phone=PHONE, email=EMAIL, address=ADDRESS)


@dataclass
class Planted:
    scene: Scene
    returned_code: str
    returned_token: str
    ticket_token: str
    served_token: str


@pytest.fixture(scope="module")
def planted(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Planted]:
    with scene_built(django_db_blocker, tmp_path_factory.mktemp("data"), lambda: build_scene(APPLICANT)) as scene:
        yield _plant(scene)


def _plant(scene: Scene) -> Planted:
    world = scene.world
    returned = DossierFactory.create(world=world, returned=True, applicant=APPLICANT)
    token = tracking_token(returned)
    tracked = dossier_track(code=returned.code, token=token, client="198.51.100.7")
    # The comment is the citizen's own words, shown back only to the holder of the receipt so it can be
    # changed: nothing of the applicant's record in it.
    dossier_rate(tracked=tracked, satisfaction="satisfied", comment="Cán bộ hướng dẫn rất nhiệt tình")
    # An appointment in the name and phone of the applicant, checked in at local noon today (so the slot
    # never straddles midnight whenever the suite runs), its ticket waiting.
    noon = timezone.make_aware(datetime.combine(timezone.localdate(), time(12)))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: noon - timedelta(minutes=5))
        service = QueueService.objects.get(center=scene.world.center, code="A")
        slot = AppointmentSlot.objects.create(
            service=service, starts_at=noon, ends_at=noon + timedelta(minutes=30), capacity=2
        )
        booking = appointment_book(slot_id=slot.pk, full_name=FULL_NAME, phone=PHONE)
        waiting = appointment_check_in(center_code=scene.center, code=booking.code)
    # The scene's own ticket, served at the counter with the planted dossier received from it.
    reception = scene.staff["reception"]
    served = counter_services.ticket_call_next(counter_id=scene.counter.pk, actor=reception)
    assert served is not None
    counter_services.ticket_start(counter_id=scene.counter.pk, actor=reception)
    counter_services.ticket_end(counter_id=scene.counter.pk, actor=reception, dossier_codes=[scene.dossier.code])
    return Planted(scene, returned.code, token, waiting.token, served.token)


def public_requests(p: Planted) -> list[tuple[str, str, dict[str, str]]]:
    """Every matrix row the anonymous may open, then the public pages of the planted dossiers and tickets."""
    s = p.scene
    rows = [
        (case.method, case.url(s), case.body(s) if case.body else {}) for case in CASES if case.expect[ANONYMOUS] == OK
    ]
    planted_pages = [
        ("GET", f"/tra-cuu-ho-so/{s.dossier.code}?token={s.tracking}", {}),
        ("POST", "/tra-cuu-ho-so/", {"code": s.dossier.code, "phone": PHONE[-4:]}),
        ("GET", f"/api/v1/tracking/{s.dossier.code}?token={s.tracking}", {}),
        ("GET", f"/tra-cuu-ho-so/{p.returned_code}?token={p.returned_token}", {}),
        ("POST", "/tra-cuu-ho-so/", {"code": p.returned_code, "phone": PHONE[-4:]}),
        ("GET", f"/api/v1/tracking/{p.returned_code}?token={p.returned_token}", {}),
        ("POST", f"/tra-cuu-ho-so/{p.returned_code}/danh-gia/", {"token": p.returned_token, "satisfaction": "neutral"}),
        ("GET", f"/queue/t/{p.ticket_token}/", {}),
        ("GET", f"/api/v1/queue/tickets/{p.ticket_token}", {}),
        ("GET", f"/queue/t/{p.served_token}/", {}),
        ("GET", f"/api/v1/queue/tickets/{p.served_token}", {}),
        ("GET", f"/queue/{s.center}/board/", {}),
        ("GET", f"/api/v1/queue/centers/{s.center}/board", {}),
        ("GET", f"/trung-tam/{s.center}/", {}),
        ("GET", f"/queue/{s.center}/book/", {}),
    ]
    return rows + planted_pages


def text_of(response: HttpResponseBase) -> str:
    """What a reader of the answer sees: HTML unescaped, JSON decoded, a PDF's text, an event stream's
    first snapshot."""
    raw = read_stream(response, 2) if response.streaming else response.content  # type: ignore[attr-defined]
    kind = response.get("Content-Type", "")
    if kind.startswith("application/pdf"):
        return "\n".join(page.extract_text() for page in PdfReader(BytesIO(raw)).pages)
    text = raw.decode("utf-8", errors="replace")
    if kind.startswith("application/json"):
        return json.dumps(json.loads(text), ensure_ascii=False)
    return html.unescape(text)


def test_no_personal_data_on_public_pages(planted: Planted, reliability_figure: ReliabilityFigure) -> None:
    client = planted.scene.client(ANONYMOUS)
    checked = 0
    leaks: list[str] = []
    for method, url, data in public_requests(planted):
        response = client.get(url) if method == "GET" else client.post(url, data)
        assert response.status_code != 500, url
        text = text_of(response)
        checked += 1
        leaks += [f"{what} on {method} {url}" for what, value in MARKERS.items() if value in text]

    reliability_figure("Personal data on public pages", "public pages and API answers checked", checked)
    reliability_figure("Personal data on public pages", "personal data found unmasked", len(leaks), "0")
    assert leaks == []
    assert checked >= len([c for c in CASES if c.expect[ANONYMOUS] == OK]) + 15


def test_the_markers_are_there_to_find(planted: Planted) -> None:
    """The control: the same values are on the staff page and the staff API answer of the dossier, read
    the same way, so the scan would see a leak."""
    scene = planted.scene
    client = scene.client("reception")
    code = scene.dossier.code
    text = text_of(client.get(f"/can-bo/ho-so/{code}/")) + text_of(
        client.get(f"/api/v1/dossiers/{code}", headers=scene.api_headers("reception"))
    )
    assert [what for what, value in MARKERS.items() if value not in text and what != "phone (spaced)"] == []
