"""The dashboards as tables and charts: each page composes the selectors into `Table`s that the HTML page,
the XLSX export and the PDF report all render, so an exported table is the table on the screen.

Headers and labels go through gettext here, at request time, so pages and exports follow the reader's
language. Long tables show their first `Table.shown` rows on the page (a page stays under 100 KB at
province scale) and every row in the XLSX.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from motcua.catalog.models import TimeUnit
from motcua.dossiers.services.deadlines import calendar_for
from motcua.dossiers.states import Status
from motcua.org.models import Role
from motcua.reports import dashboards
from motcua.reports.charts import Bar, bar_chart
from motcua.reports.forecast import dossiers_at_risk
from motcua.reports.index766 import IndexSet
from motcua.reports.periods import Period
from motcua.reports.selectors import Scope, index766_for_scope, index766_province, refreshed_at, unit_names
from motcua.workcal.calendar import add_working_time

Cell = str | int | float | Decimal | datetime | None
#: Rows a page shows of a long table; the XLSX has them all.
SHOWN = 50
#: Rows of a dossier list fetched for the XLSX (the page shows `SHOWN` of them).
LIST_ROWS = 1000


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list[Cell]]
    note: str = ""
    shown: int = SHOWN
    #: Rows of the whole table when `rows` holds only the page's share of it (the export builds them all).
    total: int | None = None

    @property
    def visible(self) -> list[list[Cell]]:
        return self.rows[: self.shown]

    @property
    def row_count(self) -> int:
        return len(self.rows) if self.total is None else self.total

    @property
    def truncated(self) -> bool:
        return self.row_count > self.shown


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    scope: Scope
    period: Period | None
    refreshed_at: datetime | None
    tables: list[Table]
    charts: dict[str, SafeString] = field(default_factory=dict)


def _hours(value: timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 3600, 2)


def _unit_label(names: dict[str, str]) -> dict[str, str]:
    return {"": _("Cấp tỉnh"), **names}


def index_table(indices: IndexSet, *, key: str = "chi-so-766") -> Table:
    """The 766 table with each formula beside its figure; N/A with the reason our data cannot feed it.
    "Counted" maximum: what the index (or group) adds to the maximum our data can reach — 0 when N/A."""
    rows: list[list[Cell]] = []
    for group in indices.groups:
        rows.append([group.code, _(group.name), None, None, None, group.score, group.max_counted, group.max, None, ""])
        for i in group.indices:
            if i.information_only:
                shown: Cell = i.value
            else:
                shown = None if i.rate is None else float(i.rate * 100)
            reason = i.unavailable or ("" if i.rate is not None or i.information_only else _("Mẫu số bằng 0"))
            rows.append([
                i.code, _(i.name), i.numerator, i.denominator, shown, i.score,
                None if i.information_only else (i.max if i.counted else Decimal(0)),
                None if i.information_only else i.max, None if i.threshold is None else float(i.threshold * 100), f"{_(i.formula)}" + (f" — N/A: {_(reason)}" if reason else ""),
            ])  # fmt: skip
    rows.append([_("Tổng"), "", None, None, None, indices.score, indices.max_counted, Decimal(100), None, ""])
    return Table(
        key,
        _("Bộ chỉ số 766: %(name)s") % {"name": indices.scope_name},
        [_("Mã"), _("Chỉ số"), _("Tử số"), _("Mẫu số"), _("Tỷ lệ (%) / giá trị"), _("Điểm"), _("Điểm tối đa tính được"),
         _("Điểm tối đa"), _("Ngưỡng (%)"), _("Công thức")],
        rows,
        shown=len(rows),
    )  # fmt: skip


def _index766(scope: Scope, period: Period, *, now: datetime) -> tuple[IndexSet, list[Table]]:
    """The scope's 766 set and its tables; at province scope also every unit and procedure (one query)."""
    if scope.unit is not None:
        indices = index766_for_scope(scope, period, now=now)
        return indices, [index_table(indices)]
    province = index766_province(scope.province, period, now=now)
    units: list[list[Cell]] = [
        [u.scope, u.scope_name, u.score, u.max_counted, _rate(u, "2.1"), _rate(u, "3.3"), _rate(u, "6c")]
        for u in sorted(province.units, key=lambda u: (-u.max_counted, -u.score, u.scope))
    ]
    procedures: list[list[Cell]] = [
        [p.scope, p.score, p.max_counted, _rate(p, "2.1"), _rate(p, "3.3"), _rate(p, "6c")]
        for p in sorted(province.procedures, key=lambda p: (-p.max_counted, -p.score, p.scope))
    ]
    return province.province, [
        index_table(province.province),
        Table("theo-don-vi", _("Theo đơn vị"),
              [_("Mã"), _("Đơn vị"), _("Điểm"), _("Điểm tối đa tính được"), _("2.1 đúng hạn (%)"),
               _("3.3 trực tuyến (%)"), _("6c hài lòng (%)")], units, shown=len(units)),
        Table("theo-thu-tuc", _("Theo thủ tục"),
              [_("Mã thủ tục"), _("Điểm"), _("Điểm tối đa tính được"), _("2.1 đúng hạn (%)"), _("3.3 trực tuyến (%)"),
               _("6c hài lòng (%)")], procedures),
    ]  # fmt: skip


def _groups_chart(indices: IndexSet) -> SafeString:
    return bar_chart(
        [Bar(f"{g.code}. {_(g.name)}", float(g.score), float(g.max_counted)) for g in indices.groups],
        title=_("Điểm theo nhóm chỉ số (vạch: điểm tối đa tính được)"),
    )


def index766_page(scope: Scope, period: Period, *, now: datetime) -> Page:
    indices, tables = _index766(scope, period, now=now)
    charts = {"groups": _groups_chart(indices)}
    return Page("chi-so-766", _("Chỉ số 766"), scope, period, indices.refreshed_at, tables, charts)


def _rate(indices: IndexSet, code: str) -> float | None:
    found = next(i for g in indices.groups for i in g.indices if i.code == code)
    return None if found.rate is None else float(found.rate * 100)


def backlog_page(scope: Scope, *, now: datetime) -> Page:
    rows = dashboards.backlog(province=scope.province, unit=scope.unit, now=now)
    buckets = [f"{low}-{high or '∞'}" for low, high in dashboards.AGE_BUCKETS]
    table_rows: list[list[Cell]] = [
        [_(Status(int(r["status"])).label), r["total"], *(r[b] for b in buckets)] for r in rows
    ]
    totals = [sum(int(r[b]) for r in rows) for b in ("total", *buckets)]
    table_rows.append([_("Tổng"), *totals])
    table = Table(
        "ton-dong",
        _("Hồ sơ đang giải quyết theo trạng thái và số ngày từ khi tiếp nhận"),
        [_("Trạng thái"), _("Tổng"), *[_("%(bucket)s ngày") % {"bucket": b} for b in buckets]],
        table_rows,
        shown=len(table_rows),
    )
    charts = {
        "status": bar_chart([Bar(_(Status(r["status"]).label), r["total"]) for r in rows], title=table.title),
        "age": bar_chart(
            [Bar(h, float(t)) for h, t in zip(table.headers[2:], totals[1:], strict=True)],
            title=_("Hồ sơ đang giải quyết theo số ngày từ khi tiếp nhận"),
        ),
    }
    return Page("ton-dong", _("Hồ sơ tồn đọng"), scope, None, refreshed_at(), [table], charts)


def _officer(row: dict[str, Any]) -> str:
    username = row["assignee__username"]
    if not username:
        return _("Chưa phân công (%(role)s)") % {"role": _(Role(str(row["role"])).label)}
    full = f"{row['assignee__last_name'] or ''} {row['assignee__first_name'] or ''}".strip()
    return f"{full} ({username})" if full else str(username)


def deadlines_page(scope: Scope, *, now: datetime, export: bool = False) -> Page:
    """Overdue and due-soon (less than one working day left) per unit and officer, the list, and the
    dossiers the early warning predicts late. The list has `LIST_ROWS` rows for the export (`export`),
    the page's `SHOWN` otherwise: its length is the per-unit table's sum, which counts the same dossiers."""
    calendar = calendar_for(scope.province)
    soon_until = add_working_time(now, days=1, calendar=calendar)
    names = _unit_label(unit_names(scope.province))
    by_unit = dashboards.deadlines_by_unit(province=scope.province, unit=scope.unit, now=now, soon_until=soon_until)
    by_officer = dashboards.deadlines_by_officer(
        province=scope.province, unit=scope.unit, now=now, soon_until=soon_until
    )
    listed = dashboards.overdue(
        province=scope.province, unit=scope.unit, now=now, soon_until=soon_until, limit=LIST_ROWS if export else SHOWN
    )
    listed_total = min(sum(int(r["overdue"]) + int(r["due_soon"]) for r in by_unit), LIST_ROWS)
    at_risk = dossiers_at_risk(province=scope.province, unit=scope.unit, now=now)
    tables = [
        Table("theo-don-vi", _("Quá hạn và sắp đến hạn theo đơn vị"), [_("Đơn vị"), _("Quá hạn"), _("Sắp đến hạn")],
              [[names.get(str(r["handling_unit"]), str(r["handling_unit"])), r["overdue"], r["due_soon"]] for r in by_unit]),
        Table("theo-can-bo", _("Quá hạn và sắp đến hạn theo cán bộ đang giữ hồ sơ"),
              [_("Cán bộ"), _("Quá hạn"), _("Sắp đến hạn")], [[_officer(r), r["overdue"], r["due_soon"]] for r in by_officer]),
        Table("danh-sach", _("Hồ sơ quá hạn và sắp đến hạn"),
              [_("Mã hồ sơ"), _("Thủ tục"), _("Đơn vị giải quyết"), _("Nơi tiếp nhận"), _("Cán bộ"), _("Hẹn trả"), _("Tình trạng")],
              [[r["dossier__code"], r["procedure__code"], names.get(str(r["handling_unit"]), ""),
                names.get(str(r["receiving_unit"]), ""), r["officer"] or "", r["due_at"],
                _("Quá hạn") if r["due_at"] < now else _("Sắp đến hạn")] for r in listed], total=listed_total),
        Table("canh-bao-som", _("Cảnh báo sớm: hồ sơ có khả năng trễ hạn"),
              [_("Mã hồ sơ"), _("Thủ tục"), _("Đơn vị giải quyết"), _("Hẹn trả"), _("Dự kiến hoàn thành"),
               _("Còn lại (giờ làm việc)"), _("Cần thêm (giờ làm việc)"), _("Bước từ lịch sử / còn lại")],
              [[r.forecast.code, r.procedure_code, names.get(r.handling_unit, r.handling_unit), r.forecast.due_at,
                r.forecast.predicted_at, _hours(r.forecast.remaining), _hours(r.forecast.expected),
                f"{r.forecast.from_history}/{r.forecast.steps}"] for r in at_risk],
              note=_("Thời gian cần thêm = trung vị thời gian làm việc của các bước còn lại ở hồ sơ cùng thủ tục đã "
                     "hoàn thành (không bổ sung) trong 12 tháng, trừ thời gian đã làm ở bước hiện tại; bước có dưới 3 "
                     "mẫu dùng định mức của quy trình. Dự kiến hoàn thành = bây giờ + thời gian cần thêm theo lịch "
                     "làm việc.")),
    ]  # fmt: skip
    chart = bar_chart(
        [Bar(names.get(r["handling_unit"], r["handling_unit"]), r["overdue"]) for r in by_unit[:15] if r["overdue"]],
        title=_("Hồ sơ quá hạn theo đơn vị"),
    )
    return Page(
        "den-han", _("Quá hạn, sắp đến hạn và cảnh báo sớm"), scope, None, refreshed_at(), tables, {"units": chart}
    )


def _limit_days(amount: Decimal | None, unit: str) -> float | None:
    """The legal limit in working days, when the catalog states it in working days (other units are not
    comparable to the handling time without a convention the catalog does not fix)."""
    return float(amount) if amount is not None and unit == TimeUnit.WORKING_DAYS else None


def processing_page(scope: Scope, period: Period) -> Page:
    day_hours = calendar_for(scope.province).day_length.total_seconds() / 3600
    rows = dashboards.processing_time(province=scope.province, unit=scope.unit, period=period)
    table_rows: list[list[Cell]] = []
    bars: list[Bar] = []
    for r in rows:
        average = r["average_hours"]
        days = round(average / day_hours, 2) if average is not None else None
        limit = _limit_days(r["procedure__processing_time_amount"], str(r["procedure__processing_time_unit"]))
        results = int(r["results"])
        table_rows.append([
            r["procedure__code"], r["procedure__name"], results, days, limit,
            round(days / limit * 100, 1) if days is not None and limit else None,
            round(int(r["late"]) / results * 100, 1),
        ])  # fmt: skip
        if days is not None and len(bars) < 20:
            bars.append(Bar(str(r["procedure__code"]), days, limit))
    table = Table(
        "thoi-gian",
        _("Thời gian giải quyết so với thời hạn theo thủ tục"),
        [_("Mã thủ tục"), _("Thủ tục"), _("Hồ sơ có kết quả"), _("Trung bình (ngày làm việc)"),
         _("Thời hạn (ngày làm việc)"), _("So với thời hạn (%)"), _("Trễ hạn (%)")],
        table_rows,
        note=_("Thời gian giải quyết trừ thời gian chờ bổ sung (chỉ số 2.2). Thời hạn chỉ so sánh khi danh mục ghi "
               "theo ngày làm việc."),
    )  # fmt: skip
    chart = bar_chart(bars, title=_("Trung bình ngày làm việc (vạch: thời hạn)"))
    return Page("thoi-gian", _("Thời gian giải quyết"), scope, period, refreshed_at(), [table], {"time": chart})


def flow_page(scope: Scope, period: Period, *, now: datetime) -> Page:
    names = _unit_label(unit_names(scope.province))
    flows = dashboards.flow_matrix(province=scope.province, unit=scope.unit, start=period.start, end=period.end)
    sent: defaultdict[str, int] = defaultdict(int)
    handled: defaultdict[str, int] = defaultdict(int)
    for f in flows:
        sent[str(f["receiving_unit"])] += int(str(f["dossiers"]))
        handled[str(f["handling_unit"])] += int(str(f["dossiers"]))
    units = sorted(set(sent) | set(handled), key=lambda u: (-(sent[u] + handled[u]), u))
    window = {"start": period.start, "end": period.end, "now": now}
    transfers = dashboards.paper_transfer_delays(province=scope.province, unit=scope.unit, **window)
    late = dashboards.paper_transfers_late_list(province=scope.province, unit=scope.unit, **window)
    tables = [
        Table("lien-thong", _("Tiếp nhận không phụ thuộc địa giới: nơi tiếp nhận → nơi giải quyết"),
              [_("Nơi tiếp nhận"), _("Nơi giải quyết"), _("Hồ sơ")],
              [[names.get(str(f["receiving_unit"]), str(f["receiving_unit"])),
                names.get(str(f["handling_unit"]), str(f["handling_unit"])), f["dossiers"]] for f in flows]),
        Table("theo-don-vi", _("Theo đơn vị: tiếp nhận hộ và được tiếp nhận hộ"),
              [_("Đơn vị"), _("Tiếp nhận cho đơn vị khác"), _("Do đơn vị khác tiếp nhận")],
              [[names.get(u, u), sent[u], handled[u]] for u in units]),
        Table("chuyen-ho-so-giay", _("Chuyển hồ sơ giấy (phải đến trong 01 ngày làm việc)"),
              [_("Nơi tiếp nhận"), _("Cơ quan giải quyết"), _("Hồ sơ giấy"), _("Đến muộn hoặc quá hạn"), _("Chưa đến"),
               _("Thời gian chuyển trung bình (giờ)")],
              [[t["dossier__receiving_center__name"], t["dossier__handling_agency__name"], t["transfers"], t["late"],
                t["pending"], _hours(t["average_trip"])] for t in transfers]),
        Table("ho-so-giay-muon", _("Hồ sơ giấy đến muộn hoặc chưa đến khi đã quá hạn"),
              [_("Mã hồ sơ"), _("Nơi tiếp nhận"), _("Cơ quan giải quyết"), _("Chuyển điện tử lúc"), _("Phải đến trước"),
               _("Đến lúc"), _("Đơn vị vận chuyển")],
              [[t["dossier__code"], t["dossier__receiving_center__name"], t["dossier__handling_agency__name"],
                t["transferred_at"], t["due_at"], t["received_at"], t["carrier"]] for t in late]),
    ]  # fmt: skip
    chart = bar_chart(
        [Bar(f"{row[0]} → {row[1]}", row[2]) for row in tables[0].rows[:15] if isinstance(row[2], int)],
        title=_("Luồng hồ sơ lớn nhất"),
    )
    return Page(
        "lien-thong", _("Liên thông và chuyển hồ sơ giấy"), scope, period, refreshed_at(), tables, {"flows": chart}
    )


def queue_page(scope: Scope, period: Period) -> Page:
    rows = dashboards.queue_figures(province=scope.province, unit=scope.unit, start=period.start, end=period.end)
    table_rows: list[list[Cell]] = []
    bars: list[Bar] = []
    for r in rows:
        wait = r["average_wait"]
        if isinstance(wait, timedelta) and len(bars) < 20:
            bars.append(Bar(r["center"], round(wait.total_seconds() / 60, 1)))
        counter = [int(r[f"counter_{s}"]) for s in ("satisfied", "neutral", "dissatisfied")]
        dossier = [int(r[f"dossier_{s}"]) for s in ("satisfied", "neutral", "dissatisfied")]
        table_rows.append([
            r["center"], r["issued"], r["served"], r["no_show"],
            round(wait.total_seconds() / 60, 1) if isinstance(wait, timedelta) else None,
            *counter, round(counter[0] / sum(counter) * 100, 1) if sum(counter) else None,
            *dossier, round(dossier[0] / sum(dossier) * 100, 1) if sum(dossier) else None,
        ])  # fmt: skip
    table = Table(
        "lay-so",
        _("Lấy số thứ tự và đánh giá theo trung tâm"),
        [_("Trung tâm"), _("Số phiếu"), _("Đã phục vụ"), _("Vắng mặt"), _("Chờ trung bình (phút)"),
         _("Tại quầy: hài lòng"), _("Tại quầy: bình thường"), _("Tại quầy: không hài lòng"), _("Tại quầy: hài lòng (%)"),
         _("Hồ sơ: hài lòng"), _("Hồ sơ: bình thường"), _("Hồ sơ: không hài lòng"), _("Hồ sơ: hài lòng (%)")],
        table_rows,
    )  # fmt: skip
    charts = {"wait": bar_chart(bars, title=_("Chờ trung bình (phút)"))}
    return Page("lay-so", _("Lấy số và đánh giá"), scope, period, None, [table], charts)


@dataclass(frozen=True)
class PeriodicReport:
    """The province's periodic report: key figures, the 766 table, and the units' scores."""

    page: Page
    figures: list[tuple[str, Cell]]
    generated_at: datetime


def periodic_report(scope: Scope, period: Period, *, now: datetime) -> PeriodicReport:
    indices, tables = _index766(scope, period, now=now)
    by_code = {i.code: i for g in indices.groups for i in g.indices}
    open_rows = dashboards.backlog(province=scope.province, unit=scope.unit, now=now)
    overdue = dashboards.deadlines_by_unit(province=scope.province, unit=scope.unit, now=now, soon_until=now)
    at_risk = dossiers_at_risk(province=scope.province, unit=scope.unit, now=now)
    figures: list[tuple[str, Cell]] = [
        (_("Hồ sơ tiếp nhận trong kỳ"), by_code["1.4"].denominator),
        (_("Hồ sơ có kết quả trong kỳ"), by_code["4.1"].denominator),
        (_("Tỷ lệ đúng hạn (2.1, %)"), _percent(by_code["2.1"].rate)),
        (_("Thời gian giải quyết trung bình (2.2, ngày làm việc)"), by_code["2.2"].value),
        (_("Tỷ lệ hồ sơ trực tuyến (3.3, %)"), _percent(by_code["3.3"].rate)),
        (_("Điểm 766"), indices.score),
        (_("Điểm tối đa tính được từ dữ liệu của hệ thống"), indices.max_counted),
        (_("Hồ sơ đang giải quyết (hiện tại)"), sum(int(r["total"]) for r in open_rows)),
        (_("Hồ sơ quá hạn (hiện tại)"), sum(int(r["overdue"]) for r in overdue)),
        (_("Hồ sơ có khả năng trễ hạn (cảnh báo sớm)"), len(at_risk)),
    ]
    page = Page("bao-cao-dinh-ky", _("Báo cáo định kỳ"), scope, period, indices.refreshed_at, tables[:2],
                {"groups": _groups_chart(indices)})  # fmt: skip
    return PeriodicReport(page, figures, now)


def _percent(rate: Decimal | None) -> float | None:
    return None if rate is None else float(rate * 100)
