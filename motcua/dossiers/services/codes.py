"""Dossier codes (mã hồ sơ), Circular 03/2025/TT-VPCP Art. 13: `<handling agency e-id>-YYMMDD-NNNN`."""

from __future__ import annotations

from datetime import date

from motcua.core.prepared import prepared_cursor
from motcua.dossiers.models import DossierSequence
from motcua.org.models import Agency


def dossier_code_allocate(*, agency: Agency, day: date) -> str:
    """The next code of `agency` on `day`. Call inside the reception transaction: the counter row stays
    locked until commit, so concurrent receptions queue and a rolled-back one leaves no gap."""
    table = DossierSequence._meta.db_table
    # One statement: the day's first reception creates the row, later ones increment it; the upsert takes
    # the row lock (PostgreSQL) or the write lock (SQLite) that serializes receptions of the agency-day.
    with prepared_cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (agency_id, day, last_number) VALUES (%s, %s, 1) "  # noqa: S608 - table name from the model
            f"ON CONFLICT (agency_id, day) DO UPDATE SET last_number = {table}.last_number + 1 "
            "RETURNING last_number",
            [agency.pk, day],
        )
        (number,) = cursor.fetchone()
    # At least 4 digits, growing as needed past 9999.
    return f"{agency.code}-{day:%y%m%d}-{number:04d}"
