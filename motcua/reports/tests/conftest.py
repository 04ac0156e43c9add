from __future__ import annotations

import pytest

from motcua.dossiers.tests.factories import World, build_world
from motcua.workcal.services import clear_calendar_cache


@pytest.fixture
def world(db: None) -> World:
    clear_calendar_cache()
    return build_world()
