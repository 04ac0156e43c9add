from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from motcua.core.outbox import RetryPolicy
from motcua.dossiers.tests.factories import World, build_world
from motcua.integrations.callbacks import callback_secrets
from motcua.integrations.simulators import Simulators, running_simulators
from motcua.workcal.services import clear_calendar_cache

#: Milliseconds instead of seconds, so fault tests wait for their retries in real time, briefly.
FAST = RetryPolicy(base=timedelta(milliseconds=2), cap=timedelta(milliseconds=40), max_attempts=50)


@pytest.fixture
def sims(monkeypatch: pytest.MonkeyPatch) -> Iterator[Simulators]:
    simulators = Simulators(callback_secrets=callback_secrets(), seed=7)
    for partner in simulators.partners:
        simulators.set_faults(partner, latency_ms=(0, 2))
    with running_simulators(simulators) as server:
        monkeypatch.setenv("MOTCUA_PARTNER_BASE_URL", server.base_url)
        monkeypatch.setenv("MOTCUA_PARTNER_TIMEOUT_S", "2")
        yield simulators


@pytest.fixture
def world(db: None) -> World:
    clear_calendar_cache()
    return build_world()
