"""Backups: one archive holding a consistent copy of the database and the data folder (documents, keys).

The archive is a tar file:
  manifest.json        format, database vendor, time, rows per table, SHA-256 of every document
  database.sqlite3     SQLite: a copy made with SQLite's online backup API (consistent while the app runs)
  database.pgdump      PostgreSQL: `pg_dump --format=custom` taken on the snapshot the row counts read
  data/...             the data folder (documents under data/documents/ab/cd/<sha256>, the secret key...)

The database is copied first, then the folder: a document's file is written before its row commits, so
every row in the copy finds its file. Restoring refuses a database that holds rows, or a documents folder
that holds files, unless told to replace them; it then checks the row counts and every document's hash
against the manifest.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import psycopg.conninfo
from django.db import connection
from django.utils import timezone

from motcua.config import data_dir

FORMAT = 1
_PG_BIN_DIRS = ("/usr/lib/postgresql/15/bin",)
_SKIPPED_SUFFIXES = ("-wal", "-shm", "-journal")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why (the command shows it)."""


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    vendor: str
    rows: dict[str, int]
    documents: int


def backup_create(target: Path) -> BackupSummary:
    """Write the archive to `target` (through a temporary file, so a failed backup leaves nothing)."""
    vendor = connection.vendor
    folder = data_dir()
    with tempfile.TemporaryDirectory(prefix="motcua-backup-") as work:
        work_dir = Path(work)
        if vendor == "sqlite":
            database, rows = _sqlite_dump(work_dir / "database.sqlite3")
        elif vendor == "postgresql":
            database, rows = _pg_dump(work_dir / "database.pgdump")
        else:
            raise BackupError(f"Không sao lưu được cơ sở dữ liệu loại {vendor}.")
        live = {Path(str(connection.settings_dict["NAME"]))} if vendor == "sqlite" else set()
        files = _data_files(folder, skip={*live, target})
        documents = {name: _sha256(folder / name) for name in files if name.startswith("documents/")}
        manifest = {
            "format": FORMAT,
            "vendor": vendor,
            "created_at": timezone.now().isoformat(),
            "rows": rows,
            "documents": documents,
        }
        partial = target.with_name(f".{target.name}.partial")
        target.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(partial, "w") as archive:
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=1, sort_keys=True).encode())
            archive.add(database, arcname=database.name)
            for name in files:
                archive.add(folder / name, arcname=f"data/{name}", recursive=False)
        os.replace(partial, target)
    return BackupSummary(target, vendor, rows, len(documents))


def backup_restore(source: Path, *, force: bool = False) -> BackupSummary:
    """Restore the archive into the configured database and data folder, then check it."""
    folder = data_dir()
    with tarfile.open(source, "r:*") as archive, tempfile.TemporaryDirectory(prefix="motcua-restore-") as work:
        manifest = _manifest(archive)
        vendor = connection.vendor
        if manifest["vendor"] != vendor:
            raise BackupError(f"Bản sao lưu của {manifest['vendor']}, cơ sở dữ liệu đích là {vendor}.")
        if not force:
            if busy := _tables_with_rows():
                raise BackupError(
                    f"Cơ sở dữ liệu đích đã có dữ liệu ({len(busy)} bảng, ví dụ {busy[0]}); dùng --force để ghi đè."
                )
            if any(path.is_file() for path in (folder / "documents").rglob("*")):
                raise BackupError(f"Thư mục {folder / 'documents'} đã có tài liệu; dùng --force để ghi đè.")
        work_dir = Path(work)
        members = [m for m in archive.getmembers() if m.name.startswith("data/") or m.name.startswith("database.")]
        archive.extractall(work_dir, members=members, filter="data")
        if vendor == "sqlite":
            _sqlite_restore(work_dir / "database.sqlite3")
        else:
            _pg_restore(work_dir / "database.pgdump", clean=force)
        _copy_tree(work_dir / "data", folder)
    _check(manifest, folder)
    return BackupSummary(source, vendor, manifest["rows"], len(manifest["documents"]))


# --- database ---------------------------------------------------------------------------------------


def _sqlite_dump(out: Path) -> tuple[Path, dict[str, int]]:
    connection.ensure_connection()
    source = connection.connection
    assert isinstance(source, sqlite3.Connection)
    target = sqlite3.connect(out)
    try:
        # One step (pages=-1) under one read lock: the copy is one committed state of the database.
        source.backup(target)
        rows = sqlite_table_rows(target)
    finally:
        target.close()
    return out, rows


def sqlite_table_rows(db: sqlite3.Connection) -> dict[str, int]:
    """Rows of every table of an SQLite database, by table name."""
    names = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {
        name: db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]  # noqa: S608 - names from the catalog
        for name in sorted(names)
        if not name.startswith("sqlite_")
    }


def _sqlite_restore(dump: Path) -> None:
    name = str(connection.settings_dict["NAME"])
    connection.close()
    source = sqlite3.connect(dump)
    target = sqlite3.connect(name)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


def _pg_dump(out: Path) -> tuple[Path, dict[str, int]]:
    with psycopg.connect(psycopg.conninfo.make_conninfo(**_pg_params())) as db:
        # pg_dump reads the snapshot this transaction exports: the counts describe exactly what it dumps.
        db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot = db.execute("SELECT pg_export_snapshot()").fetchone()
        assert snapshot is not None
        rows = pg_table_rows(db)
        _run(
            _pg_tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--snapshot={snapshot[0]}",
            "--file",
            str(out),
        )
    return out, rows


def pg_table_rows(db: Any) -> dict[str, int]:
    """Rows of every table of the current schema of a psycopg connection, by table name."""
    names = [row[0] for row in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")]
    return {name: db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in sorted(names)}  # noqa: S608


def _pg_restore(dump: Path, *, clean: bool) -> None:
    connection.close()
    options = ["--clean", "--if-exists"] if clean else []
    _run(
        _pg_tool("pg_restore"),
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        *options,
        "--dbname",
        _pg_params()["dbname"],
        str(dump),
    )


def _pg_params() -> dict[str, str]:
    settings = connection.settings_dict
    params = {
        "dbname": str(settings["NAME"]),
        "user": str(settings.get("USER") or ""),
        "password": str(settings.get("PASSWORD") or ""),
        "host": str(settings.get("HOST") or ""),
        "port": str(settings.get("PORT") or ""),
    }
    return {key: value for key, value in params.items() if value}


def _pg_tool(name: str) -> str:
    found = shutil.which(name) or next((str(Path(d) / name) for d in _PG_BIN_DIRS if (Path(d) / name).is_file()), None)
    if found is None:
        raise BackupError(f"Không tìm thấy {name} (cài gói postgresql-client).")
    return found


def _run(tool: str, *args: str) -> None:
    params = _pg_params()
    env = {
        **os.environ,
        "PGHOST": params.get("host", ""),
        "PGPORT": params.get("port", ""),
        "PGUSER": params.get("user", ""),
        "PGDATABASE": params["dbname"],
    }
    if "password" in params:
        env["PGPASSWORD"] = params["password"]  # never on the command line, where `ps` shows it
    done = subprocess.run([tool, *args], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        raise BackupError(f"{Path(tool).name} thất bại: {done.stderr.strip()[-2000:]}")


def _tables_with_rows() -> list[str]:
    with connection.cursor() as cursor:
        found = []
        for name in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(name)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                found.append(name)
    return found


# --- files ------------------------------------------------------------------------------------------


def _data_files(folder: Path, *, skip: set[Path]) -> list[str]:
    """Files of the data folder, relative, sorted; without the live database, its journals and uploads
    still being written (their names start with a dot)."""
    skipped = {path.resolve() for path in skip}
    found = []
    for path in sorted(folder.rglob("*")) if folder.exists() else []:
        if not path.is_file() or path.name.startswith("."):
            continue
        resolved = path.resolve()
        if resolved in skipped or any(str(resolved) == f"{s}{suffix}" for s in skipped for suffix in _SKIPPED_SUFFIXES):
            continue
        found.append(path.relative_to(folder).as_posix())
    return found


def _copy_tree(source: Path, target: Path) -> None:
    if not source.exists():
        return
    for path in sorted(source.rglob("*")):
        if path.is_file():
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def _manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.extractfile("manifest.json")
    except KeyError as error:
        raise BackupError("Tệp không phải bản sao lưu motcua (thiếu manifest.json).") from error
    assert member is not None
    manifest: dict[str, Any] = json.loads(member.read())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Định dạng sao lưu {manifest.get('format')} không được hỗ trợ.")
    return manifest


def _check(manifest: dict[str, Any], folder: Path) -> None:
    """Rows per table and every document's hash as the manifest recorded them."""
    with connection.cursor() as cursor:
        for table, expected in manifest["rows"].items():
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            (count,) = cursor.fetchone() or (None,)
            if count != expected:
                raise BackupError(f"Bảng {table}: {count} dòng sau khi phục hồi, bản sao lưu ghi {expected}.")
    for name, expected in manifest["documents"].items():
        path = folder / name
        if not path.is_file() or _sha256(path) != expected:
            raise BackupError(f"Tài liệu {name} thiếu hoặc sai mã băm sau khi phục hồi.")
