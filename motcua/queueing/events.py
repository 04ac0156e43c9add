"""Queue events (a number called, a queue changed) delivered to the live boards of every process.

Services publish after commit; a board stream subscribes to one center. Two backends:

- `InProcessBackend` (SQLite, one server process): a thread-safe fan-out inside the process.
- `PostgresBackend`: `pg_notify` on publish; one listener thread per process holds a `LISTEN`
  connection and feeds the same in-process fan-out, so a call made by any process reaches every board.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from django.db import connection, transaction

logger = logging.getLogger("motcua.queueing.events")

#: The PostgreSQL channel of every queue event; the payload names the center.
PG_CHANNEL = "motcua_queue"


@dataclass(frozen=True)
class QueueEvent:
    """`kind` is "call" (a number called or recalled: boards announce it) or "queue" (counts changed)."""

    center: str
    kind: str
    number: str = ""
    counter: int | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, raw: str) -> QueueEvent:
        data: dict[str, Any] = json.loads(raw)
        return cls(
            center=str(data["center"]), kind=str(data["kind"]), number=str(data["number"]), counter=data["counter"]
        )


class Subscription:
    """The events of one center for one listener (a board stream). Close it, or use it as a context manager."""

    def __init__(self, hub: Hub, center: str) -> None:
        self.center = center
        self._hub = hub
        self._queue: queue.SimpleQueue[QueueEvent] = queue.SimpleQueue()

    def put(self, event: QueueEvent) -> None:
        self._queue.put(event)

    def get(self, timeout: float) -> list[QueueEvent]:
        """Wait up to `timeout` seconds for an event, then return it with every event already pending.

        Returning the backlog at once lets a board under load render one snapshot for many events.
        """
        try:
            events = [self._queue.get(timeout=timeout)]
        except queue.Empty:
            return []
        while True:
            try:
                events.append(self._queue.get_nowait())
            except queue.Empty:
                return events

    def close(self) -> None:
        self._hub.remove(self)

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Hub:
    """In-process fan-out of events to the subscriptions of their center."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscriptions: dict[str, set[Subscription]] = {}

    def add(self, center: str) -> Subscription:
        subscription = Subscription(self, center)
        with self._lock:
            self._subscriptions.setdefault(center, set()).add(subscription)
        return subscription

    def remove(self, subscription: Subscription) -> None:
        with self._lock:
            group = self._subscriptions.get(subscription.center, set())
            group.discard(subscription)
            if not group:
                self._subscriptions.pop(subscription.center, None)

    def deliver(self, event: QueueEvent) -> None:
        with self._lock:
            targets = list(self._subscriptions.get(event.center, ()))
        for subscription in targets:
            subscription.put(event)

    def __len__(self) -> int:
        with self._lock:
            return sum(len(group) for group in self._subscriptions.values())


class Backend(Protocol):
    def publish(self, event: QueueEvent) -> None: ...

    def subscribe(self, center: str) -> Subscription: ...

    def close(self) -> None: ...

    def subscriber_count(self) -> int: ...


class InProcessBackend:
    """SQLite runs one server process: boards and counters share this process's hub."""

    def __init__(self) -> None:
        self.hub = Hub()

    def publish(self, event: QueueEvent) -> None:
        self.hub.deliver(event)

    def subscribe(self, center: str) -> Subscription:
        return self.hub.add(center)

    def close(self) -> None:
        """Nothing to release: subscriptions end with their streams."""

    def subscriber_count(self) -> int:
        return len(self.hub)


class PostgresBackend:
    """NOTIFY on publish; one LISTEN thread per process, started by the first subscriber."""

    def __init__(self) -> None:
        self.hub = Hub()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    def publish(self, event: QueueEvent) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [PG_CHANNEL, event.to_json()])

    def subscribe(self, center: str) -> Subscription:
        subscription = self.hub.add(center)
        self._ensure_listening()
        return subscription

    def close(self) -> None:
        """Stop the listener (tests: its connection would keep the test database from being dropped)."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._stop.set()
            thread.join(timeout=5)
            self._stop.clear()

    def subscriber_count(self) -> int:
        return len(self.hub)

    def _ensure_listening(self) -> None:
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            ready = threading.Event()
            params = connection.get_connection_params()
            self._thread = threading.Thread(
                target=self._listen, args=(params, ready), name="motcua-queue-listener", daemon=True
            )
            self._thread.start()
        # Return only once LISTEN is active: a board reads its snapshot after subscribing, so any call
        # committed after that snapshot must reach it.
        if not ready.wait(timeout=10):
            logger.error("the queue event listener did not start within 10 s")

    def _listen(self, params: dict[str, Any], ready: threading.Event) -> None:
        import psycopg

        while not self._stop.is_set():
            try:
                with psycopg.connect(**params, autocommit=True) as conn:
                    conn.execute(f"LISTEN {PG_CHANNEL}")
                    ready.set()
                    while not self._stop.is_set():
                        for notify in conn.notifies(timeout=0.5):
                            self.hub.deliver(QueueEvent.from_json(notify.payload))
            except psycopg.Error:
                # A lost connection (server restart): boards keep their last state and reconnect here.
                logger.exception("queue event listener lost its connection; reconnecting")
                self._stop.wait(1)


_backend: Backend | None = None
_backend_lock = threading.Lock()


def backend() -> Backend:
    """The backend of this process: PostgreSQL's when the database is PostgreSQL, else in-process."""
    global _backend
    with _backend_lock:
        if _backend is None:
            _backend = PostgresBackend() if connection.vendor == "postgresql" else InProcessBackend()
        return _backend


def pg_notify_sql(event: QueueEvent, *, number_sql: str | None = None) -> tuple[str, list[Any]]:
    """An SQL expression (and its parameters) that sends `event` at commit as publishing it would on
    PostgreSQL, for a statement that writes and notifies at once; `number_sql` (a column of the
    statement) stands for the number when the statement itself picks it."""
    number = number_sql or "%s"
    params: list[Any] = [PG_CHANNEL, event.center, event.kind]
    if number_sql is None:
        params.append(event.number)
    return (
        f"pg_notify(%s, json_build_object('center', %s, 'kind', %s, 'number', {number}, 'counter', %s::int)::text)",
        [*params, event.counter],
    )


def publish_on_commit(event: QueueEvent) -> None:
    """Publish once the current transaction commits, so a board never reads a state that was rolled back."""
    transaction.on_commit(lambda: backend().publish(event), robust=True)


def reset() -> None:
    """Close and forget this process's backend (tests start each with a fresh one)."""
    global _backend
    with _backend_lock:
        if _backend is not None:
            _backend.close()
        _backend = None
