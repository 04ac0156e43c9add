"""The per-request check of a persistent PostgreSQL connection (`motcua.core.postgresql`): no round trip
while the connection is quiet, and a connection the server ended is replaced before the request uses it."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from django.db import connection, connections

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backend's check"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def reused() -> Iterator[None]:
    """A persistent connection, as between two requests."""
    assert connection.settings_dict["CONN_HEALTH_CHECKS"]
    connection.close()
    connection.ensure_connection()
    yield
    connection.close()


def _new_request() -> None:
    """What Django does for a reused connection before a request's first query."""
    connection.health_check_done = False  # type: ignore[attr-defined] # Django's, not in the stubs
    connection.close_if_health_check_failed()


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    return int(pid)


def test_a_quiet_connection_is_kept_without_asking_the_server(reused: None, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = connection.connection
    asked: list[bool] = []

    def is_usable() -> bool:
        asked.append(True)
        return True

    monkeypatch.setattr(connection, "is_usable", is_usable)

    _new_request()

    assert (connection.connection, asked) == (raw, [])


def test_a_connection_the_server_ended_is_replaced_before_use(reused: None) -> None:
    pid = _backend_pid()
    other = connections.create_connection("default")
    try:
        # The server ends the session (as a restart or an idle timeout would).
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            (ended,) = cursor.fetchone()
    finally:
        other.close()
    time.sleep(0.2)  # the server's FATAL message reaches the socket

    _new_request()

    assert ended
    assert _backend_pid() != pid
