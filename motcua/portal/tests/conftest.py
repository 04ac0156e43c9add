from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from pytest_django import DjangoDbBlocker

from motcua.citizens.models import Citizen
from motcua.citizens.services import citizen_sign_in
from motcua.citizens.session import SESSION_KEY
from motcua.dossiers.tests.factories import PERSONAL_ID, World, build_world
from motcua.workcal.services import clear_calendar_cache

PDF = b"%PDF-1.4\n1 0 obj <</Type /Page>>\n%%EOF\n"


@pytest.fixture(scope="session", autouse=True)
def drop_leftover_connections(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """After the session's live servers are gone, end any connection a request thread left behind (a request
    the browser abandoned, like the first of a double click): PostgreSQL refuses to drop a database in use."""
    yield
    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.fixture
def world(db: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> World:
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(tmp_path))
    clear_calendar_cache()
    return build_world()


@pytest.fixture
def citizen(db: None) -> Citizen:
    return citizen_sign_in(
        issuer="https://vneid.test",
        claims={
            "sub": "vneid-1",
            "personal_id": PERSONAL_ID,
            "name": "Nguyễn Văn An",
            "birthdate": "1990-01-15",
            "phone_number": "0912345678",
        },
    )


@pytest.fixture
def signed_in(client: Client, citizen: Citizen) -> Client:
    session = client.session
    session[SESSION_KEY] = citizen.personal_id
    session.save()
    return client
