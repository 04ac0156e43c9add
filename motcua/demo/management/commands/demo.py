"""`motcua demo`: seed the demo province, its catalog, competence and queues; print the accounts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua.catalog.demo import demo_summary_text
from motcua.core.errors import DomainError
from motcua.demo.seed import demo_all_seed


class Command(BaseCommand):
    help = "Tạo dữ liệu demo (đơn vị hành chính, cơ quan, trung tâm, tài khoản, thủ tục, dịch vụ lấy số); chạy lại không đổi gì."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = demo_all_seed(province_code=settings.MOTCUA_PROVINCE)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(demo_summary_text(summary))
