"""Must-show 1 (API part): a citizen of Xã Hợp Thành (02680) files birth registration (1.001193) at
Phường Lào Cai (02647); the dossier goes to Xã Hợp Thành's People's Committee, is approved there, and the
result is returned at Phường Lào Cai; public tracking shows the timeline.

The fixture loads the demo organization of Lào Cai and imports only 1.001193 from the shipped data.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.catalog.data import DATA_DIR
from motcua.catalog.models import Procedure
from motcua.catalog.services.imports import import_procedure_files
from motcua.dossiers.tests.api.helpers import StaffClient
from motcua.org.demo import demo_organization_seed
from motcua.org.models import Agency, AgencyKind, StaffUser
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


def _as(username: str) -> StaffClient:
    return StaffClient(StaffUser.objects.get(username=username))


def test_boundary_free_birth_registration_from_desk_to_returned_result(lao_cai: Procedure) -> None:
    assert lao_cai.current_version is not None
    desk = _as(f"reception.{LAO_CAI}")
    scan = desk.upload("/api/v1/documents", {"file": _pdf()}).json()["sha256"]
    components = [
        {"component": c.code, "documents": [scan]} for c in lao_cai.current_version.components.filter(required=True)
    ]

    created = desk.post(
        "/api/v1/dossiers",
        {
            "procedure_code": BIRTH_REGISTRATION,
            "receiving_unit": LAO_CAI,
            "channel": "direct",
            "applicant": {"full_name": "Giàng A Páo", "personal_id": "010190054321", "address_unit": HOP_THANH},
            "subject_unit": HOP_THANH,
            "components": components,
        },
    )

    assert created.status_code == 201, created.json()
    body = created.json()
    committee = Agency.objects.get(unit_id=HOP_THANH, kind=AgencyKind.COMMUNE_COMMITTEE)
    code = body["code"]
    assert code.startswith(f"{committee.code}-")
    assert (body["receiving_unit"], body["handling_unit"], body["status"]) == (LAO_CAI, HOP_THANH, 2)
    assert body["received_at"].endswith("+07:00")
    assert body["due_at"].endswith("+07:00")

    # In Xã Hợp Thành's specialist inbox, and in no other commune's.
    assert code in _codes(_as(f"specialist.{HOP_THANH}"))
    assert code not in _codes(_as(f"specialist.{LAO_CAI}"))
    other_communes = StaffUser.objects.filter(username__startswith="specialist.0").exclude(
        username=f"specialist.{HOP_THANH}"
    )
    assert all(code not in _codes(StaffClient(user)) for user in other_communes[:5])

    steps: list[tuple[str, str, dict[str, Any]]] = [
        (f"reception.{LAO_CAI}", "transfer", {}),
        (f"leader.{HOP_THANH}", "assign", {"payload": {"assignee": f"specialist.{HOP_THANH}"}}),
        (f"specialist.{HOP_THANH}", "forward", {}),
        (f"leader.{HOP_THANH}", "approve", {"payload": {"result_documents": [scan]}}),
        (f"clerk.{HOP_THANH}", "issue-result", {}),
        (f"reception.{LAO_CAI}", "return-result", {}),
    ]
    for username, action, extra in steps:
        response = _as(username).post(f"/api/v1/dossiers/{code}/actions/{action}", extra)
        assert response.status_code == 200, (action, response.json())
    final = response.json()
    assert (final["status"], final["outcome"], final["return_place"]) == (10, "approved", "desk")
    assert [e["action"] for e in final["history"]] == ["receive", *(action for _, action, _ in steps)]

    tracking = Client().get(f"/api/v1/tracking/{code}", {"token": body["tracking_token"]})
    assert tracking.status_code == 200
    public = tracking.json()
    assert public["applicant"] == "G*** A*** P***"
    assert [e["status"] for e in public["timeline"]] == [2, 4, 4, 4, 4, 9, 10]
    assert "010190054321" not in tracking.content.decode()

    wrong = Client().get(f"/api/v1/tracking/{code}", {"token": "x" + body["tracking_token"][1:]})
    unknown = Client().get("/api/v1/tracking/H38.103-990101-0001", {"token": body["tracking_token"]})
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()


def _codes(client: StaffClient) -> list[str]:
    return [item["code"] for item in client.get("/api/v1/dossiers").json()["items"]]


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("to-khai.pdf", b"%PDF-1.4\n1 0 obj <</Type /Page>>\n%%EOF\n", "application/pdf")
