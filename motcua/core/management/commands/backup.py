"""`motcua backup FILE`: the database and the data folder in one archive, taken while the app runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu (SQLite hoặc PostgreSQL) và thư mục dữ liệu (tài liệu, khóa) vào một tệp."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="tệp sao lưu sẽ ghi (tar)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = backup_create(options["file"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{summary.path}: {summary.vendor}, {len(summary.rows)} tables, {sum(summary.rows.values())} rows, "
            f"{summary.documents} documents."
        )
