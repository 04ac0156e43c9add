"""The demo organization: agencies with valid e-identifiers, centers, counters, one account per role."""

from __future__ import annotations

import re

import pytest

from motcua.core.errors import InvalidInput
from motcua.org.demo import DEMO_PASSWORD, demo_organization_seed
from motcua.org.models import Agency, AgencyKind, Counter, Role, ServiceCenter, StaffUser
from motcua.org.upsert import UpsertCount

pytestmark = pytest.mark.django_db

AGENCY_CODE = re.compile(r"^[A-Y][0-9]{2}(\.[0-9A-Z]+)*$")


def test_seed_builds_the_organization_of_lao_cai_and_a_rerun_changes_nothing() -> None:
    first = demo_organization_seed(province_code="15")
    second = demo_organization_seed(province_code="15")

    assert first.changes.created > 0
    assert second.changes == UpsertCount()
    assert (second.units, second.agencies, second.centers) == (99, first.agencies, 100)
    assert second.counters == Counter.objects.count() == 12 + 99 * 3
    assert second.staff == StaffUser.objects.count()


def test_agencies_have_unique_codes_in_the_decision_20_format() -> None:
    demo_organization_seed(province_code="15")

    codes = list(Agency.objects.values_list("code", flat=True))
    assert all(AGENCY_CODE.match(code) and len(code) <= 35 for code in codes)
    assert len(codes) == len(set(codes))
    committee = Agency.objects.get(code="H38")
    assert (committee.kind, committee.legacy_code) == (AgencyKind.PROVINCE_COMMITTEE, "000.00.00.H38")
    assert Agency.objects.get(code="H38.003").name == "Sở Tư pháp tỉnh Lào Cai"
    communes = Agency.objects.filter(kind=AgencyKind.COMMUNE_COMMITTEE)
    assert communes.count() == 99
    assert communes.filter(unit__isnull=True).count() == 0
    assert Agency.objects.get(unit_id="02647", kind=AgencyKind.COMMUNE_COMMITTEE).code == "H38.101"
    assert Agency.objects.filter(kind=AgencyKind.POLICE, unit__isnull=False).count() == 99


def test_centers_are_named_by_unit_code_and_province() -> None:
    demo_organization_seed(province_code="15")

    provincial = ServiceCenter.objects.get(code="province")
    commune = ServiceCenter.objects.get(code="02647")
    assert provincial.counters.count() == 12
    assert commune.counters.count() == 3
    assert commune.unit_id == "02647"
    assert commune.agency.code == "H38.101"


def test_one_account_per_role_and_scope_with_the_demo_password() -> None:
    demo_organization_seed(province_code="15")

    admin = StaffUser.objects.get(username="admin")
    assert (admin.role, admin.is_staff, admin.is_superuser) == (Role.SYSTEM_ADMIN, True, True)
    assert admin.check_password(DEMO_PASSWORD)
    assert StaffUser.objects.get(username="supervisor").province_id == "15"
    for scope in ("province", "02647", "04750"):
        assert _scope(f"reception.{scope}") == scope
        assert _scope(f"center_admin.{scope}") == scope
    # Province-level handling accounts belong to the provincial People's Committee.
    assert _scope("specialist.province") == "H38"
    assert _scope("leader.02647") == "H38.101"
    assert _scope("clerk.H38.003") == "H38.003"
    for role in Role:
        assert StaffUser.objects.filter(role=role).exists()
    # Every unit has its five scoped accounts.
    assert (
        StaffUser.objects.filter(username__regex=r"^(reception|specialist|leader|clerk|center_admin)\.\d{5}$").count()
        == 99 * 5
    )


def _scope(username: str) -> str:
    """Code of the account's center or agency."""
    user = StaffUser.objects.select_related("center", "agency").get(username=username)
    scope = user.center or user.agency
    assert scope is not None
    return scope.code


def test_rerun_keeps_a_changed_password() -> None:
    demo_organization_seed(province_code="15")
    user = StaffUser.objects.get(username="reception.02647")
    user.set_password("mat-khau-moi-2026")
    user.save()

    demo_organization_seed(province_code="15")

    assert StaffUser.objects.get(username="reception.02647").check_password("mat-khau-moi-2026")


def test_unknown_province_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        demo_organization_seed(province_code="01")

    assert caught.value.code == "demo_province_unsupported"
