"""`motcua simulators [--port]`: serve every simulated partner system (demo and `make run`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandParser

from motcua.config import env
from motcua.integrations.callbacks import callback_secrets
from motcua.integrations.simulators import Simulators, SimulatorServer


class Command(BaseCommand):
    help = "Chạy hệ thống giả lập của các cơ quan liên thông (DVCQG, dân cư, thuế, bưu chính, thanh toán, SMS…)."

    def add_arguments(self, parser: CommandParser) -> None:
        default = urlsplit(env("MOTCUA_PARTNER_BASE_URL")).port or 8701
        parser.add_argument("--port", type=int, default=default)

    def handle(self, *args: Any, **options: Any) -> None:
        sims = Simulators(callback_secrets=callback_secrets())
        with SimulatorServer(("127.0.0.1", options["port"]), sims) as server:
            self.stdout.write(f"partner simulators on {server.base_url}/<partner>/ (faults: POST /_control/<partner>)")
            try:
                server.serve_forever()
            except KeyboardInterrupt:
                self.stdout.write("stopped")
