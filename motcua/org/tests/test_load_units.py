"""Loading the 2025 administrative units: counts, Lào Cai, idempotence."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from motcua.org.models import AdministrativeUnit, Province
from motcua.org.services import units_load


@pytest.mark.django_db
def test_loads_34_provinces_and_3321_units() -> None:
    result = units_load()

    assert (result.provinces, result.units) == (34, 3321)
    assert Province.objects.count() == 34
    assert AdministrativeUnit.objects.count() == 3321
    lao_cai = Province.objects.get(code="15")
    assert lao_cai.name == "Tỉnh Lào Cai"
    assert lao_cai.units.count() == 99
    assert lao_cai.units.filter(type="xã").count() == 89
    assert lao_cai.units.filter(type="phường").count() == 10
    assert AdministrativeUnit.objects.get(code="02647").name == "Phường Lào Cai"


@pytest.mark.django_db
def test_rerun_changes_nothing_and_restores_an_edited_name() -> None:
    units_load()

    again = units_load()
    assert (again.created, again.updated) == (0, 0)

    AdministrativeUnit.objects.filter(code="02647").update(name="Sửa tay")
    repaired = units_load()
    assert (repaired.created, repaired.updated) == (0, 1)
    assert AdministrativeUnit.objects.get(code="02647").name == "Phường Lào Cai"


@pytest.mark.django_db
def test_command_reports_counts() -> None:
    out = StringIO()
    call_command("load_units", stdout=out)
    call_command("load_units", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == "34 tỉnh, 3321 đơn vị hành chính cấp xã: 3355 thêm mới, 0 cập nhật."
    assert lines[1] == "34 tỉnh, 3321 đơn vị hành chính cấp xã: 0 thêm mới, 0 cập nhật."
