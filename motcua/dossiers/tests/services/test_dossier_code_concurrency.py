"""Must-show 2: 20 concurrent receptions for one handling agency on one day give 20 consecutive codes.

Each thread has its own database connection. On PostgreSQL the counter row is locked with SELECT … FOR
UPDATE; on SQLite (a file test database, see settings) IMMEDIATE transactions queue the writers.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from threading import Barrier
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import build_world, receive
from motcua.workcal.services import clear_calendar_cache, get_calendar

RECEPTIONS = 20
AT = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.mark.django_db(transaction=True)
def test_concurrent_receptions_get_distinct_consecutive_codes() -> None:
    if (connection.vendor == "sqlite" and ":memory:" in str(connection.settings_dict["NAME"])) or "mode=memory" in str(
        connection.settings_dict["NAME"]
    ):
        pytest.skip("threads cannot share an in-memory SQLite database")
    clear_calendar_cache()
    world = build_world()
    get_calendar()  # build the calendar once, outside the race
    barrier = Barrier(RECEPTIONS)

    def one(_: int) -> str:
        try:
            barrier.wait()
            return receive(world, received_at=AT).code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=RECEPTIONS) as pool:
        codes = list(pool.map(one, range(RECEPTIONS)))

    prefix = f"{world.subject_agency.code}-260302-"
    assert sorted(codes) == [f"{prefix}{n:04d}" for n in range(1, RECEPTIONS + 1)]
    assert Dossier.objects.count() == RECEPTIONS
