"""Retention of personal data (Decree 13/2023): closed dossiers past MOTCUA_RETENTION_DAYS lose their
applicant's personal data; the dossier, its codes, statistics fields and a verifiable audit chain stay."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.core.models_outbox import OutboxMessage
from motcua.dossiers.models import Dossier, DossierEvent, DossierRating
from motcua.dossiers.services.ratings import dossier_rate
from motcua.dossiers.services.retention import ANONYMIZE, ANONYMIZED_NAME, dossiers_anonymize_expired
from motcua.dossiers.services.tracking import tracking_token
from motcua.dossiers.tests.factories import PERSONAL_ID, DossierFactory, World
from motcua.dossiers.tracking_selectors import dossier_track

KEPT = ["code", "procedure_id", "status", "sub_state", "channel", "received_at", "due_at", "finished_at"]
KEPT += ["returned_at", "handling_agency_id", "subject_unit_id", "receiving_center_id", "outcome"]


@pytest.fixture(autouse=True)
def ten_years(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTCUA_RETENTION_DAYS", "3650")


def _rated(dossier: Dossier, comment: str) -> None:
    tracked = dossier_track(code=dossier.code, token=tracking_token(dossier), client="t")
    dossier_rate(tracked=tracked, satisfaction="dissatisfied", comment=comment, now=dossier.returned_at)


def test_closed_dossiers_past_retention_are_anonymized_once_and_keep_their_record(world: World) -> None:
    # Ten years minus 100 days from now: closed 300 days ago is past retention, 10 days ago is not.
    today = timezone.now()
    now = today + timedelta(days=3650 - 100)
    old = DossierFactory.create(
        world=world, returned=True, received_at=today - timedelta(days=300), idempotency_key="desk-1"
    )
    assert old.idempotency_fingerprint
    _rated(old, "Cán bộ Nguyễn Văn B hướng dẫn tận tình")
    recent = DossierFactory.create(world=world, returned=True, received_at=today - timedelta(days=10))
    still_open = DossierFactory.create(world=world, handling=True, received_at=today - timedelta(days=300))
    before = {d.pk: {f: getattr(d, f) for f in KEPT} for d in Dossier.objects.all()}
    events_before = DossierEvent.objects.count()
    messages_before = OutboxMessage.objects.count()

    done = dossiers_anonymize_expired(now=now)

    assert done == [old.code]
    old.refresh_from_db()
    assert (old.applicant_name, old.applicant_personal_id, old.applicant_phone) == (ANONYMIZED_NAME, "", "")
    assert (old.applicant_birth_date, old.applicant_email, old.applicant_address) == (None, "", "")
    assert old.idempotency_fingerprint == ""
    rating = DossierRating.objects.get(dossier=old)
    assert (rating.satisfaction, rating.comment) == ("dissatisfied", "")
    for other in (recent, still_open):
        other.refresh_from_db()
        assert other.applicant_personal_id == PERSONAL_ID
    assert {d.pk: {f: getattr(d, f) for f in KEPT} for d in Dossier.objects.all()} == before
    event = DossierEvent.objects.get(dossier=old, action=ANONYMIZE)
    assert (event.seq, event.actor_username, event.to_status) == (old.event_count, "system", old.status)
    assert event.payload["fields"] == [
        "applicant_name",
        "applicant_personal_id",
        "applicant_phone",
        "idempotency_fingerprint",
    ]
    assert event.payload["rating_comment"] is True
    assert DossierEvent.objects.count() == events_before + 1
    # Partners keep their own copies: nothing is sent about the anonymization.
    assert OutboxMessage.objects.count() == messages_before
    call_command("audit_verify")  # raises CommandError when a chain is broken

    assert dossiers_anonymize_expired(now=now) == []
    assert dossiers_anonymize_expired(now=now + timedelta(days=400)) == [recent.code]


def test_zero_keeps_personal_data_for_ever(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTCUA_RETENTION_DAYS", "0")
    DossierFactory.create(world=world, returned=True, received_at=timezone.now() - timedelta(days=300))
    assert dossiers_anonymize_expired(now=timezone.now() + timedelta(days=20_000)) == []
    assert not Dossier.objects.filter(applicant_name=ANONYMIZED_NAME).exists()


def test_the_command_counts_then_anonymizes(
    world: World, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    old = DossierFactory.create(world=world, returned=True, received_at=timezone.now() - timedelta(days=300))
    monkeypatch.setenv("MOTCUA_RETENTION_DAYS", "200")

    call_command("personal_data_retention", "--dry-run")
    assert "1 hồ sơ quá 200 ngày sẽ được ẩn danh." in capsys.readouterr().out
    assert Dossier.objects.get().applicant_personal_id == PERSONAL_ID

    call_command("personal_data_retention")
    out = capsys.readouterr().out
    assert "Đã ẩn danh 1 hồ sơ" in out
    assert old.code in out
    assert Dossier.objects.get().applicant_name == ANONYMIZED_NAME
