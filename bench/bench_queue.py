"""Queue benchmark: ticket issue and call-next latency under 200 concurrent clients on PostgreSQL, and the
board's update latency across processes (LISTEN/NOTIFY), with a `SELECT 1` baseline under the same load
and, beside each operation, a second baseline of as many bare `SELECT 1` round trips as the operation sends
(the floor of any implementation with that many round trips on this machine at this moment).

Clients are 8 processes x 25 threads, each thread with its own database connection, each paced like a
person at a kiosk or a counter (a random pause of 0-2 s between requests, about one request per second
per client): the figure is the latency a citizen or officer sees while 199 others use the system.
Starts a throwaway PostgreSQL cluster when DATABASE_URL is not set, and stops it afterwards.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from bench.support import run_on_postgresql

PROCESSES = 8
THREADS = 25
CLIENTS = PROCESSES * THREADS
DURATION_S = 8.0
MEAN_PAUSE_S = 1.0
COUNTERS = 200
PREFILLED_TICKETS = 8000
BOARD_CALLS = 100
WARM_UP_S = 4.0  # each client's untimed first request runs in this time before the timed window


def main() -> None:
    run_on_postgresql("bench_queue")


def run() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    load_at_start = os.getloadavg()[0]
    call_command("migrate", verbosity=0)
    center_code, counter_ids = _setup()
    connections.close_all()

    rows = []
    rows.append(("SELECT 1 (baseline)", *_paced(_select_one_factory, None)))
    issue_shape = _shape(lambda: _issue_factory(center_code, 0)())
    rows.append((f"{issue_shape.label} (issue's round trips)", *_paced(_round_trips_factory, issue_shape)))
    rows.append(("ticket_issue", *_paced(_issue_factory, center_code)))
    _prefill(center_code)
    call_shape = _shape(lambda: _call_next_factory(counter_ids, 0)())
    rows.append((f"{call_shape.label} (call-next's round trips)", *_paced(_round_trips_factory, call_shape)))
    rows.append(("ticket_call_next", *_paced(_call_next_factory, counter_ids)))
    board = _board_latency(center_code, counter_ids[0])

    print(
        f"PostgreSQL {connection.get_database_version()[0]}, {CLIENTS} clients ({PROCESSES} processes x {THREADS} threads),"
    )
    print(
        f"each pausing 0-{2 * MEAN_PAUSE_S:.0f} s between requests, {DURATION_S:.0f} s per row, {os.cpu_count()} CPUs.\n"
    )
    print(f"Load average (1 min): {load_at_start:.1f} at the start, {os.getloadavg()[0]:.1f} at the end.\n")
    print("| operation | requests | req/s | p50 ms | p99 ms | max ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, count, rate, p50, p99, peak in rows:
        print(f"| {name} | {count} | {rate:.0f} | {p50:.1f} | {p99:.1f} | {peak:.1f} |")
    count, p50, p99, peak = board
    print(
        f"| board update (call committed → other process has the new board) | {count} | – | {p50:.1f} | {p99:.1f} | {peak:.1f} |"
    )


def _setup() -> tuple[str, list[int]]:
    from motcua.org.models import Agency, AgencyKind, Counter, Province, ServiceCenter
    from motcua.queueing.services.setup import queue_setup_demo

    province, _ = Province.objects.get_or_create(code="15", defaults={"name": "Tỉnh Lào Cai", "type": "tỉnh"})
    agency, _ = Agency.objects.get_or_create(
        code="H38.999", defaults={"name": "Trung tâm bench", "kind": AgencyKind.SERVICE_CENTER, "province": province}
    )
    center, _ = ServiceCenter.objects.get_or_create(
        code="province",
        defaults={"name": "Trung tâm Phục vụ hành chính công tỉnh", "province": province, "agency": agency},
    )
    Counter.objects.bulk_create(
        [Counter(center=center, number=n) for n in range(1, COUNTERS + 1)], ignore_conflicts=True
    )
    queue_setup_demo(center=center)
    return center.code, list(Counter.objects.filter(center=center).order_by("number").values_list("id", flat=True))


def _prefill(center_code: str) -> None:
    """Enough waiting tickets that no counter finds its queue empty during the call-next row."""
    import secrets

    from django.db.models import Max
    from django.utils import timezone

    from motcua.queueing.models import DailySequence, QueueService, Ticket, TicketSource

    now = timezone.now()
    day = timezone.localdate(now)
    tickets = []
    for service in QueueService.objects.filter(center__code=center_code).select_related("center"):
        last = Ticket.objects.filter(service=service, day=day).aggregate(m=Max("number"))["m"] or 0
        count = PREFILLED_TICKETS // 4
        tickets += [
            Ticket(
                center=service.center,
                service=service,
                day=day,
                number=n,
                label=f"{service.code}{n:03d}",
                source=TicketSource.KIOSK,
                issued_at=now,
                queued_at=now,
                token=secrets.token_urlsafe(12),
            )
            for n in range(last + 1, last + count + 1)
        ]
        DailySequence.objects.update_or_create(service=service, day=day, defaults={"last_number": last + count})
    Ticket.objects.bulk_create(tickets, batch_size=1000)


def _select_one_factory(_: Any, client: int) -> Callable[[], object]:
    from django.db import connection

    def op() -> object:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()

    return op


@dataclass(frozen=True)
class Shape:
    """The round trips of one operation: its statements, and whether they run in a transaction."""

    statements: int
    transaction: bool

    @property
    def label(self) -> str:
        if self.transaction:
            return f"BEGIN + {self.statements} × SELECT 1 + COMMIT"
        return f"{self.statements} × SELECT 1"


def _shape(op: Callable[[], object]) -> Shape:
    """Count the statements one run of `op` sends (BEGIN and COMMIT apart), after a first run: the first
    issue of a day or call of a counter creates rows the following ones find."""
    from django.db import connection, connections
    from django.test.utils import CaptureQueriesContext

    op()
    with CaptureQueriesContext(connection) as captured:
        op()
    connections.close_all()  # no connection open in the clients forked next
    sql = [query["sql"] for query in captured.captured_queries]
    control = {"BEGIN", "COMMIT"}
    return Shape(statements=sum(1 for text in sql if text not in control), transaction="BEGIN" in sql)


def _round_trips_factory(shape: Shape, client: int) -> Callable[[], object]:
    """A second baseline: as many round trips as the operation, each a bare `SELECT 1`. The latency any
    implementation with that many round trips would have under the same load, whatever its SQL."""
    from django.db import connection, transaction

    def statements() -> None:
        with connection.cursor() as cursor:
            for _ in range(shape.statements):
                cursor.execute("SELECT 1")
                cursor.fetchone()

    def op() -> None:
        if shape.transaction:
            with transaction.atomic():
                statements()
        else:
            statements()

    return op


def _issue_factory(center_code: str, client: int) -> Callable[[], object]:
    from motcua.queueing.models import TicketSource
    from motcua.queueing.services.tickets import ticket_issue

    service = "ABCD"[client % 4]
    return lambda: ticket_issue(center_code=center_code, service_code=service, source=TicketSource.KIOSK)


def _call_next_factory(counter_ids: list[int], client: int) -> Callable[[], object]:
    from motcua.queueing.services.counter import ticket_call_next

    counter_id = counter_ids[client % len(counter_ids)]
    return lambda: ticket_call_next(counter_id=counter_id, actor=None)


def _paced(
    factory: Callable[[Any, int], Callable[[], object]], argument: Any
) -> tuple[int, float, float, float, float]:
    """Every client runs for DURATION_S; returns count, rate, p50, p99, max (ms)."""
    context = multiprocessing.get_context("fork")
    start_at = time.time() + WARM_UP_S
    pipes = []
    processes = []
    for index in range(PROCESSES):
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_client_process, args=(factory, argument, index, start_at, sender))
        process.start()
        pipes.append(receiver)
        processes.append(process)
    latencies: list[float] = []
    for receiver in pipes:
        latencies += receiver.recv()
    for process in processes:
        process.join()
    latencies.sort()
    return (
        len(latencies),
        len(latencies) / DURATION_S,
        statistics.median(latencies),
        latencies[int(len(latencies) * 0.99)],
        latencies[-1],
    )


def _client_process(
    factory: Callable[[Any, int], Callable[[], object]], argument: Any, index: int, start_at: float, out: Connection
) -> None:
    from django.db import connection

    results: list[float] = []
    lock = threading.Lock()

    def client(number: int) -> None:
        op = factory(argument, number)
        rng = random.Random(number)
        mine = []
        # One untimed request before the clock starts: a server's threads are connected and its
        # per-process memo (counters, services) is warm; opening 200 PostgreSQL sessions at once is
        # not what a citizen or an officer waits for.
        op()
        time.sleep(max(0.0, start_at - time.time()) + rng.uniform(0, 2 * MEAN_PAUSE_S))
        deadline = start_at + DURATION_S
        try:
            while time.time() < deadline:
                began = time.perf_counter()
                op()
                mine.append((time.perf_counter() - began) * 1000)
                time.sleep(rng.uniform(0, 2 * MEAN_PAUSE_S))
        finally:
            connection.close()
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=client, args=(index * THREADS + n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.send(results)


def _board_latency(center_code: str, counter_id: int) -> tuple[int, float, float, float]:
    """A board process (LISTEN, then the board snapshot the stream sends) and calls made in this one."""
    from django.db import connections

    from motcua.queueing.services.counter import ticket_call_next

    context = multiprocessing.get_context("fork")
    ready = context.Event()
    receiver, sender = context.Pipe(duplex=False)
    board = context.Process(target=_board_process, args=(center_code, ready, sender))
    board.start()
    ready.wait(30)
    sent = []
    for _ in range(BOARD_CALLS):
        sent.append(time.time())
        ticket_call_next(counter_id=counter_id, actor=None)
        time.sleep(0.05)
    received: list[float] = receiver.recv()
    board.join()
    connections.close_all()
    latencies = sorted((got - at) * 1000 for at, got in zip(sent, received, strict=True))
    return len(latencies), statistics.median(latencies), latencies[int(len(latencies) * 0.99)], latencies[-1]


def _board_process(center_code: str, ready: Any, out: Connection) -> None:
    from motcua.queueing.events import backend
    from motcua.queueing.selectors.board import board_for_center

    times: list[float] = []
    with backend().subscribe(center_code) as subscription:
        ready.set()
        while len(times) < BOARD_CALLS:
            batch = subscription.get(timeout=10)
            if not batch:
                break
            board_for_center(center_code)
            times += [time.time()] * sum(1 for event in batch if event.kind == "call")
    backend().close()
    out.send(times)
