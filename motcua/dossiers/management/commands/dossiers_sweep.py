"""`motcua dossiers-sweep`: close dossiers whose supplement is overdue (see `services.sweep`); idempotent."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from motcua.dossiers.services.sweep import dossiers_close_unsupplied


class Command(BaseCommand):
    help = "Đóng các hồ sơ chờ bổ sung quá thời hạn quy định của thủ tục (chạy lại không đóng thêm)."

    def handle(self, *args: Any, **options: Any) -> None:
        closed = dossiers_close_unsupplied()
        self.stdout.write(f"Đã đóng {len(closed)} hồ sơ quá hạn bổ sung.")
        for code in closed:
            self.stdout.write(f"  {code}")
