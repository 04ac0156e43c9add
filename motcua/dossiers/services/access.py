"""The log of staff reads of applicants' personal data."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.utils import timezone

from motcua.dossiers.models import Dossier, DossierAccessLog
from motcua.org.models import StaffUser

#: Rows per INSERT: 4 parameters a row stays far under SQLite's 32,766.
_BATCH = 500


def access_log_record(*, actor: StaffUser, dossiers: Iterable[Dossier], purpose: str) -> None:
    """One row per dossier whose personal data `actor` was shown, in one statement for a list page.

    A plain multi-row INSERT: every staff list page writes it, and building 50 model instances for
    `bulk_create` cost more than the work queue's query.
    """
    at = connection.ops.adapt_datetimefield_value(timezone.now())
    table = DossierAccessLog._meta.db_table
    ids = [dossier.pk for dossier in dossiers]
    with connection.cursor() as cursor:
        for start in range(0, len(ids), _BATCH):
            chunk = ids[start : start + _BATCH]
            cursor.execute(
                f"INSERT INTO {table} (dossier_id, actor_id, at, purpose) VALUES "  # noqa: S608 - table name from the model
                + ", ".join(["(%s, %s, %s, %s)"] * len(chunk)),
                [value for dossier_id in chunk for value in (dossier_id, actor.pk, at, purpose)],
            )
