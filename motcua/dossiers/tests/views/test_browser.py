"""Must-show 1, browser half: a citizen of Xã Hợp Thành (02680) files birth registration (1.001193) at
Phường Lào Cai (02647) through the staff pages; the dossier reaches Xã Hợp Thành's specialist inbox (and
no other commune's), is handled, approved, numbered, and the result is returned at Phường Lào Cai;
public tracking shows the timeline. Debian's chromium through Playwright, at 1366×768.

Set MOTCUA_SCREENSHOT_DIR to keep a screenshot of each page (for looking at them; never committed).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from motcua.catalog.models import Procedure
from motcua.dossiers.tests.views.conftest import HOP_THANH, LAO_CAI, PDF, seed_lao_cai

pytestmark = pytest.mark.browser


@pytest.fixture
def procedure(transactional_db: None, tmp_path: Path) -> Procedure:
    return seed_lao_cai(tmp_path)


class Officer:
    """One staff member in their own browser session."""

    def __init__(self, browser: Browser, server: LiveServer, username: str) -> None:
        self.page: Page = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN").new_page()
        self.server = server.url
        self.page.goto(f"{self.server}/can-bo/dang-nhap/")
        self.shoot("login")
        self.page.get_by_label("Tên đăng nhập").fill(username)
        self.page.get_by_label("Mật khẩu").fill("motcua-demo")
        self.page.get_by_role("button", name="Đăng nhập").click()
        self.page.wait_for_url(lambda url: "dang-nhap" not in url)

    def shoot(self, name: str) -> None:
        folder = os.environ.get("MOTCUA_SCREENSHOT_DIR")
        if folder:
            self.page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)

    def queue(self, slug: str) -> str:
        self.page.goto(f"{self.server}/can-bo/{slug}/")
        return self.page.locator("table.queue").inner_text()

    def act(self, code: str, button: str) -> None:
        self.page.goto(f"{self.server}/can-bo/ho-so/{code}/")
        self.page.get_by_role("button", name=button).click()
        expect(self.page.get_by_role("status")).to_contain_text(f"Đã thực hiện: {button}")


def test_birth_registration_from_desk_to_returned_result_in_the_browser(
    procedure: Procedure, live_server: LiveServer, browser: Browser, tmp_path: Path
) -> None:
    # `procedure` first: the test database is then set up before the (session-wide) live server starts,
    # so it is dropped after the server and its connections are gone.
    scan = tmp_path / "giay-chung-sinh.pdf"
    scan.write_bytes(PDF)
    desk = Officer(browser, live_server, f"reception.{LAO_CAI}")
    page = desk.page

    # Find the procedure (live results), fill in the applicant; a bad ID is refused in Vietnamese.
    page.get_by_label("Mã hoặc tên thủ tục").fill("khai sinh")
    page.get_by_role("link", name="1.001193").click()
    page.get_by_label("Họ và tên chủ hồ sơ").fill("Giàng A Páo")
    page.get_by_label("Số định danh cá nhân").fill("010190054321")
    page.get_by_label("Ngày sinh").fill("1991-05-02")
    page.get_by_label("Xã, phường nơi cư trú").select_option(HOP_THANH)
    for box in page.locator("input[name=component]").all():
        box.check()
    page.locator("input[type=file]").first.set_input_files([scan, scan])
    page.get_by_label("Tại bộ phận một cửa nơi nộp hồ sơ").check()
    desk.shoot("reception")
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    expect(page.locator(".error")).to_contain_text("không khớp ngày sinh")  # 1990 in the ID, 1991 given
    expect(page.get_by_label("Họ và tên chủ hồ sơ")).to_have_value("Giàng A Páo")
    page.get_by_label("Ngày sinh").fill("1990-05-02")
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()

    expect(page.get_by_role("status")).to_contain_text("Đã tiếp nhận hồ sơ")
    code = page.locator("h1 .code").inner_text()
    assert code.startswith("H38.1")  # Xã Hợp Thành People's Committee's identifier, not the ward's
    expect(page.locator(".facts")).to_contain_text("Ủy ban nhân dân xã Hợp Thành")
    expect(page.locator(".docs a")).to_have_count(1)  # the same scan twice is stored once
    token = page.locator(".facts code").inner_text()
    desk.shoot("dossier-received")
    # Keyboard: the first Tab reaches the skip link, which leads to the main content.
    page.goto(f"{live_server.url}/can-bo/ho-so/{code}/")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Bỏ qua, đến nội dung chính")
    page.keyboard.press("Enter")
    expect(page.locator(":focus")).to_have_id("main")
    desk.act(code, "Chuyển cơ quan giải quyết")

    specialist = Officer(browser, live_server, f"specialist.{HOP_THANH}")
    assert code in specialist.page.locator("table.queue").inner_text()  # signed in onto the inbox
    specialist.shoot("inbox")
    assert code not in Officer(browser, live_server, f"specialist.{LAO_CAI}").queue("hop-thu")
    specialist.act(code, "Phân công xử lý")
    specialist.act(code, "Trình bước tiếp theo")
    specialist.shoot("dossier-forwarded")

    leader = Officer(browser, live_server, f"leader.{HOP_THANH}")
    assert code in leader.page.locator("table.queue").inner_text()  # the approval queue
    leader.shoot("approval-queue")
    leader.page.goto(f"{leader.server}/can-bo/ho-so/{code}/")
    approve = leader.page.locator("form", has=leader.page.get_by_role("button", name="Ký duyệt kết quả"))
    approve.get_by_label("Tệp kết quả đã ký số").set_input_files(scan)
    approve.get_by_role("button", name="Ký duyệt kết quả").click()
    expect(leader.page.get_by_role("status")).to_contain_text("Ký duyệt kết quả")

    clerk = Officer(browser, live_server, f"clerk.{HOP_THANH}")
    assert code in clerk.page.locator("table.queue").inner_text()
    clerk.act(code, "Vào số, phát hành kết quả")

    assert code in desk.queue("tai-quay")
    desk.act(code, "Trả kết quả")
    expect(page.locator(".facts")).to_contain_text("Đã trả kết quả")
    expect(page.locator(".timeline li")).to_have_count(7)
    desk.shoot("dossier-returned")

    tracking = page.request.get(f"{live_server.url}/api/v1/tracking/{code}?token={token}")
    assert tracking.status == 200
    body = json.loads(tracking.text())
    assert [event["status"] for event in body["timeline"]] == [2, 4, 4, 4, 4, 9, 10]
    assert body["applicant"] == "G*** A*** P***"
