"""`/bao-cao/nhat-ky-truy-cap/`: the supervisor's review of staff reads of personal data (filter by officer,
dossier code and period; paginated; `?format=xlsx` exports every filtered row)."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from motcua.core.errors import InvalidInput
from motcua.core.pagination import keyset_page
from motcua.dossiers.access_selectors import (
    MAX_EXPORT_ROWS,
    PURPOSE_LABELS,
    AccessLogFilter,
    access_log_for_review,
)
from motcua.dossiers.models import DossierAccessLog
from motcua.dossiers.views.common import staff_page
from motcua.org.models import StaffUser
from motcua.reports.exports import XLSX

PAGE_SIZE = 100
HEADERS = ["Thời điểm", "Tài khoản", "Họ tên cán bộ", "Vai trò", "Mã hồ sơ", "Màn hình"]


def _day(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        raise InvalidInput("Ngày không hợp lệ (YYYY-MM-DD).", code="invalid_date", value=raw) from None


def _filters(request: HttpRequest) -> AccessLogFilter:
    return AccessLogFilter(
        officer=request.GET.get("can-bo", "").strip()[:150],
        dossier_code=request.GET.get("ho-so", "").strip()[:60],
        start=_day(request.GET.get("tu", "").strip()),
        end=_day(request.GET.get("den", "").strip()),
    )


def _row(log: DossierAccessLog) -> list[str]:
    officer = log.actor
    return [
        timezone.localtime(log.at).strftime("%d/%m/%Y %H:%M:%S"),
        officer.username,
        officer.get_full_name(),
        officer.get_role_display(),
        log.dossier.code,
        PURPOSE_LABELS.get(log.purpose, log.purpose),
    ]


@staff_page
def access_log(request: HttpRequest, actor: StaffUser) -> HttpResponse:
    filters = _filters(request)
    logs = access_log_for_review(actor, filters)
    if request.GET.get("format") == "xlsx":
        return _xlsx(logs.order_by("-at", "-id"), filters)
    rows, next_cursor = keyset_page(logs, keys=["-at", "-id"], cursor=request.GET.get("sau") or None, limit=PAGE_SIZE)
    query = {
        key: value
        for key, value in {
            "can-bo": filters.officer,
            "ho-so": filters.dossier_code,
            "tu": filters.start.isoformat() if filters.start else "",
            "den": filters.end.isoformat() if filters.end else "",
        }.items()
        if value
    }
    context = {
        "filters": filters,
        "headers": HEADERS,
        "rows": [_row(log) for log in rows],
        "query": urlencode(query),
        "next_cursor": next_cursor,
    }
    return render(request, "reports/access_log.html", context)


def _xlsx(logs: QuerySet[DossierAccessLog], filters: AccessLogFilter) -> HttpResponse:
    chosen = list(logs[: MAX_EXPORT_ROWS + 1])
    if len(chosen) > MAX_EXPORT_ROWS:
        raise InvalidInput(
            "Quá nhiều lượt truy cập để xuất; hãy chọn kỳ ngắn hơn hoặc lọc theo cán bộ.",
            code="access_log_too_large",
            max_rows=MAX_EXPORT_ROWS,
        )
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Nhật ký truy cập"
    sheet.append(["Nhật ký truy cập dữ liệu cá nhân của cán bộ"])
    sheet["A1"].font = Font(bold=True)
    sheet.append([_describe(filters)])
    sheet.append([])
    sheet.append(HEADERS)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for log in chosen:
        sheet.append(_row(log))
    out = BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="nhat-ky-truy-cap.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


def _describe(filters: AccessLogFilter) -> str:
    parts = [
        f"Cán bộ: {filters.officer}" if filters.officer else "Mọi cán bộ",
        f"Hồ sơ: {filters.dossier_code}" if filters.dossier_code else "mọi hồ sơ",
        f"từ {filters.start:%d/%m/%Y}" if filters.start else "",
        f"đến {filters.end:%d/%m/%Y}" if filters.end else "",
    ]
    return ", ".join(part for part in parts if part)
