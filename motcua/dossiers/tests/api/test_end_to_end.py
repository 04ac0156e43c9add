"""Must-show 1 (API part): a citizen of Xã Hợp Thành (02680) files birth registration (1.001193) at
Phường Lào Cai (02647); the dossier goes to Xã Hợp Thành's People's Committee, is approved there, and the
result is returned at Phường Lào Cai; public tracking shows the timeline.

The fixture (conftest) loads the demo organization of Lào Cai and imports only 1.001193 from the shipped
data. The receipt (Mẫu 01) and the control sheet (Mẫu 06) are printed and read back from the PDFs.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pypdf
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.catalog.models import Procedure
from motcua.dossiers.tests.api.conftest import BIRTH_REGISTRATION, HOP_THANH, LAO_CAI
from motcua.dossiers.tests.api.helpers import StaffClient
from motcua.org.models import Agency, AgencyKind, StaffUser


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

    receipt = _pdf_text(desk.get(f"/api/v1/dossiers/{code}/forms/mau01"))
    assert code in receipt
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in receipt
    assert "Giàng A Páo" in receipt
    assert "010190054321" in receipt  # the applicant's own receipt carries the full personal ID
    assert "Trung tâm Phục vụ hành chính công phường Lào Cai" in receipt
    assert _hhmm(body["received_at"]) in receipt
    assert _hhmm(body["due_at"]) in receipt
    sheet = _pdf_text(_as(f"leader.{HOP_THANH}").get(f"/api/v1/dossiers/{code}/forms/mau06"))
    assert code in sheet
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in sheet
    assert "Ủy ban nhân dân xã Hợp Thành" in sheet
    assert "Giàng A Páo" in sheet
    for event in final["history"]:
        assert f"{event['at'][11:16]} {event['at'][8:10]}/{event['at'][5:7]}/{event['at'][:4]}" in sheet
    assert len(re.findall(r"Trước hạn|Đúng hạn|Quá hạn", sheet)) >= 5

    wrong = Client().get(f"/api/v1/tracking/{code}", {"token": "x" + body["tracking_token"][1:]})
    unknown = Client().get("/api/v1/tracking/H38.103-990101-0001", {"token": body["tracking_token"]})
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()


def _codes(client: StaffClient) -> list[str]:
    return [item["code"] for item in client.get("/api/v1/dossiers").json()["items"]]


def _pdf_text(response: Any) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    return " ".join(text.split())


def _hhmm(iso_time: str) -> str:
    """`2026-03-02T09:12:00+07:00` as the forms print it: `09 giờ 12 phút, ngày 02/03/2026`."""
    return f"{iso_time[11:13]} giờ {iso_time[14:16]} phút, ngày {iso_time[8:10]}/{iso_time[5:7]}/{iso_time[:4]}"


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("to-khai.pdf", b"%PDF-1.4\n1 0 obj <</Type /Page>>\n%%EOF\n", "application/pdf")
