"""Test-wide settings shared by every app's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connections
from hypothesis import HealthCheck, settings
from playwright.sync_api import Browser, sync_playwright

# Timing-based deadlines make property tests flaky on a loaded 2-core CI machine; correctness, not speed,
# is what they check (speed is measured in bench/).
settings.register_profile(
    "motcua", deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
settings.load_profile("motcua")


#: Debian's chromium, never a downloaded browser; the network flags keep it from calling out.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    """Headless Debian chromium driven by Playwright, for the browser tests of every app."""
    # Playwright's sync API runs an event loop in this thread; the tests make no ORM call under it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # The live server's request threads must not keep their connections (CONN_MAX_AGE on PostgreSQL),
    # or the test database cannot be dropped at the end of the session.
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
