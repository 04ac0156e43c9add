"""`motcua exchange-verify`: check every exchange-log record's signature and the hash chain."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from motcua.integrations.exchange_log import exchange_log_verify
from motcua.integrations.models import ExchangeChainHead, ExchangeRecord


class Command(BaseCommand):
    help = "Kiểm tra chữ ký và chuỗi băm của nhật ký trao đổi với các cơ quan liên thông."

    def handle(self, *args: Any, **options: Any) -> None:
        records = ExchangeRecord.objects.order_by("seq").iterator(chunk_size=1000)
        problems = list(exchange_log_verify(records, head=ExchangeChainHead.objects.filter(pk=1).first()))
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} problems in the exchange log.")
        self.stdout.write(f"{ExchangeRecord.objects.count()} exchange records checked, signatures and chain intact.")
