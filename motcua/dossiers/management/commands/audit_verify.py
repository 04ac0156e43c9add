"""`motcua audit-verify`: recompute every dossier's event chain; exit non-zero naming what is broken."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from motcua.dossiers.audit import verify_chain
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services.events import stored_event

_BATCH = 500


class Command(BaseCommand):
    help = "Kiểm tra chuỗi băm nhật ký của mọi hồ sơ; báo hồ sơ và sự kiện bị sửa, xóa hoặc đảo thứ tự."

    def handle(self, *args: Any, **options: Any) -> None:
        broken = 0
        checked = 0
        dossiers = Dossier.objects.only("id", "code", "event_count", "last_event_hash").order_by("id")
        for dossier in dossiers.iterator(chunk_size=_BATCH):
            checked += 1
            events = DossierEvent.objects.filter(dossier=dossier).order_by("seq", "id")
            problems = verify_chain(
                (stored_event(event, dossier.code) for event in events),
                expected_count=dossier.event_count,
                expected_head=dossier.last_event_hash,
            )
            for problem in problems:
                where = f"event seq {problem.seq} (id {problem.event_id})" if problem.event_id else "chain"
                self.stderr.write(f"dossier {dossier.code}: {where}: {problem.problem}")
            broken += bool(problems)
        if broken:
            raise CommandError(f"{broken} of {checked} dossiers have a broken audit chain.")
        self.stdout.write(f"{checked} dossiers checked, every audit chain is intact.")
