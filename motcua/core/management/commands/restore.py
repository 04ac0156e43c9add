"""`motcua restore FILE [--force]`: put a backup back into an empty database and data folder, then check it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Phục hồi bản sao lưu vào cơ sở dữ liệu và thư mục dữ liệu đang cấu hình (phải trống, trừ khi --force), "
        "rồi đối chiếu số dòng từng bảng và mã băm từng tài liệu."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="tệp sao lưu (do `motcua backup` tạo)")
        parser.add_argument(
            "--force", action="store_true", help="ghi đè cơ sở dữ liệu và thư mục tài liệu đã có dữ liệu"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = backup_restore(options["file"], force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{summary.path}: restored {len(summary.rows)} tables, {sum(summary.rows.values())} rows, "
            f"{summary.documents} documents; counts and hashes match the backup."
        )
