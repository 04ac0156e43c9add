from __future__ import annotations

from collections.abc import Iterator

import pytest

from motcua.workcal.services import clear_calendar_cache


@pytest.fixture(autouse=True)
def _fresh_calendar_cache() -> Iterator[None]:
    """A calendar cached inside a rolled-back test transaction must not leak into the next test."""
    clear_calendar_cache()
    yield
    clear_calendar_cache()
