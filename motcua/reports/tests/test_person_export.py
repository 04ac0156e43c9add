"""Export of everything held about one person (Decree 13/2023): supervisors only, by personal ID, logged."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from motcua.citizens.services import citizen_sign_in
from motcua.dossiers.models import DossierAccessLog
from motcua.dossiers.services.documents import document_store
from motcua.dossiers.services.drafts import draft_create
from motcua.dossiers.services.reception import ApplicantData, ComponentData
from motcua.dossiers.services.retention import dossiers_anonymize_expired
from motcua.dossiers.tests.api.helpers import StaffClient
from motcua.dossiers.tests.factories import PERSONAL_ID, DossierFactory, World, build_world
from motcua.dossiers.tests.hostile_files import pdf
from motcua.queueing.models import AppointmentSlot
from motcua.queueing.services.appointments import appointment_book
from motcua.queueing.services.counter import ticket_link_dossiers
from motcua.queueing.tests.factories import QueueServiceFactory, TicketFactory
from motcua.workcal.services import clear_calendar_cache

pytestmark = pytest.mark.django_db

OTHER_ID = "001190000002"


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> World:
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(tmp_path))
    clear_calendar_cache()
    return build_world()


@pytest.fixture
def person(world: World) -> list[str]:
    """Two dossiers, an account, a draft, a ticket and an appointment of PERSONAL_ID; one dossier of another."""
    desk = world.staff["reception"]
    scan = document_store(actor=desk, chunks=[pdf()], name="to-khai.pdf").sha256
    mine = [
        DossierFactory.create(
            world=world, returned=True, components=[ComponentData("to-khai", [scan]), ComponentData("giay-chung-sinh")]
        ),
        DossierFactory.create(world=world),
    ]
    other = ApplicantData(full_name="Lò Thị C", personal_id=OTHER_ID, phone="0987654321")
    DossierFactory.create(world=world, applicant=other)
    citizen_sign_in(
        issuer="https://vneid.test",
        claims={"sub": "vneid-1", "personal_id": PERSONAL_ID, "name": "Nguyễn Văn An", "phone_number": "0912345678"},
    )
    draft_create(
        personal_id=PERSONAL_ID, procedure_code=world.procedure.code, data={"address": "Tổ 1"}, vneid_verified=True
    )
    ticket = TicketFactory.create(done=True, service=QueueServiceFactory.create(center=world.center))
    ticket_link_dossiers(ticket=ticket, dossier_codes=[mine[0].code])
    starts = timezone.now() + timedelta(days=1)
    slot = AppointmentSlot.objects.create(
        service=ticket.service, starts_at=starts, ends_at=starts + timedelta(minutes=30), capacity=2
    )
    appointment_book(slot_id=slot.pk, full_name="Nguyễn Văn An", phone="0912345678")
    appointment_book(slot_id=slot.pk, full_name="Lò Thị C", phone="0987654321")
    return [d.code for d in mine]


def test_the_export_holds_everything_about_the_person_and_nothing_about_others(
    world: World, person: list[str], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    out = tmp_path / "export.json"
    with caplog.at_level(logging.INFO, logger="motcua.personal_data"):
        call_command("person_export", PERSONAL_ID, "--actor", world.staff["supervisor"].username, "--output", str(out))

    export = json.loads(out.read_text())
    assert out.stat().st_mode & 0o077 == 0
    assert [d["code"] for d in export["dossiers"]] == person
    assert {d["applicant"]["personal_id"] for d in export["dossiers"]} == {PERSONAL_ID}
    first = export["dossiers"][0]
    assert [e["seq"] for e in first["events"]] == list(range(1, len(first["events"]) + 1))
    assert first["components"][0]["documents"][0]["content_type"] == "application/pdf"
    assert export["citizen_account"]["full_name"] == "Nguyễn Văn An"
    assert [item["from_dossier"] for item in export["personal_data_store"]] == [person[0]]
    assert [draft["data"]["address"] for draft in export["drafts"]] == ["Tổ 1"]
    assert [t["dossier"] for t in export["queue_tickets"]] == [person[0]]
    assert [a["full_name"] for a in export["appointments"]] == ["Nguyễn Văn An"]
    assert {m["dossier"] for m in export["outbound_messages"]} == set(person)
    text = out.read_text()
    assert OTHER_ID not in text
    assert "Lò Thị C" not in text
    # The export is itself a read of personal data: logged per dossier, and the ID never in the log line.
    logged = DossierAccessLog.objects.filter(purpose="person_export", actor=world.staff["supervisor"])
    assert sorted(logged.values_list("dossier__code", flat=True)) == sorted(person)
    assert "person export by" in caplog.text
    assert PERSONAL_ID not in caplog.text


def test_a_second_export_lists_the_first_among_the_staff_reads(world: World, person: list[str]) -> None:
    client = StaffClient(world.staff["supervisor"])
    client.post("/api/v1/reports/person-export", {"personal_id": PERSONAL_ID})
    second = client.post("/api/v1/reports/person-export", {"personal_id": PERSONAL_ID})
    assert second.status_code == 200
    reads = second.json()["dossiers"][0]["staff_reads"]
    assert [(r["by"], r["purpose"]) for r in reads] == [(world.staff["supervisor"].username, "person_export")]


@pytest.mark.parametrize("role", ["reception", "specialist", "leader", "clerk"])
def test_only_supervisors_export(world: World, person: list[str], role: str) -> None:
    client = StaffClient(world.staff[role])
    response = client.post("/api/v1/reports/person-export", {"personal_id": PERSONAL_ID})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "person_export_not_allowed"
    assert not DossierAccessLog.objects.filter(purpose="person_export").exists()
    with pytest.raises(CommandError, match="person_export_not_allowed"):
        call_command("person_export", PERSONAL_ID, "--actor", world.staff[role].username)


def test_a_malformed_id_is_refused_and_an_anonymized_dossier_is_no_longer_found(
    world: World, person: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    client = StaffClient(world.staff["supervisor"])
    bad = client.post("/api/v1/reports/person-export", {"personal_id": "12345"})
    assert (bad.status_code, bad.json()["error"]["code"]) == (422, "personal_id_format")

    monkeypatch.setenv("MOTCUA_RETENTION_DAYS", "1")
    assert dossiers_anonymize_expired(now=timezone.now() + timedelta(days=2)) == [person[0]]
    export = client.post("/api/v1/reports/person-export", {"personal_id": PERSONAL_ID}).json()
    assert [d["code"] for d in export["dossiers"]] == [person[1]]


def test_the_supervisors_page_downloads_the_export_and_refuses_others(world: World, person: list[str]) -> None:
    supervisor = Client()
    supervisor.force_login(world.staff["supervisor"])
    form = supervisor.get("/bao-cao/du-lieu-ca-nhan/")
    assert form.status_code == 200
    assert 'name="personal_id"' in form.content.decode()

    download = supervisor.post("/bao-cao/du-lieu-ca-nhan/", {"personal_id": PERSONAL_ID})

    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="du-lieu-ca-nhan.json"'
    assert [d["code"] for d in json.loads(download.content)["dossiers"]] == person
    bad = supervisor.post("/bao-cao/du-lieu-ca-nhan/", {"personal_id": "0101"})
    assert bad.status_code == 422
    assert "Số định danh cá nhân phải gồm đúng 12 chữ số." in bad.content.decode()
    desk = Client()
    desk.force_login(world.staff["reception"])
    assert desk.get("/bao-cao/du-lieu-ca-nhan/").status_code == 403
    assert desk.post("/bao-cao/du-lieu-ca-nhan/", {"personal_id": PERSONAL_ID}).status_code == 403
    assert DossierAccessLog.objects.filter(purpose="person_export").count() == len(person)
