"""`motcua backup` and `motcua restore` (issue #10): dossiers with events and documents are backed up, restored
into an empty database and data folder by a separate process, and `motcua audit-verify` passes there with
the same rows in every table and the same document hashes. Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

import motcua
from conftest import ReliabilityFigure
from motcua.config import data_dir
from motcua.core.backup import pg_table_rows, sqlite_table_rows
from motcua.dossiers.models import Document, Dossier, DossierEvent
from motcua.dossiers.services.documents import document_store
from motcua.dossiers.services.reception import ComponentData
from motcua.dossiers.tests.factories import DossierFactory, build_world
from motcua.dossiers.tests.hostile_files import image, pdf, stream
from motcua.workcal.services import clear_calendar_cache

pytestmark = pytest.mark.django_db(transaction=True)

PACKAGE_ROOT = Path(motcua.__file__).resolve().parent.parent


def _rows() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for name in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")  # noqa: S608
            counts[name] = cursor.fetchone()[0]
    return counts


def _hashes(folder: Path) -> dict[str, str]:
    root = folder / "documents"
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def target(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """An empty database and data folder of the same kind as the test database, for the restoring process."""
    folder = tmp_path / "restored"
    if connection.vendor == "sqlite":
        yield {"env": {"DATABASE_URL": "", "MOTCUA_DATA_DIR": str(folder)}, "folder": folder}
        return
    import psycopg
    from psycopg.conninfo import make_conninfo

    settings = connection.settings_dict
    name = f"restore_{uuid.uuid4().hex[:12]}"
    params = {k: str(settings[K]) for k, K in [("host", "HOST"), ("port", "PORT"), ("user", "USER")] if settings[K]}
    password = str(settings.get("PASSWORD") or "")
    admin = {**params, "dbname": str(settings["NAME"]), **({"password": password} if password else {})}
    with psycopg.connect(make_conninfo(**admin), autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    auth = f"{params.get('user', '')}{':' + password if password else ''}@"
    url = f"postgresql://{auth}{params.get('host', '')}:{params.get('port', '5432')}/{name}"
    try:
        yield {"env": {"DATABASE_URL": url, "MOTCUA_DATA_DIR": str(folder)}, "folder": folder, "name": name}
    finally:
        with psycopg.connect(make_conninfo(**admin), autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _motcua(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **env, "PYTHONPATH": str(PACKAGE_ROOT), "DJANGO_SETTINGS_MODULE": "motcua.settings"}
    environment.pop("MOTCUA_DEBUG", None)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "motcua.cli", *args], env=environment, capture_output=True, text=True, check=False
    )


def _target_rows(target: dict[str, Any]) -> dict[str, int]:
    if connection.vendor == "sqlite":
        db = sqlite3.connect(target["folder"] / "motcua.sqlite3")
        try:
            return sqlite_table_rows(db)
        finally:
            db.close()
    import psycopg

    with psycopg.connect(target["env"]["DATABASE_URL"]) as pg:
        return pg_table_rows(pg)


def test_a_backup_restores_into_an_empty_database_with_the_same_rows_hashes_and_audit_chain(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: dict[str, Any], reliability_figure: ReliabilityFigure
) -> None:
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(tmp_path / "source"))
    clear_calendar_cache()
    world = build_world()
    desk = world.staff["reception"]
    for number, stage in enumerate(["received", "handling", "approved", "returned"]):
        scans = [
            document_store(
                actor=desk, chunks=[pdf(stream(b"BT (to khai %d) Tj ET" % number))], name="to-khai.pdf"
            ).sha256,
            document_store(actor=desk, chunks=[image("PNG", (20 + number, 20))], name="chung-sinh.png").sha256,
        ]
        DossierFactory.create(
            world=world,
            stage=stage,
            components=[ComponentData("to-khai", [scans[0]]), ComponentData("giay-chung-sinh", [scans[1]])],
        )
    assert DossierEvent.objects.count() > Dossier.objects.count() == 4
    archive = tmp_path / "motcua-backup.tar"

    call_command("backup", str(archive))

    source_rows, source_hashes = _rows(), _hashes(data_dir())
    assert len(source_hashes) == Document.objects.count() == 8
    restored = _motcua(target["env"], "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    verified = _motcua(target["env"], "audit-verify")
    assert verified.returncode == 0, verified.stderr
    assert "4 dossiers checked, every audit chain is intact." in verified.stdout
    restored_rows = _target_rows(target)
    assert restored_rows == source_rows
    assert _hashes(target["folder"]) == source_hashes

    # A second restore over the data now there is refused, unless told to replace it.
    again = _motcua(target["env"], "restore", str(archive))
    assert again.returncode != 0
    assert "đã có dữ liệu" in again.stderr
    assert _motcua(target["env"], "restore", "--force", str(archive)).returncode == 0
    assert _target_rows(target) == source_rows

    section = "Backups"
    vendor = connection.vendor
    reliability_figure(
        section, "tables restored with identical row counts", len(restored_rows), f"all {len(source_rows)}"
    )
    reliability_figure(section, "rows restored", sum(restored_rows.values()), f"{sum(source_rows.values())} backed up")
    reliability_figure(section, "documents restored with identical SHA-256", len(source_hashes), "all")
    reliability_figure(section, "audit chains intact after restore", "4 of 4", "all")
    reliability_figure(section, f"restore into a non-empty database refused ({vendor})", "yes", "yes")


def test_a_backup_taken_while_dossiers_are_received_restores_a_consistent_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: dict[str, Any], reliability_figure: ReliabilityFigure
) -> None:
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(tmp_path / "source"))
    clear_calendar_cache()
    world = build_world()
    stop, received = threading.Event(), []
    failures: list[BaseException] = []

    def desk() -> None:
        # Another connection receiving and handing on dossiers while the backup runs, as the app would.
        try:
            while not stop.is_set():
                received.append(DossierFactory.create(world=world, stage="handling").code)
        except BaseException as error:  # reported by the test, not lost in the thread
            failures.append(error)
        finally:
            connection.close()

    writer = threading.Thread(target=desk)
    writer.start()
    try:
        deadline = time.monotonic() + 60
        while len(received) < 3 and time.monotonic() < deadline and not failures:
            time.sleep(0.05)
        before = len(received)
        call_command("backup", str(tmp_path / "live.tar"))
        during = len(received)
        time.sleep(0.5)
    finally:
        stop.set()
        writer.join()
    assert not failures
    assert len(received) > during >= before >= 3  # the desk wrote before, during and after the backup

    restored = _motcua(target["env"], "restore", str(tmp_path / "live.tar"))
    assert restored.returncode == 0, restored.stderr
    verified = _motcua(target["env"], "audit-verify")
    assert verified.returncode == 0, verified.stderr
    kept = _target_rows(target)["dossiers_dossier"]
    # The copy is one committed state: what was received before it began, perhaps one more, never a part.
    assert before <= kept <= during + 1
    reliability_figure("Backups", "dossiers in a backup taken while the desk wrote, chains intact", kept, "all")
