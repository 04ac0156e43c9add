"""`motcua queue-demo`: default queue services, work profiles and appointment slots for every center."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.org.models import ServiceCenter
from motcua.queueing.services.setup import queue_setup_demo


class Command(BaseCommand):
    help = "Dịch vụ lấy số mặc định, hồ sơ công việc của quầy và khung giờ hẹn cho các trung tâm (chạy lại an toàn)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--center", help="Chỉ trung tâm có mã này (mã đơn vị hoặc 'province').")

    def handle(self, *args: Any, **options: Any) -> None:
        centers = ServiceCenter.objects.filter(is_active=True)
        if options["center"]:
            centers = centers.filter(code=options["center"])
        for center in centers:
            services = queue_setup_demo(center=center)
            self.stdout.write(f"{center.code}: {', '.join(s.code for s in services)} → /queue/{center.code}/kiosk/")
