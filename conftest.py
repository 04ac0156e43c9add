"""Test-wide settings shared by every app's tests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import pytest
from django.db import connections
from hypothesis import HealthCheck, settings
from playwright.sync_api import Browser, sync_playwright
from pytest_django.fixtures import Settings

# Timing-based deadlines make property tests flaky on a loaded 2-core CI machine; correctness, not speed,
# is what they check (speed is measured in bench/).
settings.register_profile(
    "motcua", deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
settings.load_profile("motcua")


@pytest.fixture(autouse=True)
def _staff_second_factor_optional(settings: Settings) -> None:
    """Tests sign staff in with `force_login` or the demo password and no authenticator, as the demo does
    (`make run` sets MOTCUA_STAFF_OTP=optional); the second-factor tests set `required` themselves."""
    settings.MOTCUA_STAFF_OTP = "optional"


@pytest.fixture(autouse=True)
def _reference_memo_cleared() -> Iterator[None]:
    """Each test starts with an empty per-process memo of reference rows (core.reference_cache): an
    earlier test's rolled-back rows bumped nothing, and their ids come back on SQLite."""
    from motcua.core.reference_cache import reference_cache_clear

    reference_cache_clear()
    yield
    reference_cache_clear()


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


#: Figures the reliability tests measure (faults injected, inputs tried, leaks found), one JSON object a
#: line; `scripts/test.sh` empties it first and prints it at the end, and
#: `scripts/reliability_report.py --write` puts it into docs/reliability.md.
RELIABILITY_FIGURES = Path(__file__).resolve().parent / "var" / "reliability-figures.jsonl"


class ReliabilityFigure(Protocol):
    def __call__(self, section: str, figure: str, value: float | str, target: str = "") -> None: ...


@pytest.fixture
def reliability_figure() -> ReliabilityFigure:
    """Record one measured figure for docs/reliability.md (appends; safe across xdist workers)."""

    def record(section: str, figure: str, value: float | str, target: str = "") -> None:
        line = {
            "section": section,
            "figure": figure,
            "value": value,
            "target": target,
            "database": connections["default"].vendor,
        }
        RELIABILITY_FIGURES.parent.mkdir(parents=True, exist_ok=True)
        # One short write in append mode is atomic enough for lines this small across worker processes.
        with RELIABILITY_FIGURES.open("a", encoding="utf-8") as figures:
            figures.write(json.dumps(line, ensure_ascii=False) + "\n")

    return record
