"""The factories' traits build rows that satisfy the staff scope constraints."""

from __future__ import annotations

import pytest

from motcua.org.models import AgencyKind, Role, ServiceCenter
from motcua.org.tests.factories import AgencyFactory, ServiceCenterFactory, StaffUserFactory


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r.value for r in Role])
def test_staff_trait_per_role(role: str) -> None:
    user = StaffUserFactory.create(**{role: True})

    assert user.role == role


@pytest.mark.django_db
def test_agency_and_center_traits() -> None:
    committee = AgencyFactory.create(commune_committee=True)
    commune_center = ServiceCenterFactory.create()
    provincial = ServiceCenterFactory.create(provincial=True)

    assert committee.kind == AgencyKind.COMMUNE_COMMITTEE
    assert committee.unit is not None
    assert committee.unit.province_id == committee.province_id
    assert commune_center.unit is not None
    assert commune_center.code == commune_center.unit.code
    assert commune_center.agency.unit == commune_center.unit
    assert provincial.code == ServiceCenter.PROVINCIAL_CODE
    assert provincial.is_provincial
