from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from motcua.reports.refresh import reports_refresh


class Command(BaseCommand):
    help = "Cập nhật bảng số liệu báo cáo từ các hồ sơ thay đổi kể từ lần cập nhật trước."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--full", action="store_true", help="Tính lại toàn bộ.")

    def handle(self, *args: Any, full: bool = False, **options: Any) -> None:
        written = reports_refresh(full=full)
        self.stdout.write(f"reports-refresh: {written} dossiers")
