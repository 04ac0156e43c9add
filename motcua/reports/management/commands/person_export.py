"""`motcua person-export PERSONAL_ID --actor USERNAME [--output FILE]`: everything held about one person,
as JSON (see `reports.person_export`); the export is logged in the read log under the supervisor's name."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder

from motcua.core.errors import DomainError
from motcua.org.models import StaffUser
from motcua.reports.person_export import person_export


class Command(BaseCommand):
    help = (
        "Xuất toàn bộ dữ liệu đang lưu về một người theo số định danh cá nhân (JSON); "
        "chỉ cán bộ giám sát, và việc xuất được ghi nhật ký."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("personal_id", help="số định danh cá nhân (12 chữ số)")
        parser.add_argument("--actor", required=True, help="tài khoản cán bộ giám sát thực hiện việc xuất")
        parser.add_argument("--output", type=Path, help="tệp JSON sẽ ghi (mặc định: in ra màn hình)")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = StaffUser.objects.filter(username=options["actor"], is_active=True).first()
        if actor is None:
            raise CommandError(f"Không có tài khoản cán bộ đang hoạt động '{options['actor']}'.")
        try:
            export = person_export(actor=actor, personal_id=options["personal_id"])
        except DomainError as error:
            raise CommandError(f"{error.code}: {error.message}") from error
        text = json.dumps(export, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
        output: Path | None = options["output"]
        if output is None:
            self.stdout.write(text)
            return
        # Personal data: readable by the operator's account only.
        fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
        self.stdout.write(f"{output}: {len(export['dossiers'])} dossiers.")
