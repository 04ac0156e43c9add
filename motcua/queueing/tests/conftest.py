"""Queue test fixtures: a center set up through the services, and a clean event backend per test."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

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
