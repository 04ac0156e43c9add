"""Staff-page fixtures: the demo organization of Lào Cai with only 1.001193 imported (fast), and
dossiers received through the reception service, as the desk would."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from django.test import Client

from motcua.catalog.data import DATA_DIR
from motcua.catalog.models import Procedure
from motcua.catalog.services.imports import import_procedure_files
from motcua.dossiers.models import Dossier
from motcua.dossiers.services.documents import document_store
from motcua.dossiers.services.reception import ApplicantData, ComponentData, dossier_receive
from motcua.org.demo import demo_organization_seed
from motcua.org.models import StaffUser
from motcua.workcal.services import clear_calendar_cache

BIRTH_REGISTRATION = "1.001193"
HOP_THANH, LAO_CAI = "02680", "02647"
PDF = b"%PDF-1.4\n1 0 obj <</Type /Page>>\n%%EOF\n"


def seed_lao_cai(tmp_path: Path) -> Procedure:
    clear_calendar_cache()
    demo_organization_seed(province_code="15")
    with gzip.open(DATA_DIR / "national-portal-2026-07.jsonl.gz", "rt", encoding="utf-8") as lines:
        record = next(line for line in lines if f'"ma_thu_tuc": "{BIRTH_REGISTRATION}"' in line)
    (tmp_path / "one.jsonl").write_text(record, encoding="utf-8")
    import_procedure_files([tmp_path / "one.jsonl"])
    return Procedure.objects.get(code=BIRTH_REGISTRATION)


@pytest.fixture
def lao_cai(db: None, tmp_path: Path) -> Procedure:
    return seed_lao_cai(tmp_path)


def staff(username: str) -> StaffUser:
    return StaffUser.objects.get(username=username)


def signed_in(username: str, *, enforce_csrf_checks: bool = False) -> Client:
    client = Client(enforce_csrf_checks=enforce_csrf_checks)
    client.force_login(staff(username))
    return client


def receive(procedure: Procedure, *, name: str = "Giàng A Páo", personal_id: str = "010190054321") -> Dossier:
    """A complete direct dossier received at Phường Lào Cai for a citizen of Xã Hợp Thành."""
    desk = staff(f"reception.{LAO_CAI}")
    scan = document_store(actor=desk, chunks=[PDF]).sha256
    assert procedure.current_version is not None
    return dossier_receive(
        actor=desk,
        procedure_code=procedure.code,
        receiving_center=LAO_CAI,
        channel="direct",
        applicant=ApplicantData(full_name=name, personal_id=personal_id, address_unit=HOP_THANH),
        subject_unit=HOP_THANH,
        components=[
            ComponentData(component=c.code, documents=[scan])
            for c in procedure.current_version.components.filter(required=True)
        ],
    )
