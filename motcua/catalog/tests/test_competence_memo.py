"""Competence from the memoized province rules: a new procedure, commune or day reads nothing once the
province is loaded, and a new rule is seen at once by the process that saved it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from motcua.catalog.competence import competent_agency, delegation_create, sector_assignment_set
from motcua.catalog.models import Field, Procedure
from motcua.org.models import AgencyKind
from motcua.org.tests.factories import AgencyFactory, ProvinceFactory, UnitFactory

# Saves outside a test transaction, so commits (and the memo's generation) behave as in production.
pytestmark = pytest.mark.django_db(transaction=True)

AssertQueries = Callable[..., Any]


def test_new_pairs_and_days_read_nothing_and_a_new_delegation_is_seen(
    django_assert_num_queries: AssertQueries,
) -> None:
    province = ProvinceFactory.create()
    units = [UnitFactory.create(province=province) for _ in range(3)]
    for unit in units:
        AgencyFactory.create(province=province, commune_committee=True, unit=unit)
    justice = AgencyFactory.create(province=province, department=True, code="H38.003", name="Sở Tư pháp")
    field = Field.objects.create(code="ho-tich", name="Hộ tịch")
    sector_assignment_set(province=province, field=field, agency=justice)
    commune = Procedure.objects.create(code="1.001193", name="Khai sinh", levels=["commune"], field=field)
    provincial = Procedure.objects.create(code="2.000001", name="Lý lịch tư pháp", levels=["province"], field=field)

    assert competent_agency(procedure=commune, subject_unit=units[0], on=date(2026, 3, 2)).unit_id == units[0].code
    with django_assert_num_queries(0):
        assert competent_agency(procedure=commune, subject_unit=units[1], on=date(2026, 3, 3)).unit_id == units[1].code
        assert competent_agency(procedure=provincial, subject_unit=units[2], on=date(2026, 3, 4)) == justice

    delegate = AgencyFactory.create(province=province, name="Trung tâm Trợ giúp pháp lý")
    delegation_create(
        province=province,
        procedure=provincial,
        from_agency=justice,
        to_agency=delegate,
        valid_from=date(2026, 3, 1),
        valid_to=None,
        decision_number="01/QĐ-UBND",
    )
    assert competent_agency(procedure=provincial, subject_unit=units[2], on=date(2026, 3, 5)) == delegate
    assert competent_agency(procedure=commune, subject_unit=units[2], on=date(2026, 3, 5)).kind == (
        AgencyKind.COMMUNE_COMMITTEE
    )
