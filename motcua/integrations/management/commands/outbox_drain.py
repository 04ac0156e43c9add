"""`motcua outbox-drain [--every SECONDS]`: deliver due outbound messages (the worker's task does the same
after each commit; this catches retries whose backoff has passed)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.integrations.delivery import outbox_drain


class Command(BaseCommand):
    help = "Gửi các tin đến hạn trong hàng đợi liên thông (outbox); --every lặp lại sau mỗi số giây."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=float, default=0, help="repeat every SECONDS (0: once)")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            report = outbox_drain()
            self.stdout.write(f"delivered {report.delivered}, to retry {report.retried}, dead {report.dead}")
            for error in report.errors:
                self.stderr.write(error)
            if not options["every"]:
                return
            time.sleep(options["every"])
