"""Every kind of page carries the protective headers and a content security policy that allows no inline
script; in the browser, no page (portal, kiosk, queue board with its event stream, staff pages with htmx,
reports with their charts, admin) trips the policy."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from playwright.sync_api import Browser, Page
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from conftest import ReliabilityFigure
from motcua.catalog.models import Procedure
from motcua.config import proxy_ssl_header
from motcua.dossiers.tests.views.conftest import HOP_THANH, LAO_CAI, seed_lao_cai, signed_in
from motcua.queueing import events

PUBLIC = [
    "/",
    "/tra-cuu/?q=khai+sinh",
    "/kiosk/",
    "/thu-tuc/1.001193/",
    "/tra-cuu-ho-so/",
    f"/trung-tam/{LAO_CAI}/",
    f"/queue/{LAO_CAI}/kiosk/",
    f"/queue/{LAO_CAI}/board/",
    "/queue/login/",
    "/can-bo/dang-nhap/",
    "/admin/login/",
    "/api/v1/health",
    "/api/v1/openapi.json",
    "/api/v1/procedures/1.001193",
    "/khong-co-trang-nay/",
]
SIGNED_IN = {
    f"reception.{LAO_CAI}": ["/can-bo/tiep-nhan/", "/can-bo/tai-quay/", "/can-bo/xac-thuc/dang-ky/"],
    f"specialist.{HOP_THANH}": ["/can-bo/hop-thu/"],
    "supervisor": ["/bao-cao/", "/bao-cao/ton-dong/", "/bao-cao/den-han/", "/bao-cao/lay-so/"],
    "admin": ["/admin/", "/admin/org/signinevent/", "/admin/org/staffuser/"],
}


def directives(policy: str) -> dict[str, list[str]]:
    parsed: dict[str, list[str]] = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def header_problems(path: str, response: object) -> list[str]:
    headers = response.headers  # type: ignore[attr-defined]
    expected = {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
        "X-Frame-Options": "DENY",
    }
    problems = [
        f"{path}: {name}={headers.get(name)!r}" for name, value in expected.items() if headers.get(name) != value
    ]
    if "camera=()" not in headers.get("Permissions-Policy", ""):
        problems.append(f"{path}: Permissions-Policy={headers.get('Permissions-Policy')!r}")
    if headers.get("Content-Type", "").startswith("text/html") and "{#" in response.content.decode():  # type: ignore[attr-defined]
        problems.append(f"{path}: template comment leaked into the page")
    policy = directives(headers.get("Content-Security-Policy", ""))
    scripts = policy.get("script-src", [])
    if not scripts or "'unsafe-inline'" in scripts or "'unsafe-eval'" in scripts:
        problems.append(f"{path}: script-src {scripts}")
    if "'unsafe-inline'" in policy.get("style-src", ["'unsafe-inline'"]):
        problems.append(f"{path}: style-src {policy.get('style-src')}")
    for name, value in {"frame-ancestors": "'none'", "object-src": "'none'", "connect-src": "'self'"}.items():
        if policy.get(name) != [value]:
            problems.append(f"{path}: {name} {policy.get(name)}")
    return problems


@pytest.fixture
def province(db: None, tmp_path: Path) -> Procedure:
    return seed_lao_cai(tmp_path)


def test_every_kind_of_page_carries_the_headers_and_a_strict_policy(
    province: Procedure, reliability_figure: ReliabilityFigure
) -> None:
    checked: list[tuple[str, int]] = []
    problems: list[str] = []
    anonymous = Client()
    for path in PUBLIC:
        response = anonymous.get(path)
        checked.append((path, response.status_code))
        problems += header_problems(path, response)
    for username, paths in SIGNED_IN.items():
        client = signed_in(username)
        for path in paths:
            response = client.get(path)
            checked.append((path, response.status_code))
            problems += header_problems(path, response)

    reliability_figure("Access and sign-in", "pages and API answers checked for headers and CSP", len(checked))
    reliability_figure("Access and sign-in", "pages missing a header or allowing inline script", len(problems), "0")
    assert problems == []
    # Real pages, not redirects to the sign-in page: only the missing page answers otherwise.
    assert [(path, status) for path, status in checked if status != 200] == [("/khong-co-trang-nay/", 404)]


def test_hsts_on_https_only_and_the_tls_proxy_header(province: Procedure, settings: Settings) -> None:
    assert "Strict-Transport-Security" not in Client().get("/")
    assert Client().get("/", secure=True)["Strict-Transport-Security"] == "max-age=31536000"

    settings.SECURE_PROXY_SSL_HEADER = proxy_ssl_header("X-Forwarded-Proto")
    behind_proxy = Client().get("/", headers={"X-Forwarded-Proto": "https"})
    assert behind_proxy["Strict-Transport-Security"] == "max-age=31536000"
    settings.SECURE_SSL_REDIRECT = True
    assert Client().get("/tra-cuu/")["Location"] == "https://testserver/tra-cuu/"


def test_the_tls_proxy_setting_reads_a_header_name_and_an_optional_value() -> None:
    assert proxy_ssl_header("") is None
    assert proxy_ssl_header("X-Forwarded-Proto") == ("HTTP_X_FORWARDED_PROTO", "https")
    assert proxy_ssl_header(" X-Forwarded-Ssl = on ") == ("HTTP_X_FORWARDED_SSL", "on")


# In the browser ------------------------------------------------------------------------------------------

#: Collects every policy violation the page reports (installed before any page script runs).
WATCH = (
    "window.__violations = [];"
    "document.addEventListener('securitypolicyviolation',"
    " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
)


def violations(page: Page) -> list[str]:
    found: list[str] = page.evaluate("window.__violations")
    return found


@pytest.fixture
def live_province(transactional_db: None, tmp_path: Path) -> Iterator[Procedure]:
    """Requested before `browser`, so its teardown runs after Playwright's event loop has stopped."""
    yield seed_lao_cai(tmp_path)
    # The board started the queue-event listener, and the live server's daemon request threads may keep a
    # connection: PostgreSQL refuses to drop a test database that still has sessions.
    events.reset()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.mark.browser
def test_no_page_trips_the_policy_in_the_browser(
    live_province: Procedure, live_server: LiveServer, browser: Browser, reliability_figure: ReliabilityFigure
) -> None:
    found: dict[str, list[str]] = {}
    console: list[str] = []

    def visit(page: Page, path: str) -> None:
        page.goto(f"{live_server.url}{path}")
        if "board" in path:
            # The event stream never goes idle: give it time to connect and render.
            page.wait_for_selector("#board[data-live]")
        else:
            page.wait_for_load_state("networkidle")
        found[path] = violations(page)

    def sign_in(page: Page, username: str) -> None:
        page.goto(f"{live_server.url}/can-bo/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill("motcua-demo")
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url(lambda url: "dang-nhap" not in url)

    def new_page() -> Page:
        page = browser.new_context(locale="vi-VN").new_page()
        page.add_init_script(WATCH)
        page.on("console", lambda message: console.append(message.text))
        return page

    public = new_page()
    for path in ["/", "/kiosk/", "/thu-tuc/1.001193/", f"/queue/{LAO_CAI}/kiosk/"]:
        visit(public, path)
    board = new_page()
    visit(board, f"/queue/{LAO_CAI}/board/")
    # The board's live stream connected under connect-src 'self'.
    assert board.locator("#board[data-live]").count() == 1
    board.context.close()

    desk = new_page()
    sign_in(desk, f"reception.{LAO_CAI}")
    visit(desk, "/can-bo/tiep-nhan/")
    # htmx fetches the matching procedures as the officer types.
    desk.get_by_role("searchbox").fill("khai sinh")
    desk.wait_for_load_state("networkidle")
    found["/can-bo/tiep-nhan/ (htmx search)"] = violations(desk)
    visit(desk, "/can-bo/xac-thuc/dang-ky/")

    supervisor = new_page()
    sign_in(supervisor, "supervisor")
    for path in ["/bao-cao/", "/bao-cao/ton-dong/", "/bao-cao/lay-so/"]:
        visit(supervisor, path)

    admin = new_page()
    admin.goto(f"{live_server.url}/admin/login/")
    admin.get_by_label("Tên đăng nhập").fill("admin")
    admin.get_by_label("Mật khẩu").fill("motcua-demo")
    admin.get_by_role("button", name="Đăng nhập").click()
    admin.wait_for_url(lambda url: "login" not in url)
    for path in ["/admin/", "/admin/org/staffuser/", "/admin/org/agency/add/"]:
        visit(admin, path)

    reported_in_console = [text for text in console if "Content Security Policy" in text]
    # The watcher works: a script injected inline (as an XSS would) is refused and reported.
    public.evaluate(
        "document.body.append(Object.assign(document.createElement('script'), {textContent: 'window.__ran = 1'}))"
    )
    public.wait_for_function("window.__violations.length > 0")
    assert public.evaluate("window.__ran") is None
    assert public.evaluate("window.__violations")[0].startswith("script-src")

    # The board's stream ends at its next keep-alive after the page closed: no request may still hold a
    # database connection when the test database is flushed or dropped.
    deadline = time.monotonic() + 30
    while events.backend().subscriber_count() and time.monotonic() < deadline:
        time.sleep(0.1)

    reported = sum(len(seen) for seen in found.values())
    reliability_figure("Access and sign-in", "pages driven in chromium under the policy", len(found))
    reliability_figure("Access and sign-in", "policy violations reported by chromium", reported, "0")
    assert {path: seen for path, seen in found.items() if seen} == {}
    assert reported_in_console == []
