"""Board events: delivered per center, only after commit; on PostgreSQL across connections (processes)."""

from __future__ import annotations

import time

import psycopg
import pytest
from django.db import connection, transaction

from motcua.queueing.events import PG_CHANNEL, QueueEvent, backend, publish_on_commit


@pytest.mark.django_db(transaction=True)
def test_events_reach_the_subscribers_of_their_center_only_after_commit() -> None:
    with backend().subscribe("02647") as board, backend().subscribe("province") as other:
        with transaction.atomic():
            publish_on_commit(QueueEvent(center="02647", kind="call", number="A001", counter=1))
            assert board.get(timeout=0.05) == []  # not before commit
        try:
            with transaction.atomic():
                publish_on_commit(QueueEvent(center="02647", kind="call", number="A002", counter=1))
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass

        received = board.get(timeout=2)

        assert [event.number for event in received] == ["A001"]
        assert other.get(timeout=0.05) == []


@pytest.mark.django_db(transaction=True)
def test_a_closed_subscription_receives_nothing() -> None:
    board = backend().subscribe("02647")
    board.close()

    backend().publish(QueueEvent(center="02647", kind="queue"))

    assert board.get(timeout=0.05) == []


@pytest.mark.django_db(transaction=True)
def test_postgresql_delivers_a_notify_from_another_connection_within_a_second() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
    params = connection.get_connection_params()
    with backend().subscribe("02647") as board:
        # Another process would do exactly this: its own connection, NOTIFY, commit.
        with psycopg.connect(**params, autocommit=True) as other_process:
            sent = time.monotonic()
            other_process.execute(
                "SELECT pg_notify(%s, %s)", [PG_CHANNEL, QueueEvent("02647", "call", "B007", 4).to_json()]
            )
        received = board.get(timeout=1)
        elapsed = time.monotonic() - sent

    assert received == [QueueEvent("02647", "call", "B007", 4)]
    assert elapsed < 1
