"""`motcua import-procedures PATH [PATH ...]`: import national procedure data (JSONL(.gz), XLSX lists)."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.catalog.importers.records import ImportFileError
from motcua.catalog.services.imports import ImportReport, import_procedure_files

SUMMARY_KINDS = 10


class Command(BaseCommand):
    help = "Nhập thủ tục hành chính từ tệp JSONL(.gz) của Cổng DVC quốc gia và danh sách TTHC (.xlsx)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="tệp .jsonl, .jsonl.gz, .xlsx hoặc thư mục chứa chúng")
        parser.add_argument("--report", type=Path, help="ghi báo cáo đầy đủ (JSON) vào tệp này")
        parser.add_argument("--quiet", action="store_true", help="không in tiến độ và tóm tắt")

    def handle(self, *args: Any, **options: Any) -> None:
        quiet: bool = options["quiet"]
        progress = None if quiet or not sys.stderr.isatty() else _tqdm
        try:
            report = import_procedure_files(options["paths"], progress=progress)
        except ImportFileError as exc:
            lines = [f"{p.location}: {p.reason}" for p in exc.problems]
            raise CommandError("Không nhập được, cơ sở dữ liệu không thay đổi:\n" + "\n".join(lines)) from exc
        if options["report"]:
            options["report"].write_text(json.dumps(report.as_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
        if not quiet:
            self.stdout.write(summary(report))


def _tqdm(items: Iterable[Any], total: int) -> Iterable[Any]:
    from tqdm import tqdm

    bar: Iterable[Any] = tqdm(items, total=total, unit="thủ tục", file=sys.stderr)
    return bar


def summary(report: ImportReport) -> str:
    def share(count: int) -> str:
        return (
            f"{count}/{report.portal_records} ({100 * count / report.portal_records:.1f}%)"
            if report.portal_records
            else "0"
        )

    kinds = Counter(problem.split(" (")[0] for problems in report.problems.values() for problem in problems)
    lines = [
        f"Tệp: {len(report.files)}; bản ghi: {report.records}; thời gian: {report.seconds:.1f} s",
        f"Tạo mới: {report.created}; phiên bản mới: {report.new_versions}; không đổi: {report.unchanged}; "
        f"dòng danh sách giữ dữ liệu Cổng DVC: {report.list_rows_kept_portal}",
        f"Có thời hạn giải quyết: {share(report.with_time)} (ghi rõ đơn vị: {share(report.with_time_stated)})",
        f"Có phí, lệ phí: {share(report.with_fee)}",
        f"Thủ tục có phần chưa phân tích được: {len(report.problems)}",
    ]
    lines += [f"  {count:5d}  {kind}" for kind, count in kinds.most_common(SUMMARY_KINDS)]
    return "\n".join(lines)
