"""Prepared statements for the few fixed statements every request runs (the token check, reception's writes).

PostgreSQL parses and plans every statement it receives; for the short statements of a reception that was
a third of the database's work. Django binds parameters on the client, which its ORM needs, so no
statement is ever prepared. `prepared_cursor()` gives a cursor that binds them on the server instead:
psycopg prepares a statement once it has run `MOTCUA_DB_PREPARE_THRESHOLD` times on a connection, and
PostgreSQL then only executes it. The cursor is Django's wrapper around it, so debug logging, query
capture in tests and error translation stay the same. Elsewhere than PostgreSQL, or with the threshold 0
(PgBouncer in transaction mode before 1.21 loses prepared statements), it is Django's usual cursor.

Its statements' texts are few and fixed, so their conversion from `%s` placeholders to PostgreSQL's `$n` is
kept for the process whatever their length: psycopg keeps it only for texts up to 4 KB (against the
ORM's endless `INSERT … VALUES` variants), and parsing reception's 5 KB batch statement again at every
request took a thirtieth of the request's processor time. The conversion is psycopg's own function, from a
module that is not its public API: pyproject.toml bounds the version, and `test_prepared` fails if it moves.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.utils import CursorWrapper
from psycopg._queries import PostgresQuery, _query2pg_nocache


@functools.lru_cache(maxsize=256)  # a handful of texts; the bound keeps a misuse from growing it
def _converted(query: str, encoding: str) -> Any:
    """psycopg's conversion of a prepared statement's text (placeholders, formats, parts)."""
    return _query2pg_nocache(query.encode(encoding), encoding)


class _FixedTextQuery(PostgresQuery):
    """psycopg's query conversion, its result kept for any text length (see the module's docstring)."""

    __slots__ = ()

    def convert(self, query: Any, vars: Any) -> None:
        if not isinstance(query, str) or vars is None:
            super().convert(query, vars)
            return
        # The attributes `PostgresQuery.convert` sets from the same function's result.
        self.query, self._want_formats, self._order, self._parts = _converted(query, self._tx.encoding)
        self.dump(vars)


class _FixedTextCursor(psycopg.Cursor[Any]):
    """psycopg's plain cursor (binding on the server), with the conversions kept."""

    _query_cls = _FixedTextQuery


@contextmanager
def prepared_cursor() -> Iterator[CursorWrapper]:
    """A cursor whose statements PostgreSQL prepares after a few runs on the connection. Use it for
    statements whose text does not vary with the data (the values only as parameters)."""
    threshold: int = settings.MOTCUA_DB_PREPARE_THRESHOLD
    # The connection itself, not the `connection` proxy, which looks it up at each attribute (2.6 µs).
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql" or threshold <= 0:
        with db.cursor() as cursor:
            yield cursor
        return
    # As `connection.cursor()` does: reconnect when the health check fails, connect when needed.
    db.close_if_health_check_failed()
    db.ensure_connection()
    raw = db.connection
    raw.prepare_threshold = threshold
    wrapped = db.make_debug_cursor if db.queries_logged else db.make_cursor
    # psycopg's plain cursor binds on the server (Django's connections default to its client-binding one).
    with wrapped(_FixedTextCursor(raw)) as cursor:  # type: ignore[arg-type] # the stubs want Django's wrapper
        yield cursor
