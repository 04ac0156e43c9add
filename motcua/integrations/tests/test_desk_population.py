"""At the desk: the applicant fetched from the population database (simulator) and received with the
lookup's signed reference, so the dossier counts for Decision 766 index 4.5 and the portal sees it."""

from __future__ import annotations

from typing import Any

from motcua.core.models_outbox import OutboxMessage
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.api.helpers import StaffClient
from motcua.dossiers.tests.factories import World
from motcua.integrations.simulators import Simulators

PERSONAL_ID = "010190012345"


def _reception_body(world: World, applicant: dict[str, Any]) -> dict[str, Any]:
    return {
        "procedure_code": world.procedure.code,
        "receiving_unit": world.center.code,
        "channel": "direct",
        "applicant": applicant,
        "subject_unit": world.subject_code,
        "components": [{"component": "to-khai"}, {"component": "giay-chung-sinh"}],
    }


def test_a_dossier_received_from_the_lookup_is_linked_and_synced_with_dsketnoicsdl(
    world: World, sims: Simulators
) -> None:
    desk = StaffClient(world.staff["reception"])
    citizen = desk.get(f"/api/v1/integrations/population/{PERSONAL_ID}").json()
    applicant = {
        "full_name": citizen["full_name"],
        "personal_id": PERSONAL_ID,
        "birth_date": citizen["birth_date"],
        "verified_by_population_db": True,
        "population_reference": citizen["lookup_reference"],
    }

    created = desk.post("/api/v1/dossiers", _reception_body(world, applicant))

    assert created.status_code == 201, created.json()
    code = created.json()["code"]
    assert desk.get(f"/api/v1/dossiers/{code}").json()["population_db_linked"] is True
    sync = OutboxMessage.objects.get(dossier_code=code, partner="dvcqg")
    assert sync.payload["DSKetNoiCSDL"] == [{"MaCSDL": "CSDLQGDC"}]


def test_a_client_that_never_looked_up_cannot_claim_the_link(world: World, sims: Simulators) -> None:
    desk = StaffClient(world.staff["reception"])
    # Another desk's lookup does not carry over either.
    elsewhere = StaffClient(world.staff["other_reception"]).get(f"/api/v1/integrations/population/{PERSONAL_ID}")
    citizen = elsewhere.json()
    applicant = {"full_name": citizen["full_name"], "personal_id": PERSONAL_ID, "birth_date": citizen["birth_date"]}

    for reference in ("", "made-up", citizen["lookup_reference"]):
        refused = desk.post(
            "/api/v1/dossiers",
            _reception_body(world, {**applicant, "verified_by_population_db": True, "population_reference": reference}),
        )
        assert (refused.status_code, refused.json()["error"]["code"]) == (422, "invalid_lookup_reference")
    assert not Dossier.objects.exists()
