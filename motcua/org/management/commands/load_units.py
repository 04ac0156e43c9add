from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.core.errors import DomainError
from motcua.org.services import UNITS_FILE, units_load


class Command(BaseCommand):
    help = "Load the 34 provinces and 3,321 communes/wards (2025 list); re-running changes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=UNITS_FILE, help="The units JSON (default: shipped list).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = units_load(path=options["file"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"{result.provinces} tỉnh, {result.units} đơn vị hành chính cấp xã: "
            f"{result.created} thêm mới, {result.updated} cập nhật."
        )
