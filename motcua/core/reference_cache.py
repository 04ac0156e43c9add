"""A per-process memo of reference rows (catalog, organization) for hot paths such as reception.

Procedures, their versions, channels, components and workflows, competence rules, units, agencies and
centers change only through the admin, an import or a seed, yet a reception used to read ten of them.
Every change bumps one shared generation row in the writer's transaction (`reference_changed`, called by
the apps' save/delete signals and by their bulk writers); each process rereads that row at most every
`RECHECK_S` seconds and drops its memo when it moved. So another process sees an edit at most
`RECHECK_S` seconds late, the writing process at once, and a transaction that changed reference data
reads the database directly until it commits (its rows may still be rolled back).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F, Model
from django.db.models.signals import post_delete, post_save

from motcua.core.models import ReferenceGeneration

T = TypeVar("T")

#: How long a process trusts its memo before rereading the shared generation.
RECHECK_S = 2.0
_NAME = "reference"


_lock = threading.Lock()
_values: dict[tuple[str, Hashable], object] = {}
_state: dict[str, float | int | None] = {"generation": None, "checked_at": 0.0}


def reference_cached(namespace: str, key: Hashable, load: Callable[[], T]) -> T:
    """`load()`'s value for (`namespace`, `key`), memoized until reference data changes.

    Values are shared by the threads of the process: callers must treat them as read-only. None (a row
    that does not exist) is not kept, so unknown keys sent by anyone cannot grow the memo.
    """
    if _changed_in_this_transaction():
        return load()
    _recheck()
    try:
        return _values[(namespace, key)]  # type: ignore[return-value]
    except KeyError:
        value = load()
        if value is not None:
            _values[(namespace, key)] = value
        return value


def reference_changed() -> None:
    """Record that reference data changes in the current transaction: bump the shared generation (other
    processes drop their memo within `RECHECK_S`) and drop this process's memo now and at commit.
    Once per transaction: later changes in it are covered by the same bump."""
    if _changed_in_this_transaction():
        return
    updated = ReferenceGeneration.objects.filter(name=_NAME).update(value=F("value") + 1)
    if not updated:
        ReferenceGeneration.objects.bulk_create([ReferenceGeneration(name=_NAME, value=1)], ignore_conflicts=True)
    reference_cache_clear()
    transaction.on_commit(_committed)


def reference_models_watch(*models: type[Model]) -> None:
    """Bump the generation whenever one of `models` is saved or deleted one by one (admin, services,
    factories). A signal and not the services, because the admin writes these rows too; bulk writers
    call `reference_changed` themselves."""
    for model in models:
        post_save.connect(_on_change, sender=model, dispatch_uid=f"reference_cache:save:{model._meta.label}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"reference_cache:delete:{model._meta.label}")


def _on_change(**_: object) -> None:
    reference_changed()


def reference_cache_clear() -> None:
    """Drop this process's memo (tests call it between tests: their rollbacks bump nothing)."""
    with _lock:
        _values.clear()
        _state["generation"] = None
        _state["checked_at"] = 0.0


def _committed() -> None:
    reference_cache_clear()


def _changed_in_this_transaction() -> bool:
    # The marker leaves `run_on_commit` at commit (run) and at rollback (discarded).
    db = connections[DEFAULT_DB_ALIAS]  # one lookup instead of two through the `connection` proxy
    return db.in_atomic_block and any(entry[1] is _committed for entry in db.run_on_commit)


def _recheck() -> None:
    now = time.monotonic()
    checked_at = _state["checked_at"]
    if checked_at and now - float(checked_at) < RECHECK_S:
        return
    current = ReferenceGeneration.objects.filter(name=_NAME).values_list("value", flat=True).first() or 0
    with _lock:
        if _state["generation"] != current:
            _values.clear()
            _state["generation"] = current
        _state["checked_at"] = now
