"""The lookup kiosk in Debian's chromium: search as a citizen types, open the procedure, get the
printable checklist; every page passes axe-core with no serious or critical violation.

axe-core comes from the `axe-playwright-python` wheel (a dev dependency that ships `axe.min.js`), so
no CDN and no npm are needed.
"""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader
from pytest_django.live_server_helper import LiveServer

from motcua.catalog.tests.search_support import fresh_search_index, import_sample

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fresh_search_index")]
__all__ = ["fresh_search_index"]

_AXE_PACKAGE = importlib.util.find_spec("axe_playwright_python")
assert _AXE_PACKAGE is not None, "install the dev extras: axe-playwright-python ships axe-core"
assert _AXE_PACKAGE.origin is not None
AXE_JS = Path(_AXE_PACKAGE.origin).with_name("axe.min.js")


@pytest.fixture
def sample(transactional_db: None, tmp_path: Path) -> None:
    import_sample(tmp_path)


def serious_violations(page: Page) -> list[dict[str, Any]]:
    # Evaluated through the debugging protocol, which the content security policy does not govern: an
    # injected <script> is refused like any inline script, as it should be.
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.usefixtures("sample")
def test_kiosk_search_to_procedure_to_printable_checklist(browser: Browser, live_server: LiveServer) -> None:
    page = browser.new_context(viewport={"width": 1080, "height": 1920}, locale="vi-VN").new_page()
    page.goto(f"{live_server.url}/kiosk/")
    assert serious_violations(page) == []

    page.get_by_label("Bạn cần làm thủ tục gì?").fill("lam giay khai sinh cho con")
    page.get_by_role("button", name="Tìm").click()
    first = page.locator(".results a").first
    expect(first).to_have_text("Thủ tục đăng ký khai sinh")
    assert serious_violations(page) == []

    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thủ tục đăng ký khai sinh")
    expect(page.get_by_role("heading", name="Giấy tờ cần chuẩn bị")).to_be_visible()
    assert serious_violations(page) == []

    checklist = page.get_by_role("link", name="In danh mục hồ sơ (PDF)")
    href = checklist.get_attribute("href")
    assert href == "/thu-tuc/1.001193/danh-muc.pdf"
    response = page.request.get(f"{live_server.url}{href}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    text = " ".join(PdfReader(io.BytesIO(response.body())).pages[0].extract_text().split())
    assert "1.001193" in text

    # Back to the kiosk from the procedure page, and a topic button in one touch.
    page.get_by_role("link", name="← Tra cứu thủ tục").click()
    page.get_by_role("link", name="Kết hôn").click()
    expect(page.locator(".results a").first).to_have_text("Thủ tục đăng ký kết hôn")


@pytest.mark.usefixtures("sample")
@pytest.mark.parametrize("path", ["/", "/tra-cuu/?q=chung+thuc+ban+sao&level=commune", "/thu-tuc/3.000346/"])
def test_other_public_pages_pass_axe(browser: Browser, live_server: LiveServer, path: str) -> None:
    page = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN").new_page()
    page.goto(f"{live_server.url}{path}")
    assert serious_violations(page) == []
    # Keyboard users reach the content first through the skip link.
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Bỏ qua, đến nội dung chính")
