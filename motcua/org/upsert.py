"""Idempotent bulk upsert by a natural key, shared by the unit loader and the demo."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Model
from django.utils import timezone

from motcua.core.reference_cache import reference_changed

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class UpsertCount:
    created: int = 0
    updated: int = 0

    def __add__(self, other: UpsertCount) -> UpsertCount:
        return UpsertCount(self.created + other.created, self.updated + other.updated)


def upsert(model: type[M], rows: Sequence[M], *, key: str, fields: Sequence[str]) -> UpsertCount:
    """Create rows whose `key` is new and update those whose `fields` differ; leave the rest untouched.

    Writing only real differences keeps a re-run free of writes (and of `updated_at` churn). Call it
    inside the caller's transaction.
    """
    # Bulk writes send no signals: drop the processes' memo of reference rows ourselves.
    reference_changed()
    keys = [getattr(row, key) for row in rows]
    existing = {getattr(obj, key): obj for obj in model._default_manager.filter(**{f"{key}__in": keys})}
    new: list[M] = []
    changed: list[M] = []
    for row in rows:
        current = existing.get(getattr(row, key))
        if current is None:
            new.append(row)
        elif any(getattr(row, name) != getattr(current, name) for name in fields):
            row.pk = current.pk
            changed.append(row)
    model._default_manager.bulk_create(new, batch_size=500)
    if changed:
        update_fields = list(fields)
        # bulk_update skips auto_now, so stamp the modification time ourselves.
        if any(f.name == "updated_at" for f in model._meta.concrete_fields):
            now = timezone.now()
            for row in changed:
                row.updated_at = now  # type: ignore[attr-defined]
            update_fields.append("updated_at")
        model._default_manager.bulk_update(changed, update_fields, batch_size=500)
    return UpsertCount(created=len(new), updated=len(changed))
