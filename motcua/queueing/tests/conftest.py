"""Queue test fixtures: a center set up through the services, and a clean event backend per test."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time

import pytest
from django.utils import timezone

from motcua.org.models import Counter, ServiceCenter
from motcua.org.tests.factories import ServiceCenterFactory
from motcua.queueing import events
from motcua.queueing.models import QueueService
from motcua.queueing.services.setup import queue_service_upsert, work_profile_set
from motcua.queueing.tests.factories import CounterFactory


@dataclass
class Hall:
    center: ServiceCenter
    services: dict[str, QueueService]
    counters: list[Counter]


def build_hall(*, counters: int = 3, profiles: list[list[str]] | None = None) -> Hall:
    """A center with services A (Hộ tịch), B (Đất đai), C (Kinh doanh) and counters with work profiles."""
    center = ServiceCenterFactory.create()
    services = {
        code: queue_service_upsert(center=center, code=code, name=name, position=position)
        for position, (code, name) in enumerate(
            [("A", "Hộ tịch – Chứng thực"), ("B", "Đất đai"), ("C", "Đăng ký kinh doanh")], start=1
        )
    }
    desks = [CounterFactory.create(center=center, number=number) for number in range(1, counters + 1)]
    for desk, profile in zip(desks, profiles or [["A", "B", "C"]] * counters, strict=True):
        work_profile_set(counter=desk, service_codes=profile)
    return Hall(center=center, services=services, counters=desks)


@pytest.fixture
def hall(db: None) -> Hall:
    return build_hall()


@pytest.fixture(autouse=True)
def fresh_event_backend() -> Iterator[None]:
    """Each test gets its own backend; a PostgreSQL listener is stopped so the test database can be dropped."""
    events.reset()
    yield
    events.reset()


@pytest.fixture
def morning_clock(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """The clock reads 09:00 local time today and runs on from there, so a slot a few minutes ahead
    stays on the same local day whatever hour the suite runs at (CI may run near midnight)."""
    real_now = timezone.now
    started = real_now()
    anchor = datetime.combine(timezone.localdate(started), time(9, 0), tzinfo=timezone.get_current_timezone())
    monkeypatch.setattr(timezone, "now", lambda: anchor + (real_now() - started))
    return anchor
