"""Queue statistics as an XLSX workbook (openpyxl): a summary sheet and one sheet per breakdown."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from motcua.queueing.selectors.statistics import Figures, Statistics

HEADERS = (
    "Số phiếu",
    "Đã gọi",
    "Đã phục vụ",
    "Vắng mặt",
    "Chờ trung bình (phút)",
    "Chờ lâu nhất (phút)",
    "Phục vụ trung bình (phút)",
)


def statistics_xlsx(statistics: Statistics) -> bytes:
    book = Workbook()
    summary = book.active
    summary.title = "Tổng hợp"
    summary.append(["Trung tâm", statistics.center])
    summary.append(["Từ ngày", statistics.start.isoformat()])
    summary.append(["Đến ngày", statistics.end.isoformat()])
    summary.append(["Giờ cao điểm", ", ".join(f"{hour}h" for hour in statistics.peak_hours)])
    summary.append([])
    summary.append(["", *HEADERS])
    summary.append(["Tất cả", *_cells(statistics.total)])
    breakdowns: list[tuple[str, str, list[tuple[str, Figures]]]] = [
        ("Theo dịch vụ", "Dịch vụ", statistics.by_service),
        ("Theo quầy", "Quầy", statistics.by_counter),
        ("Theo cán bộ", "Cán bộ", statistics.by_officer),
        ("Theo giờ", "Giờ lấy số", [(f"{hour:02d}:00", figures) for hour, figures in statistics.by_hour]),
    ]
    for title, first, groups in breakdowns:
        sheet = book.create_sheet(title)
        sheet.append([first, *HEADERS])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for name, figures in groups:
            sheet.append([name, *_cells(figures)])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _cells(figures: Figures) -> list[int | float | None]:
    return [
        figures.issued,
        figures.called,
        figures.served,
        figures.no_show,
        figures.avg_wait_min,
        figures.max_wait_min,
        figures.avg_service_min,
    ]
