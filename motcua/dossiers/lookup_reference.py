"""Signed references to a lookup in a connected national database (Decision 766 index 4.5).

When the desk fills the applicant in from the population database, the lookup's answer carries a
short-lived reference signed here: the database's code (MaCSDL), the personal ID, the name and birth date
it returned and the officer who asked. Reception accepts "taken from the population database" (for the
applicant or a component) only with a valid reference for the same officer and applicant, so a client
that never looked anybody up cannot claim it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core import signing

from motcua.core.errors import InvalidInput

#: MaCSDL of the national population database (CSDL quốc gia về dân cư).
POPULATION_DB = "CSDLQGDC"
#: How long a reference stays valid: one reception at the desk, not a stored credential.
MAX_AGE = timedelta(hours=1)
_SALT = "motcua.dossiers.national-db-lookup"


@dataclass(frozen=True)
class LookupRecord:
    """What the database answered, to whom (the officer's username)."""

    database: str
    personal_id: str
    full_name: str
    birth_date: date
    officer: str


def lookup_reference_issue(record: LookupRecord) -> str:
    return signing.TimestampSigner(salt=_SALT).sign_object(
        {
            "db": record.database,
            "id": record.personal_id,
            "name": record.full_name,
            "born": record.birth_date.isoformat(),
            "by": record.officer,
        },
        compress=True,
    )


def lookup_reference_check(reference: str, *, personal_id: str, officer: str | None, field: str) -> LookupRecord:
    """The population-database lookup `reference` stands for, if it is genuine, recent, about
    `personal_id` and obtained by `officer`; else `invalid_lookup_reference` naming `field`."""
    invalid = InvalidInput(
        "Dữ liệu không có nguồn tra cứu hợp lệ từ CSDL quốc gia về dân cư (tra cứu lại).",
        code="invalid_lookup_reference",
        field=field,
    )
    try:
        data = signing.TimestampSigner(salt=_SALT).unsign_object(reference, max_age=MAX_AGE)
        record = LookupRecord(
            database=str(data["db"]),
            personal_id=str(data["id"]),
            full_name=str(data["name"]),
            birth_date=date.fromisoformat(str(data["born"])),
            officer=str(data["by"]),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise invalid from None
    if (record.database, record.personal_id, record.officer) != (POPULATION_DB, personal_id, officer):
        raise invalid
    return record
