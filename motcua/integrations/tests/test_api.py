"""The outbox list for supervisors, health, the desk's population lookup (logged) and the exchange log."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from motcua.core.outbox import outbox_enqueue
from motcua.dossiers.tests.api.helpers import StaffClient
from motcua.dossiers.tests.factories import DossierFactory, World
from motcua.integrations.models import ExchangeRecord
from motcua.integrations.simulators import Simulators
from motcua.integrations.tests.conftest import FAST
from motcua.integrations.tests.helpers import drain_until_settled


def test_supervisors_page_through_the_outbox_by_dossier_and_state(world: World) -> None:
    dossier = DossierFactory.create(world=world, handling=True)
    client = StaffClient(world.staff["supervisor"])

    first = client.get("/api/v1/integrations/outbox", dossier=dossier.code, state="pending", limit=2)
    assert first.status_code == 200
    body = first.json()
    assert [item["state"] for item in body["items"]] == ["pending", "pending"]
    assert {"partner", "kind", "attempts", "last_error"} <= set(body["items"][0])
    assert body["backlog"]["pending"] >= 3
    assert body["backlog"]["oldest_pending_age_s"] >= 0
    second = client.get(
        "/api/v1/integrations/outbox", dossier=dossier.code, state="pending", limit=2, cursor=body["next_cursor"]
    ).json()
    ids = [item["id"] for item in body["items"] + second["items"]]
    assert ids == sorted(ids, reverse=True)
    assert len(set(ids)) == len(ids)

    refused = StaffClient(world.staff["reception"]).get("/api/v1/integrations/outbox")
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "outbox_not_permitted")


def test_health_shows_backlog_and_dead_letters(db: None, sims: Simulators) -> None:
    sims.set_faults("sms", malformed=True)
    outbox_enqueue(partner="sms", kind="status.notice", payload={"to": "1", "text": "x"}, idempotency_key="k1")
    drain_until_settled(FAST)

    body = Client().get("/api/v1/integrations/health").json()
    assert body == {"status": "degraded", "backlog": {"pending": 0, "dead": 1, "oldest_pending_age_s": 0.0}}


def test_the_desk_fetches_the_applicant_and_the_read_is_logged(world: World, sims: Simulators) -> None:
    reception = world.staff["reception"]
    response = StaffClient(reception).get("/api/v1/integrations/population/010190012345")

    assert response.status_code == 200
    assert response.json()["birth_date"].startswith("1990-")
    assert response.json()["source"] == "CSDLQGDC"
    logged = list(ExchangeRecord.objects.filter(partner="population").order_by("seq"))
    assert [r.direction for r in logged] == ["request", "response"]
    assert all(r.personal_data and r.actor == reception.username for r in logged)
    assert logged[0].correlation_id == logged[1].correlation_id

    unknown = StaffClient(reception).get("/api/v1/integrations/population/010190010000")
    assert unknown.status_code == 404
    other = StaffClient(world.staff["specialist"]).get("/api/v1/integrations/population/010190012345")
    assert other.status_code == 403


def test_the_population_database_down_is_a_503(world: World, sims: Simulators) -> None:
    sims.set_faults("population", down=True)
    response = StaffClient(world.staff["reception"]).get("/api/v1/integrations/population/010190012345")
    assert (response.status_code, response.json()["error"]["code"]) == (503, "partner_unavailable")


def test_exchange_verify_passes_then_finds_a_tampered_record(world: World, sims: Simulators) -> None:
    DossierFactory.create(world=world, handling=True)
    drain_until_settled(FAST)
    assert ExchangeRecord.objects.count() >= 6
    call_command("exchange_verify")

    record = ExchangeRecord.objects.filter(partner="dvcqg", direction="request").order_by("seq")[1]
    assert "Nguyễn" in record.body
    ExchangeRecord.objects.filter(pk=record.pk).update(body=record.body.replace("Nguyễn", "Trần"))
    with pytest.raises(CommandError):
        call_command("exchange_verify")
