"""Mẫu 01–06 built from the dossier's records and events; who may print them."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from motcua.dossiers.forms.control_sheet import EARLY, LATE, ON_TIME, judge
from motcua.dossiers.models import Dossier, DossierAccessLog
from motcua.dossiers.services.tracking import tracking_token, tracking_url
from motcua.dossiers.tests.api.helpers import StaffClient
from motcua.dossiers.tests.factories import DossierFactory, World, act, receive
from motcua.dossiers.tests.forms.helpers import pdf_text

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY_0912 = datetime(2026, 3, 2, 9, 12, tzinfo=HCM)


def _print(world: World, role: str, dossier: Dossier, form: str) -> str:
    response = StaffClient(world.staff[role]).get(f"/api/v1/dossiers/{dossier.code}/forms/{form}")
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'inline; filename="{form}-{dossier.code}.pdf"'
    return pdf_text(response.content)


def _handling(world: World) -> Dossier:
    dossier = receive(world, received_at=MONDAY_0912)
    act(world, dossier, "transfer", "reception", at=MONDAY_0912 + timedelta(minutes=5))
    return act(world, dossier, "assign", "specialist", at=MONDAY_0912 + timedelta(minutes=10))


def test_receipt_has_the_number_times_components_and_tracking_address(world: World) -> None:
    dossier = receive(world, received_at=MONDAY_0912)

    text = _print(world, "reception", dossier, "mau01")

    assert f"Số: {dossier.code[-4:]}/TTPVHCC" in text
    assert "Mã hồ sơ: " + dossier.code in text
    assert "Nguyễn Văn An" in text
    assert "010190012345" in text
    assert "09 giờ 12 phút, ngày 02/03/2026" in text  # received
    assert "09 giờ 12 phút, ngày 09/03/2026" in text  # due: 5 working days
    assert "5 ngày làm việc" in text
    assert "Tờ khai" in text
    assert "Giấy chứng sinh" in text
    assert "chữ ký số" in text
    assert tracking_token(dossier) in text.replace(" ", "")


def test_tracking_url_is_the_public_page_under_the_configured_base(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOTCUA_PUBLIC_BASE_URL", "https://dichvucong.laocai.gov.vn/")
    dossier = receive(world)

    assert tracking_url(dossier) == (
        f"https://dichvucong.laocai.gov.vn/tra-cuu-ho-so/{dossier.code}?token={tracking_token(dossier)}"
    )


def test_supplement_request_lists_the_items_and_the_reason(world: World) -> None:
    dossier = _handling(world)
    act(
        world,
        dossier,
        "request-supplement",
        "specialist",
        at=MONDAY_0912 + timedelta(hours=2),
        reason="Bản sao chưa chứng thực",
        payload={"items": ["Bản sao Giấy chứng sinh có chứng thực", "Tờ khai có chữ ký"]},
    )

    text = _print(world, "specialist", dossier, "mau02")

    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert "/PBS-TTPVHCC" in text
    assert "Bản sao Giấy chứng sinh có chứng thực" in text
    assert "Tờ khai có chữ ký" in text
    assert "Lý do: Bản sao chưa chứng thực" in text
    assert "11 giờ 12 phút, ngày 02/03/2026" in text


def test_refusal_apology_and_stop_notice_come_from_their_events(world: World) -> None:
    online = receive(world, channel="online", received_at=MONDAY_0912)
    act(world, online, "refuse", "reception", at=MONDAY_0912 + timedelta(hours=1), reason="Không thuộc thẩm quyền")
    refusal = _print(world, "reception", online, "mau03")
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in refusal
    assert "/PTC-TTPVHCC" in refusal
    assert "Không thuộc thẩm quyền" in refusal

    late = _handling(world)
    act(
        world,
        late,
        "extend",
        "leader",
        at=MONDAY_0912 + timedelta(hours=1),
        reason="Cần xác minh nơi sinh",
        payload={"working_days": 2},
    )
    apology = _print(world, "leader", late, "mau04")
    assert f"/PXL-{world.subject_agency.code}" in apology
    assert "Cần xác minh nơi sinh" in apology
    assert "09 giờ 12 phút, ngày 09/03/2026" in apology  # the due time first given
    assert "09 giờ 12 phút, ngày 11/03/2026" in apology  # the new one
    assert "THỦ TRƯỞNG CƠ QUAN" in apology

    stopped = _handling(world)
    act(world, stopped, "stop", "reception", at=MONDAY_0912 + timedelta(hours=3), reason="Công dân đề nghị dừng")
    notice = _print(world, "reception", stopped, "mau05")
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in notice
    assert "Công dân đề nghị dừng" in notice


def test_control_sheet_has_one_row_per_hand_over(world: World) -> None:
    dossier = DossierFactory.create(world=world, returned=True, received_at=MONDAY_0912)

    text = _print(world, "supervisor", dossier, "mau06")

    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert f"{dossier.code[-4:]}/PKS-TTPVHCC" in text
    for hour in range(9, 16):  # the factory spaces the seven events one hour apart
        assert f"{hour:02d}:12 02/03/2026" in text
    assert text.count("1. Giao:") == 7
    # The desk's quarter-day step ends on its due day; the others days before theirs; the result on time.
    assert (text.count("Đúng hạn"), text.count("Trước hạn"), text.count("Quá hạn")) == (1, 4, 0)
    assert "Phân công xử lý (người xử lý: " in text
    assert f"Giao: {world.center.name}" in text


def test_judging_hand_overs() -> None:
    due = datetime(2026, 3, 9, 9, 12, tzinfo=HCM)
    assert judge(due - timedelta(days=1), due) == EARLY
    assert judge(due - timedelta(hours=1), due) == ON_TIME
    assert judge(due, due) == ON_TIME
    assert judge(due + timedelta(minutes=1), due) == LATE


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("reception", 200),
        ("specialist", 200),
        ("supervisor", 200),
        ("other_reception", 404),
        ("other_specialist", 404),
        ("other_leader", 404),
    ],
)
def test_forms_are_printed_only_for_visible_dossiers_and_logged(world: World, role: str, status: int) -> None:
    dossier = receive(world)

    response = StaffClient(world.staff[role]).get(f"/api/v1/dossiers/{dossier.code}/forms/mau01")

    assert response.status_code == status
    logged = DossierAccessLog.objects.filter(dossier=dossier, actor=world.staff[role], purpose="mau01").exists()
    assert logged is (status == 200)
    if status == 404:
        assert response.json()["error"]["code"] == "dossier_not_found"


def test_unknown_forms_and_forms_without_their_event_are_not_found(world: World) -> None:
    dossier = receive(world)
    client = StaffClient(world.staff["reception"])

    unknown = client.get(f"/api/v1/dossiers/{dossier.code}/forms/mau99")
    missing = client.get(f"/api/v1/dossiers/{dossier.code}/forms/mau03")
    anonymous = StaffClient(world.staff["reception"]).client.get(f"/api/v1/dossiers/{dossier.code}/forms/mau01")

    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "unknown_form")
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "form_not_available")
    assert anonymous.status_code == 401
