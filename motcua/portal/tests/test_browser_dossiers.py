"""The citizen's side in Debian's chromium: sign in through the VNeID simulator, file online with an upload,
double-click "Nộp hồ sơ" (one dossier), follow the tracking link as the receipt's QR would; rate a returned
dossier from its QR link; a center's public page. Every page passes axe-core (no serious or critical)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, FilePayload, Page, expect
from pytest_django.live_server_helper import LiveServer

from motcua.dossiers.models import Dossier, DossierRating
from motcua.dossiers.services.tracking import tracking_url
from motcua.dossiers.states import Status
from motcua.dossiers.tests.factories import DossierFactory, World, build_world
from motcua.portal.tests.conftest import PDF
from motcua.portal.tests.test_browser import serious_violations
from motcua.workcal.services import clear_calendar_cache

pytestmark = pytest.mark.browser
# Tests take `live_world` before `live_server`: the database is then set up before the session-wide live
# server starts, and dropped after it is gone (PostgreSQL refuses to drop a database in use).


@pytest.fixture
def live_world(transactional_db: None, monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> World:
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(tmp_path))
    clear_calendar_cache()
    return build_world()


def payload(name: str, content: bytes) -> FilePayload:
    return {"name": name, "mimeType": "application/pdf", "buffer": content}


def _page(browser: Browser) -> Page:
    return browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN").new_page()


def test_online_submission_with_upload_and_a_double_clicked_submit(
    live_world: World, live_server: LiveServer, browser: Browser
) -> None:
    world = live_world
    page = _page(browser)
    page.goto(f"{live_server.url}/thu-tuc/{world.procedure.code}/")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    assert serious_violations(page) == []

    page.get_by_role("link", name="Đăng nhập bằng VNeID").click()
    expect(page.get_by_role("heading", name="Mô phỏng VNeID")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_label("Nguyễn Thị Lan (010190012345)").check()
    page.get_by_role("button", name="Đồng ý chia sẻ thông tin và đăng nhập").click()

    # Back on the form, signed in, with the profile filled in from the provider.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nộp hồ sơ trực tuyến")
    expect(page.get_by_label("Họ và tên")).to_have_value("Nguyễn Thị Lan")
    assert serious_violations(page) == []
    page.get_by_label("Xã, phường nơi phát sinh thủ tục").select_option(world.subject_code)
    page.get_by_label("Trung tâm tiếp nhận").select_option(world.center.code)
    page.set_input_files("#id_file_0", files=[payload("to-khai.pdf", PDF)])
    page.get_by_role("button", name="Lưu bản nháp").click()
    expect(page.get_by_role("status")).to_contain_text("Đã lưu bản nháp")
    expect(page.locator(".files li")).to_have_count(1)

    # A disguised file is refused with a message; what was typed stays.
    page.set_input_files("#id_file_1", files=[payload("chung-sinh.pdf", b"MZ\x90\x00")])
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("không phải PDF, JPEG, PNG hoặc TIFF")
    expect(page.get_by_label("Xã, phường nơi phát sinh thủ tục")).to_have_value(world.subject_code)
    assert serious_violations(page) == []

    page.set_input_files("#id_file_1", files=[payload("chung-sinh.pdf", PDF)])
    page.get_by_role("button", name="Nộp hồ sơ", exact=True).dblclick()
    expect(page.get_by_role("heading", name="Đã nộp hồ sơ")).to_be_visible()
    assert serious_violations(page) == []

    dossier = Dossier.objects.get()
    assert (dossier.status, dossier.vneid_verified, dossier.applicant_personal_id) == (
        Status.SUBMITTED,
        True,
        "010190012345",
    )
    expect(page.get_by_role("status")).to_contain_text(dossier.code)

    # The confirmation's tracking link is the QR's address.
    href = page.get_by_role("link", name="Theo dõi hồ sơ").get_attribute("href")
    assert href is not None
    assert urlsplit(href).path == urlsplit(tracking_url(dossier)).path
    page.goto(f"{live_server.url}{urlsplit(href).path}?{urlsplit(href).query}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {dossier.code}")
    expect(page.get_by_text("Mới đăng ký.")).to_be_visible()
    assert "Nguyễn Thị Lan" not in page.content()
    assert serious_violations(page) == []
    assert Dossier.objects.count() == 1


def test_tracking_by_qr_link_and_rating(live_world: World, live_server: LiveServer, browser: Browser) -> None:
    dossier = DossierFactory.create(world=live_world, returned=True)
    parts = urlsplit(tracking_url(dossier))
    page = _page(browser)
    page.goto(f"{live_server.url}{parts.path}?{parts.query}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {dossier.code}")
    expect(page.get_by_text("Kết quả đã được trả.")).to_be_visible()
    assert serious_violations(page) == []

    page.get_by_label("Hài lòng", exact=True).check()
    page.get_by_label("Góp ý (không bắt buộc)").fill("Cán bộ hướng dẫn tận tình.")
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_role("status")).to_have_text("Cảm ơn bạn đã đánh giá.")
    assert serious_violations(page) == []
    assert DossierRating.objects.get().satisfaction == "satisfied"

    # The lookup form without JavaScript: code plus phone digits; a wrong guess is a message.
    page.goto(f"{live_server.url}/tra-cuu-ho-so/")
    assert serious_violations(page) == []
    page.get_by_label("Mã hồ sơ").fill(dossier.code)
    page.get_by_label("4 chữ số cuối số điện thoại đã khai khi nộp").fill("1111")
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.get_by_role("alert")).to_contain_text("Không tìm thấy hồ sơ")
    assert serious_violations(page) == []

    page.goto(f"{live_server.url}/trung-tam/{live_world.center.code}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(live_world.center.name)
    assert serious_violations(page) == []
