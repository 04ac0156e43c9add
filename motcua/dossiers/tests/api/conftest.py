"""The Lào Cai world of the end-to-end tests: the demo organization and procedure 1.001193 only."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from motcua.catalog.data import DATA_DIR
from motcua.catalog.models import Procedure
from motcua.catalog.services.imports import import_procedure_files
from motcua.org.demo import demo_organization_seed
from motcua.workcal.services import clear_calendar_cache

BIRTH_REGISTRATION = "1.001193"
HOP_THANH, LAO_CAI = "02680", "02647"


@pytest.fixture
def lao_cai(db: None, tmp_path: Path) -> Procedure:
    clear_calendar_cache()
    demo_organization_seed(province_code="15")
    with gzip.open(DATA_DIR / "national-portal-2026-07.jsonl.gz", "rt", encoding="utf-8") as lines:
        record = next(line for line in lines if f'"ma_thu_tuc": "{BIRTH_REGISTRATION}"' in line)
    (tmp_path / "one.jsonl").write_text(record, encoding="utf-8")
    import_procedure_files([tmp_path / "one.jsonl"])
    return Procedure.objects.get(code=BIRTH_REGISTRATION)
