"""Competence (thẩm quyền): commune level, provincial sector, pinned procedures, delegation periods."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from motcua.catalog.competence import (
    CompetenceBasis,
    NoCompetentBody,
    competence_resolve,
    competent_agency,
    delegation_create,
    sector_assignment_set,
)
from motcua.catalog.models import Field, Procedure
from motcua.core.errors import InvalidInput
from motcua.org.models import AdministrativeUnit, Agency, AgencyKind, Province
from motcua.org.tests.factories import AgencyFactory, ProvinceFactory, StaffUserFactory, UnitFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 2)


@pytest.fixture
def province() -> Province:
    return ProvinceFactory.create()


@pytest.fixture
def unit(province: Province) -> AdministrativeUnit:
    return UnitFactory.create(province=province, name="Phường Lào Cai")


@pytest.fixture
def commune_committee(unit: AdministrativeUnit) -> Agency:
    return AgencyFactory.create(province=unit.province, commune_committee=True, unit=unit)


@pytest.fixture
def justice(province: Province) -> Agency:
    return AgencyFactory.create(province=province, department=True, code="H38.003", name="Sở Tư pháp")


@pytest.fixture
def field(province: Province, justice: Agency) -> Field:
    field = Field.objects.create(code="ho-tich", name="Hộ tịch")
    sector_assignment_set(province=province, field=field, agency=justice)
    return field


def _procedure(field: Field, *levels: str, code: str = "1.001193") -> Procedure:
    return Procedure.objects.create(code=code, name="Thủ tục thử", levels=list(levels), field=field)


@pytest.mark.usefixtures("commune_committee")
def test_commune_level_procedure_goes_to_the_people_committee_of_the_subject_unit(
    field: Field, unit: AdministrativeUnit
) -> None:
    other_unit = UnitFactory.create(province=unit.province)
    AgencyFactory.create(province=unit.province, commune_committee=True, unit=other_unit)
    procedure = _procedure(field, "commune")

    agency = competent_agency(procedure=procedure, subject_unit=unit, on=TODAY)

    assert agency.kind == AgencyKind.COMMUNE_COMMITTEE
    assert agency.unit == unit


def test_provincial_procedure_goes_to_the_department_of_its_field(
    field: Field, unit: AdministrativeUnit, justice: Agency
) -> None:
    procedure = _procedure(field, "province")

    decision = competence_resolve(procedure=procedure, subject_unit=unit, on=TODAY)

    assert decision.agency == justice
    assert decision.basis == CompetenceBasis.SECTOR


def test_multi_level_procedure_runs_at_commune_unless_pinned_to_a_provincial_body(
    field: Field, unit: AdministrativeUnit, commune_committee: Agency, justice: Agency
) -> None:
    procedure = _procedure(field, "province", "commune")
    assert competent_agency(procedure=procedure, subject_unit=unit, on=TODAY) == commune_committee

    sector_assignment_set(province=unit.province, procedure=procedure, agency=justice)

    decision = competence_resolve(procedure=procedure, subject_unit=unit, on=TODAY)
    assert (decision.agency, decision.basis) == (justice, CompetenceBasis.PINNED)


def test_commune_body_kind_follows_the_field_assignment(province: Province, unit: AdministrativeUnit) -> None:
    police = AgencyFactory.create(province=province, kind=AgencyKind.POLICE, name="Công an tỉnh")
    commune_police = AgencyFactory.create(province=province, commune_police=True, unit=unit)
    AgencyFactory.create(province=province, commune_committee=True, unit=unit)
    residence = Field.objects.create(code="cu-tru", name="Đăng ký, quản lý cư trú")
    sector_assignment_set(province=province, field=residence, agency=police, commune_agency_kind=AgencyKind.POLICE)

    procedure = _procedure(residence, "commune")

    assert competent_agency(procedure=procedure, subject_unit=unit, on=TODAY) == commune_police


@pytest.mark.parametrize(
    ("on", "delegated"),
    [
        (date(2025, 6, 30), False),  # the day before valid_from
        (date(2025, 7, 1), True),  # first day
        (date(2025, 12, 31), True),  # last day (inclusive)
        (date(2026, 1, 1), False),  # the day after valid_to
    ],
)
def test_delegation_to_an_agency_applies_inside_its_period_only(
    field: Field, unit: AdministrativeUnit, justice: Agency, on: date, delegated: bool
) -> None:
    delegate = AgencyFactory.create(province=unit.province, name="Trung tâm Trợ giúp pháp lý")
    procedure = _procedure(field, "province")
    delegation_create(
        province=unit.province,
        procedure=procedure,
        from_agency=justice,
        to_agency=delegate,
        valid_from=date(2025, 7, 1),
        valid_to=date(2025, 12, 31),
        decision_number="01/QĐ-UBND",
    )

    decision = competence_resolve(procedure=procedure, subject_unit=unit, on=on)

    assert decision.agency == (delegate if delegated else justice)
    assert (decision.basis == CompetenceBasis.DELEGATION) is delegated


def test_field_delegation_down_to_commune_level(
    field: Field, unit: AdministrativeUnit, commune_committee: Agency, justice: Agency
) -> None:
    procedure = _procedure(field, "province")
    delegation_create(province=unit.province, field=field, valid_from=date(2025, 7, 1), decision_number="02/QĐ-UBND")

    assert competent_agency(procedure=procedure, subject_unit=unit, on=TODAY) == commune_committee
    assert competent_agency(procedure=procedure, subject_unit=unit, on=date(2025, 6, 30)) == justice


def test_procedure_delegation_beats_field_delegation_then_latest_decision_wins(
    field: Field, unit: AdministrativeUnit, commune_committee: Agency
) -> None:
    first = AgencyFactory.create(province=unit.province)
    second = AgencyFactory.create(province=unit.province)
    procedure = _procedure(field, "province")
    delegation_create(province=unit.province, field=field, valid_from=date(2026, 2, 1), decision_number="field")
    delegation_create(
        province=unit.province, procedure=procedure, to_agency=first, valid_from=date(2025, 1, 1), decision_number="a"
    )
    assert competent_agency(procedure=procedure, subject_unit=unit, on=TODAY) == first

    delegation_create(
        province=unit.province, procedure=procedure, to_agency=second, valid_from=date(2026, 1, 1), decision_number="b"
    )
    assert competent_agency(procedure=procedure, subject_unit=unit, on=TODAY) == second


def test_ministry_only_procedure_has_no_competent_body(field: Field, unit: AdministrativeUnit) -> None:
    procedure = _procedure(field, "ministry")

    with pytest.raises(NoCompetentBody) as caught:
        competent_agency(procedure=procedure, subject_unit=unit, on=TODAY)

    error = caught.value
    assert error.code == "no_competent_body"
    assert error.status == 422
    assert error.details["reason"] == "not_handled_in_province"
    assert "1.001193" in error.message


def test_field_without_assignment_has_no_competent_body(unit: AdministrativeUnit) -> None:
    procedure = _procedure(Field.objects.create(code="moi", name="Lĩnh vực mới"), "province")

    with pytest.raises(NoCompetentBody) as caught:
        competent_agency(procedure=procedure, subject_unit=unit, on=TODAY)

    assert caught.value.details["reason"] == "no_sector_assignment"


def test_commune_level_without_a_commune_body_has_no_competent_body(field: Field, unit: AdministrativeUnit) -> None:
    with pytest.raises(NoCompetentBody) as caught:
        competent_agency(procedure=_procedure(field, "commune"), subject_unit=unit, on=TODAY)

    assert caught.value.details["reason"] == "no_commune_body"


def test_inactive_delegate_has_no_competent_body(field: Field, unit: AdministrativeUnit) -> None:
    delegate = AgencyFactory.create(province=unit.province, is_active=False)
    procedure = _procedure(field, "province")
    delegation_create(
        province=unit.province, procedure=procedure, to_agency=delegate, valid_from=TODAY, decision_number="x"
    )

    with pytest.raises(NoCompetentBody) as caught:
        competent_agency(procedure=procedure, subject_unit=unit, on=TODAY)

    assert caught.value.details["reason"] == "agency_inactive"


def test_services_refuse_inconsistent_records(province: Province, field: Field, justice: Agency) -> None:
    procedure = _procedure(field, "province")
    with pytest.raises(InvalidInput) as both:
        sector_assignment_set(province=province, field=field, procedure=procedure, agency=justice)
    with pytest.raises(InvalidInput) as period:
        delegation_create(
            province=province,
            field=field,
            valid_from=date(2026, 1, 2),
            valid_to=date(2026, 1, 1),
            decision_number="x",
        )

    assert both.value.code == "invalid_sector_assignment"
    assert period.value.code == "invalid_delegation_period"


@pytest.mark.parametrize("model", ["sectorassignment", "delegation"])
def test_competence_admin_lists_open(client: Client, field: Field, unit: AdministrativeUnit, model: str) -> None:
    delegation_create(province=unit.province, field=field, valid_from=TODAY, decision_number="01/QĐ-UBND")
    client.force_login(StaffUserFactory.create(system_admin=True))

    assert client.get(f"/admin/catalog/{model}/").status_code == 200
