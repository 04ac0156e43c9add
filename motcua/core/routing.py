"""Database routing for a read replica (`MOTCUA_REPLICA_DATABASE_URL`, docs/scaling.md).

Only the reports app's own tables (the Decision 766 facts and summaries, rebuilt by `reports-refresh`)
are read from the replica: they are derived hourly anyway, so a replica a few seconds behind changes
nothing, and the dashboards' long scans leave the primary's cores to receptions and queues. Everything else,
and every write, stays on the primary.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model

REPLICA = "replica"
_REPLICATED_APPS = frozenset({"reports"})


class ReportsReplicaRouter:
    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        return REPLICA if model._meta.app_label in _REPLICATED_APPS else None

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        # Both aliases hold the same data: a fact may point at its dossier.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        # The replica follows the primary by replication, never by migrations of its own.
        return db != REPLICA
