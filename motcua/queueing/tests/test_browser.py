"""Must-show 2, in Debian's chromium: take a ticket at the kiosk, see it on the board, call it at the
counter page, and see the board change (and announce the call) within one second."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from motcua.org.tests.factories import StaffUserFactory
from motcua.queueing import events
from motcua.queueing.tests.conftest import Hall, build_hall

pytestmark = pytest.mark.browser


@pytest.fixture
def hall_with_officer(transactional_db: None) -> Iterator[Hall]:
    """Requested before `browser`, so its teardown runs after Playwright's event loop has stopped."""
    hall = build_hall(counters=3)
    StaffUserFactory.create(username="quay3", password=make_password("mat-khau-quay-3"), center=hall.center)
    yield hall
    events.reset()
    if connection.vendor == "postgresql":
        # The live server's request threads are daemon threads; one may still hold its connection when the
        # session ends, and PostgreSQL refuses to drop a test database that has sessions.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


def test_kiosk_ticket_reaches_the_board_and_its_call_updates_the_board_within_a_second(
    hall_with_officer: Hall, live_server: LiveServer, browser: Browser
) -> None:
    hall = hall_with_officer
    center, counter_id = hall.center.code, hall.counters[2].id
    context = browser.new_context(locale="vi-VN")

    board = context.new_page()
    board.goto(f"{live_server.url}/queue/{center}/board/")
    expect(board.locator("#board[data-live]")).to_be_attached()

    kiosk = context.new_page()
    kiosk.goto(f"{live_server.url}/queue/{center}/kiosk/")
    kiosk.get_by_role("button", name="B Đất đai").click()
    expect(kiosk.locator("#number")).to_have_text("B001")
    expect(board.locator("#services tr").nth(1)).to_have_text("B – Đất đai1")

    desk = context.new_page()
    desk.goto(f"{live_server.url}/queue/counter/{counter_id}/")
    desk.get_by_label("Tên đăng nhập").fill("quay3")
    desk.get_by_label("Mật khẩu").fill("mat-khau-quay-3")
    desk.get_by_role("button", name="Đăng nhập").click()
    expect(desk.locator("#current-number")).to_have_text("—")

    started = time.monotonic()
    desk.get_by_role("button", name="Gọi số tiếp theo").click()
    board.wait_for_function("document.querySelector('#current').textContent.includes('B001')", timeout=1000, polling=20)
    elapsed = time.monotonic() - started

    assert elapsed < 1.0
    expect(board.locator("#current tr.fresh")).to_have_text("3B001")
    expect(board.locator("#announce")).to_have_text("Mời số B001 đến quầy số 3")
    expect(board.locator("#services tr").nth(1)).to_have_text("B – Đất đai0")
    expect(desk.locator("#current-number")).to_have_text("B001")
    context.close()
    # The board's stream ends when its page closes (at the next keep-alive); wait so no request still
    # holds a database connection when the test database is flushed or dropped.
    deadline = time.monotonic() + 10
    while events.backend().subscriber_count() and time.monotonic() < deadline:
        time.sleep(0.1)
