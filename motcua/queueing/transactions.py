"""The transaction every queue write runs in.

On PostgreSQL it is `transaction.atomic`: row locks order the writers. On SQLite (one server process,
IMMEDIATE transactions) writers of this process first queue on a mutex: SQLite's own busy handler makes
waiting writers sleep and poll, so under a burst of kiosks and counters some starve until "database is
locked", while a mutex hands the database over as soon as it is free.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

from django.db import connection, transaction

P = ParamSpec("P")
R = TypeVar("R")

_sqlite_writer = threading.Lock()


@contextmanager
def queue_write() -> Iterator[None]:
    # Inside an outer transaction this connection already holds SQLite's write lock: no mutex then.
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        with transaction.atomic():
            yield
        return
    with _sqlite_writer, transaction.atomic():
        yield


def queue_transaction(function: Callable[P, R]) -> Callable[P, R]:
    """Decorate a service: it runs in one `queue_write()` transaction."""

    @wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with queue_write():
            return function(*args, **kwargs)

    return wrapper
