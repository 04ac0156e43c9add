"""Reads of the organization."""

from __future__ import annotations

from django.db.models import QuerySet

from motcua.core.errors import NotFound
from motcua.core.reference_cache import reference_cached
from motcua.org.models import AdministrativeUnit, Agency, Province, ServiceCenter


def service_center_active(code: str) -> ServiceCenter | None:
    """The active center with `code`, memoized per process (see `core.reference_cache`)."""
    return reference_cached("org.center", code, lambda: ServiceCenter.objects.filter(code=code, is_active=True).first())


def administrative_unit(code: str) -> AdministrativeUnit | None:
    """The commune or ward with `code`, memoized per process (see `core.reference_cache`)."""
    return reference_cached("org.unit", code, lambda: AdministrativeUnit.objects.filter(code=code).first())


def agency_provinces() -> dict[int, str]:
    """Every agency's province code by id (the working calendar a dossier's clock runs on), memoized per
    process (see `core.reference_cache`)."""
    return reference_cached("org.agency_provinces", None, lambda: dict(Agency.objects.values_list("id", "province_id")))


def units_of_province(province_code: str | None) -> QuerySet[AdministrativeUnit]:
    units = AdministrativeUnit.objects.all()
    if province_code is None:
        return units
    if not Province.objects.filter(code=province_code).exists():
        raise NotFound(f"Không có tỉnh mã '{province_code}'.", code="unknown_province", province=province_code)
    return units.filter(province_id=province_code)
