"""Exports: every dashboard table as an XLSX workbook (openpyxl, one sheet per table), and the province's
periodic report as a PDF (WeasyPrint; the style sheet asks for DejaVu Sans, which has every Vietnamese
glyph)."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from io import BytesIO

import weasyprint
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from motcua.reports.pages import Cell, Page, PeriodicReport

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _value(cell: Cell) -> str | int | float | datetime | None:
    """Excel has no time zones: local wall-clock time, as printed on the forms."""
    if isinstance(cell, datetime):
        return timezone.localtime(cell).replace(tzinfo=None)
    if isinstance(cell, Decimal):
        return float(cell)
    return cell


def page_xlsx(page: Page) -> bytes:
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for table in page.tables:
        # Sheet titles: at most 31 characters, unique, none of []:*?/\
        title = _SHEET_FORBIDDEN.sub("-", table.title)[:31]
        while title in used:
            title = f"{title[:28]}-{len(used)}"
        used.add(title)
        sheet = book.create_sheet(title)
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True)
        scope = page.scope.name + (f" · {page.period.label}" if page.period else "")
        sheet.append([scope])
        if page.refreshed_at is not None:
            sheet.append([_("Số liệu cập nhật đến"), _value(page.refreshed_at)])
        if table.note:
            sheet.append([table.note])
        sheet.append([])
        sheet.append(table.headers)
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_value(c) for c in row])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def periodic_report_pdf(report: PeriodicReport) -> bytes:
    html = render_to_string("reports/periodic.html", {"report": report, "page": report.page})
    return bytes(weasyprint.HTML(string=html).write_pdf())
