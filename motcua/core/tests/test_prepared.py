"""`prepared_cursor`: PostgreSQL prepares its statements after the threshold, Django still logs them and
translates errors, and the threshold 0 (or another database) is Django's usual cursor."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from pytest_django.fixtures import Settings

from motcua.core.models import ReferenceGeneration
from motcua.core.prepared import _converted, prepared_cursor

pytestmark = pytest.mark.django_db

TABLE = ReferenceGeneration._meta.db_table


def _prepared_here(label: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", [f"%AS {label} %"])
        (count,) = cursor.fetchone()
    return int(count)


def _read(name: str, label: str = "v") -> int | None:
    """The generation `name`; `label` makes the statement's text (psycopg counts runs per text and
    connection, and tests share connections)."""
    with prepared_cursor() as cursor:
        cursor.execute(f"SELECT value AS {label} FROM {TABLE} WHERE name = %s", [name])  # noqa: S608 - fixed names
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def test_statements_run_and_are_logged_like_any_other() -> None:
    ReferenceGeneration.objects.create(name="a", value=7)

    with CaptureQueriesContext(connection) as queries:
        assert _read("a") == 7
        assert _read("b") is None

    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["SELECT", "SELECT"]


def test_database_errors_are_django_errors() -> None:
    ReferenceGeneration.objects.create(name="a")

    def insert_again() -> None:
        with prepared_cursor() as cursor:
            cursor.execute(f"INSERT INTO {TABLE} (name, value) VALUES (%s, %s)", ["a", 1])  # noqa: S608

    with pytest.raises(IntegrityError):
        insert_again()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_postgresql_prepares_a_statement_after_the_threshold(settings: Settings) -> None:
    settings.MOTCUA_DB_PREPARE_THRESHOLD = 3
    ReferenceGeneration.objects.create(name="a", value=1)

    for _ in range(2):
        _read("a", label="after_three")
    before = _prepared_here("after_three")
    for _ in range(2):
        assert _read("a", label="after_three") == 1

    assert (before, _prepared_here("after_three")) == (0, 1)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_the_threshold_0_prepares_nothing(settings: Settings) -> None:
    settings.MOTCUA_DB_PREPARE_THRESHOLD = 0
    ReferenceGeneration.objects.create(name="a", value=1)

    for _ in range(10):
        assert _read("a", label="never") == 1

    assert _prepared_here("never") == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the conversion is psycopg's")
def test_a_long_statement_is_converted_once_per_process() -> None:
    """psycopg keeps the `%s` → `$n` conversion of texts up to 4 KB only; reception's batch is longer."""
    ReferenceGeneration.objects.create(name="a", value=5)
    padding = "/* " + "x" * 5000 + " */"
    statement = f"SELECT value AS long_text {padding} FROM {TABLE} WHERE name = %s"  # noqa: S608 - fixed names
    _converted.cache_clear()

    for _ in range(3):
        with prepared_cursor() as cursor:
            cursor.execute(statement, ["a"])
            assert cursor.fetchone() == (5,)

    info = _converted.cache_info()
    assert (info.misses, info.hits) == (1, 2)
