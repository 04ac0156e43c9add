"""Index 4.5 at the desk: data recorded as taken from the population database only with a genuine, recent
lookup of the same applicant by the same officer; the sync payload says so (DSKetNoiCSDL)."""

from __future__ import annotations

import time
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import signing

from motcua.core.errors import DomainError
from motcua.dossiers.lookup_reference import MAX_AGE, POPULATION_DB, LookupRecord, lookup_reference_issue
from motcua.dossiers.models import Dossier
from motcua.dossiers.services.reception import ApplicantData, ComponentData
from motcua.dossiers.services.sync import national_portal_payload
from motcua.dossiers.tests.factories import PERSONAL_ID, World, receive

NAME, BORN = "Nguyễn Văn An", date(1990, 5, 17)


def _reference(world: World, *, personal_id: str = PERSONAL_ID, officer: str | None = None) -> str:
    return lookup_reference_issue(
        LookupRecord(
            database=POPULATION_DB,
            personal_id=personal_id,
            full_name=NAME,
            birth_date=BORN,
            officer=officer or world.staff["reception"].username,
        )
    )


def _applicant(reference: str, *, name: str = NAME, born: date | None = BORN) -> ApplicantData:
    return ApplicantData(
        full_name=name,
        personal_id=PERSONAL_ID,
        birth_date=born,
        verified_by_population_db=True,
        population_reference=reference,
    )


def test_an_applicant_from_a_lookup_links_the_dossier_to_the_population_database(world: World) -> None:
    dossier = receive(world, applicant=_applicant(_reference(world)))

    assert dossier.population_db_linked
    payload = national_portal_payload(dossier)
    assert payload["DSKetNoiCSDL"] == [{"MaCSDL": "CSDLQGDC"}]
    assert payload["TaiKhoanDuocXacThucVoiVNeID"] == 0
    assert dossier.components.filter(from_national_db=True).count() == 0


def test_a_component_from_the_population_database_needs_the_reference_too(world: World) -> None:
    components = [
        ComponentData("to-khai"),
        ComponentData("giay-chung-sinh", from_national_db=True, national_db_reference=_reference(world)),
    ]
    dossier = receive(world, components=components)

    assert dossier.population_db_linked
    payload = national_portal_payload(dossier)
    assert [c["DuocLayTuKhoDMQG"] for c in payload["TaiLieuNop"]] == [0, 1]
    assert payload["DSKetNoiCSDL"] == [{"MaCSDL": "CSDLQGDC"}]


def test_a_dossier_typed_in_at_the_desk_is_not_linked(world: World) -> None:
    payload = national_portal_payload(receive(world))

    assert (payload["DSKetNoiCSDL"], payload["TaiKhoanDuocXacThucVoiVNeID"]) == ([], 0)


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("none", "invalid_lookup_reference"),
        ("forged", "invalid_lookup_reference"),
        ("expired", "invalid_lookup_reference"),
        ("other_person", "invalid_lookup_reference"),
        ("other_officer", "invalid_lookup_reference"),
        ("other_name", "population_data_mismatch"),
        ("no_birth_date", "population_data_mismatch"),
        ("component_without", "invalid_lookup_reference"),
    ],
)
def test_a_claim_without_a_matching_lookup_is_refused_and_nothing_is_written(
    world: World, case: str, code: str
) -> None:
    good = _reference(world)
    cases: dict[str, dict[str, Any]] = {
        "none": {"applicant": _applicant("")},
        "forged": {"applicant": _applicant(good[:-2] + ("AA" if not good.endswith("AA") else "BB"))},
        "expired": {"applicant": _applicant(_issued_ago(world, MAX_AGE + timedelta(seconds=5)))},
        "other_person": {"applicant": _applicant(_reference(world, personal_id="010190099999"))},
        "other_officer": {"applicant": _applicant(_reference(world, officer=world.staff["other_reception"].username))},
        "other_name": {"applicant": _applicant(good, name="Nguyễn Văn Ân")},
        "no_birth_date": {"applicant": _applicant(good, born=None)},
        "component_without": {
            "components": [ComponentData("to-khai"), ComponentData("giay-chung-sinh", from_national_db=True)]
        },
    }

    with pytest.raises(DomainError) as refused:
        receive(world, **cases[case])

    assert (refused.value.code, refused.value.status) == (code, 422)
    assert not Dossier.objects.exists()


def _issued_ago(world: World, age: timedelta) -> str:
    """A genuine reference of the desk's officer, issued `age` ago."""
    issued_at = time.time() - age.total_seconds()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(signing, "time", SimpleNamespace(time=lambda: issued_at))
        return _reference(world)
