"""Must-show 1: 50 clients issue 200 tickets each for one service, numbers gap-free and unique; then
10 counters call next concurrently and every ticket is called exactly once. Each thread has its own
database connection (PostgreSQL: row locks and SKIP LOCKED; SQLite: one writer at a time).

SQLite serializes every write, so the full 10,000 tickets take about two minutes there; it issues
40 per client (2,000 tickets, same 50 clients and 10 counters). PostgreSQL runs the full count."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier, Event
from typing import TypeVar

import pytest
from django.db import connection, transaction

from motcua.queueing.models import Ticket, TicketSource, TicketStatus
from motcua.queueing.services.counter import ticket_call_next
from motcua.queueing.services.tickets import ticket_issue
from motcua.queueing.tests.conftest import build_hall

CLIENTS = 50
TICKETS_PER_CLIENT = {"postgresql": 200, "sqlite": 40}
COUNTERS = 10

T = TypeVar("T")


def in_threads(workers: int, work: Callable[[int], T]) -> list[T]:
    """Run `work(i)` in `workers` threads started together, each closing its own connection at the end."""
    barrier = Barrier(workers)

    def run(index: int) -> T:
        barrier.wait()
        try:
            return work(index)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run, range(workers)))


@pytest.mark.django_db(transaction=True)
def test_concurrent_issue_is_gap_free_and_concurrent_calls_take_each_ticket_once() -> None:
    hall = build_hall(counters=COUNTERS, profiles=[["A"]] * COUNTERS)
    center = hall.center.code
    per_client = TICKETS_PER_CLIENT[connection.vendor]

    def client(_: int) -> list[int]:
        return [
            ticket_issue(center_code=center, service_code="A", source=TicketSource.KIOSK).number
            for _ in range(per_client)
        ]

    numbers = [number for batch in in_threads(CLIENTS, client) for number in batch]

    total = CLIENTS * per_client
    assert sorted(numbers) == list(range(1, total + 1))
    assert Ticket.objects.filter(service=hall.services["A"]).count() == total

    counter_ids = [counter.id for counter in hall.counters]

    def counter(index: int) -> list[int]:
        called = []
        while (ticket := ticket_call_next(counter_id=counter_ids[index], actor=None)) is not None:
            called.append(ticket.id)
        return called

    calls = in_threads(COUNTERS, counter)

    every_call = [ticket_id for batch in calls for ticket_id in batch]
    assert len(every_call) == total
    assert len(set(every_call)) == total
    # The last call-next of each counter found the queue empty and ended the ticket it held.
    assert Ticket.objects.filter(status=TicketStatus.DONE).count() == total


@pytest.mark.django_db(transaction=True)
def test_call_next_locks_only_the_ticket_it_calls() -> None:
    """A counter that finds someone in its first queue leaves the heads of its other queues free: a
    counter of the second queue calling meanwhile still gets that queue's first number, not the next."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks and SKIP LOCKED are PostgreSQL's; SQLite runs one writer at a time")
    hall = build_hall(counters=2, profiles=[["A", "B"], ["B"]])
    for service in ("A", "B", "B"):
        ticket_issue(center_code=hall.center.code, service_code=service, source=TicketSource.KIOSK)
    first_holds_its_call = Event()
    second_done = Event()
    called: dict[int, str] = {}

    def counter(index: int) -> None:
        if index == 0:
            with transaction.atomic():  # the call stays uncommitted, its locks held, until the other has called
                ticket = ticket_call_next(counter_id=hall.counters[0].id, actor=None)
                first_holds_its_call.set()
                assert second_done.wait(10)
        else:
            assert first_holds_its_call.wait(10)
            ticket = ticket_call_next(counter_id=hall.counters[1].id, actor=None)
            second_done.set()
        assert ticket is not None
        called[index] = ticket.label

    in_threads(2, counter)

    assert called == {0: "A001", 1: "B001"}


@pytest.mark.django_db(transaction=True)
def test_one_counter_calling_next_from_several_screens_at_once_leaves_no_ticket_behind() -> None:
    """A double click, or the counter page open twice: the calls of one counter queue on its state row,
    so each ends the ticket the previous one called; at the end every ticket is done, none is left called."""
    hall = build_hall(counters=1, profiles=[["A"]])
    for _ in range(60):
        ticket_issue(center_code=hall.center.code, service_code="A", source=TicketSource.KIOSK)
    counter_id = hall.counters[0].id

    def screen(_: int) -> list[int]:
        called = []
        while (ticket := ticket_call_next(counter_id=counter_id, actor=None)) is not None:
            called.append(ticket.id)
        return called

    every_call = [ticket_id for batch in in_threads(4, screen) for ticket_id in batch]

    assert len(every_call) == len(set(every_call)) == 60
    assert Ticket.objects.filter(status=TicketStatus.DONE).count() == 60
