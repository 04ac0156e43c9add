"""Reads of the organization."""

from __future__ import annotations

from django.db.models import QuerySet

from motcua.core.errors import NotFound
from motcua.org.models import AdministrativeUnit, Province


def units_of_province(province_code: str | None) -> QuerySet[AdministrativeUnit]:
    units = AdministrativeUnit.objects.all()
    if province_code is None:
        return units
    if not Province.objects.filter(code=province_code).exists():
        raise NotFound(f"Không có tỉnh mã '{province_code}'.", code="unknown_province", province=province_code)
    return units.filter(province_id=province_code)
