"""`motcua personal-data-retention`: anonymize applicants of dossiers closed longer than
MOTCUA_RETENTION_DAYS (see `services.retention`) and delete the staff sign-in log older than
MOTCUA_SIGNIN_LOG_DAYS; idempotent, run hourly by `make run`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.dossiers.services.retention import dossiers_anonymize_expired, dossiers_past_retention, retention_days
from motcua.org.signin import sign_in_events_purge


class Command(BaseCommand):
    help = (
        "Ẩn danh dữ liệu cá nhân của người nộp trong các hồ sơ đã kết thúc quá thời hạn lưu giữ "
        "(MOTCUA_RETENTION_DAYS); giữ hồ sơ, mã, số liệu thống kê và chuỗi nhật ký."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="chỉ đếm hồ sơ sẽ được ẩn danh")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["dry_run"]:
            purged = sign_in_events_purge()
            self.stdout.write(f"Đã xóa {purged} dòng nhật ký đăng nhập quá MOTCUA_SIGNIN_LOG_DAYS.")
        days = retention_days()
        if days <= 0:
            self.stdout.write("MOTCUA_RETENTION_DAYS=0: dữ liệu cá nhân được giữ, không ẩn danh hồ sơ nào.")
            return
        if options["dry_run"]:
            self.stdout.write(f"{len(dossiers_past_retention())} hồ sơ quá {days} ngày sẽ được ẩn danh.")
            return
        done = dossiers_anonymize_expired()
        self.stdout.write(f"Đã ẩn danh {len(done)} hồ sơ kết thúc quá {days} ngày.")
        for code in done:
            self.stdout.write(f"  {code}")
