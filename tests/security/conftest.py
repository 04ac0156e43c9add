"""One scene per test module (building it is most of the cost); each test works inside savepoints that it
rolls back, so every request meets the scene as built."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections, transaction
from django.http import HttpResponseBase
from pytest_django import DjangoDbBlocker

from motcua.queueing import events
from motcua.workcal.services import clear_calendar_cache
from tests.security.scene import Scene, build_scene


@contextmanager
def scene_built(blocker: DjangoDbBlocker, data_dir: Path, build: Callable[[], Scene] = build_scene) -> Iterator[Scene]:
    """A scene in a transaction rolled back at the end, with the environment the tests need."""
    with pytest.MonkeyPatch.context() as patch, blocker.unblock():
        patch.setenv("MOTCUA_DATA_DIR", str(data_dir))
        # Nothing leaves the machine: the partner systems' address answers nothing, at once.
        patch.setenv("MOTCUA_PARTNER_BASE_URL", "http://127.0.0.1:9")
        patch.setenv("MOTCUA_PARTNER_TIMEOUT_S", "1")
        clear_calendar_cache()
        events.reset()
        with transaction.atomic():
            yield build()
            transaction.set_rollback(True)
        events.reset()
        clear_calendar_cache()


@pytest.fixture(scope="module")
def scene(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Scene]:
    with scene_built(django_db_blocker, tmp_path_factory.mktemp("data")) as built:
        yield built


def close_stream(response: HttpResponseBase) -> None:
    """Close a streamed response (a file, the board's event stream) without reading it to the end, the
    way the test client does at its end: without closing the test's database connection."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def read_stream(response: HttpResponseBase, chunks: int) -> bytes:
    """The first `chunks` chunks of a streamed response (the board's event stream never ends), then closed
    through the test client's closing wrapper, which ends the request without closing the connection."""
    stream = response._iterator  # type: ignore[attr-defined]  # the test client's closing wrapper
    try:
        return b"".join(response.make_bytes(next(stream, b"")) for _ in range(chunks))
    finally:
        stream.close()
