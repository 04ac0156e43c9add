"""`motcua demo`: the whole demo (organization, shipped catalog, competence, queues) is idempotent.

One test: it imports the whole national catalog (about 10 s).
"""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Max

from motcua.catalog.competence import competence_resolve
from motcua.catalog.demo import SAMPLE_DELEGATION_PROCEDURE
from motcua.catalog.models import Delegation, Field, Procedure, SectorAssignment
from motcua.org.models import AdministrativeUnit, Agency, AgencyKind, ServiceCenter, StaffUser
from motcua.queueing.models import QueueService


def _demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def _state() -> list[object]:
    return [
        (model.objects.count(), model.objects.aggregate(Max("updated_at"))["updated_at__max"])
        for model in (Agency, Procedure, SectorAssignment, Delegation, QueueService)
    ] + [StaffUser.objects.count()]


@pytest.mark.django_db
def test_demo_seeds_everything_and_a_second_run_changes_nothing() -> None:
    first = _demo()
    state = _state()

    second = _demo()

    assert second == first
    assert _state() == state
    assert "motcua-demo" in first
    assert "reception.02647" in first
    assert "motcua create-token USERNAME" in first
    assert (
        StaffUser.objects.filter(username__in=["admin", "supervisor", "reception.02647", "clerk.H38.003"]).count() == 4
    )
    # Every center of the province can issue queue numbers.
    assert not ServiceCenter.objects.filter(province_id="15").exclude(queue_services__isnull=False).exists()
    # Every field of the shipped catalog has a competent provincial body.
    assert SectorAssignment.objects.filter(field__isnull=False).count() == Field.objects.count()

    unit = AdministrativeUnit.objects.get(code="02647")
    on = date(2026, 3, 2)
    commune_civil_status = Procedure.objects.filter(field__name="Hộ tịch", levels=["commune"]).first()
    assert commune_civil_status is not None
    assert competence_resolve(procedure=commune_civil_status, subject_unit=unit, on=on).agency.code == "H38.101"
    provincial_justice = Procedure.objects.filter(field__name="Luật sư", levels=["province"]).first()
    assert provincial_justice is not None
    assert competence_resolve(procedure=provincial_justice, subject_unit=unit, on=on).agency.code == "H38.003"
    residence = Procedure.objects.filter(field__name="Đăng ký, quản lý cư trú", levels=["commune"]).first()
    assert residence is not None
    police = competence_resolve(procedure=residence, subject_unit=unit, on=on).agency
    assert (police.kind, police.unit_id) == (AgencyKind.POLICE, "02647")
    delegated = Procedure.objects.get(code=SAMPLE_DELEGATION_PROCEDURE)
    assert competence_resolve(procedure=delegated, subject_unit=unit, on=on).agency.code == "H38.101"
    assert competence_resolve(procedure=delegated, subject_unit=unit, on=date(2027, 1, 1)).agency.code == "H38.005"
