"""Decision 766 indices (domain.md §8) from our own data, for the province, a unit or a procedure.

Per period, aggregate queries over the monthly summary of closed dossiers and the running summary of
those still being handled (`summary.py`), plus the few live facts paused or ended during a supplement
wait row by row, grouped by (handling unit, procedure) with conditional counts; the province, each unit
and each procedure are sums of those few thousand group rows, so the 766 set for the province and all
its units costs a few small scans (docs/benchmarks.md, "Reports").

Scoring (§8): `rate = numerator / denominator`; N/A when the denominator is 0; with a threshold,
`score = max` at or above it and `rate × max / threshold` below; without one, `rate × max`; 2 decimals.
Indices our data cannot feed stay N/A with the reason, and `total` says which maxima it counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from operator import add
from typing import Any

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from motcua.catalog.models import OnlineLevel, Procedure, ProcedureChannel
from motcua.reports.models import CurrentFact, DossierFact
from motcua.reports.periods import Period
from motcua.reports.summary import running_counts, summary_counts

COUNTERS = (
    "received",
    "synced",
    "online",
    "reused",
    "from_store",
    "vneid",
    "progress",
    "late",
    "dissatisfied",
    "results",
    "e_results",
    "digitized_e_results",
    "ended_timed",
    "hours",
)
_RECEIVED, _VNEID = COUNTERS.index("received"), COUNTERS.index("vneid")


@dataclass
class Counts:
    """Sums of one group of dossiers (in `COUNTERS` order); procedure sets for the procedure-based
    indices (3.1, 4.5a, 5)."""

    totals: list[float] = field(default_factory=lambda: [0.0] * len(COUNTERS))
    procedures: set[int] = field(default_factory=set)
    vneid_procedures: set[int] = field(default_factory=set)

    @property
    def values(self) -> dict[str, float]:
        return dict(zip(COUNTERS, self.totals, strict=True))


@dataclass(frozen=True)
class Index:
    code: str
    name: str
    max: Decimal
    threshold: Decimal | None
    formula: str
    numerator: float | None = None
    denominator: float | None = None
    #: Why the index is N/A when our data cannot feed it (as opposed to an empty denominator).
    unavailable: str = ""
    information_only: bool = False
    value: float | None = None  # index 2.2: a figure, not a rate

    @cached_property
    def rate(self) -> Decimal | None:
        if self.information_only or self.numerator is None or not self.denominator:
            return None
        return _round(Decimal(self.numerator) / Decimal(self.denominator), 4)

    @cached_property
    def score(self) -> Decimal | None:
        rate = self.rate
        if rate is None or self.information_only:
            return None
        if self.threshold is None:
            return _round(rate * self.max)
        if rate >= self.threshold:
            return self.max
        return _round(rate * self.max / self.threshold)

    @property
    def counted(self) -> bool:
        return self.score is not None


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    max: Decimal
    indices: list[Index]

    @cached_property
    def score(self) -> Decimal:
        return sum((i.score for i in self.indices if i.score is not None), Decimal(0))

    @cached_property
    def max_counted(self) -> Decimal:
        return sum((i.max for i in self.indices if i.counted), Decimal(0))


@dataclass(frozen=True)
class IndexSet:
    scope: str
    scope_name: str
    period: Period
    groups: list[Group]
    refreshed_at: datetime | None

    @cached_property
    def score(self) -> Decimal:
        return sum((g.score for g in self.groups), Decimal(0))

    @cached_property
    def max_counted(self) -> Decimal:
        return sum((g.max_counted for g in self.groups), Decimal(0))

    @property
    def excluded(self) -> list[str]:
        return [i.code for g in self.groups for i in g.indices if not i.counted and not i.information_only]


def _round(value: Decimal, places: int = 2) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _group_queries(period: Period, province: str, now: datetime | None) -> list[QuerySet[Any, dict[str, Any]]]:
    """Closed dossiers from the monthly summary, the unended ones from the running summary, the other live
    ones (ended or paused during a supplement wait) row by row (`CurrentFact`)."""
    # `LIVE` and not `UNENDED` is "paused", written so the planner takes the partial index `current_paused`.
    live = CurrentFact.objects.filter(province=province, paused_at__isnull=False)
    return [
        summary_counts(period, province=province),
        *running_counts(period, province=province, now=now),
        fact_counts(live, period, now=now),
    ]


def group_counts(period: Period, *, province: str, now: datetime | None = None) -> list[dict[str, Any]]:
    """Counts per (handling unit, procedure) for one period (a group may appear twice: add the rows up)."""
    return [row for query in _group_queries(period, province, now) for row in query]


def fact_counts(
    facts: QuerySet[DossierFact] | QuerySet[CurrentFact], period: Period, *, now: datetime | None = None
) -> QuerySet[Any, dict[str, Any]]:
    """Conditional counts of `facts` per (handling unit, procedure) for one period, in one query.

    Progress (2.1, §4.6): dossiers whose clock started, not withdrawn, received before the period end and
    not ended before its start. Late: more than one supplement request, or the end time after the due
    time, where the end time is the end of handling if it falls in the period, else (open at the period
    end) the start of a supplement wait (the clock stands still), else the period end — or now, for a
    period not over yet. `due_at` already excludes supplement waiting (the dossiers services move it).
    """
    start, end = period.start, period.end
    as_of = min(end, now or timezone.now())
    received = Q(received_at__gte=start, received_at__lt=end)
    ended_in = Q(end_at__gte=start, end_at__lt=end)
    open_at_end = Q(end_at__isnull=True) | Q(end_at__gte=end)
    progress = (
        Q(due_at__isnull=False, received_at__lt=end) & ~Q(status=7) & (Q(end_at__isnull=True) | Q(end_at__gte=start))
    )
    late = progress & (
        Q(late_by_supplements=True)
        | (ended_in & Q(end_at__gt=F("due_at")))
        | (open_at_end & Q(paused_at__lt=end, paused_at__gt=F("due_at")))
        | (open_at_end & (Q(paused_at__isnull=True) | Q(paused_at__gte=end)) & Q(due_at__lt=as_of))
    )
    results = ended_in & Q(status__in=(9, 10))
    rows = (
        facts.filter(received_at__lt=end)
        .filter(Q(received_at__gte=start) | Q(end_at__isnull=True) | Q(end_at__gte=start))
        .values("handling_unit", "procedure_id")
        .annotate(
            received=Count("pk", filter=received),
            # Accepted or refused at reception: a dossier with a code and a decision the portal can take.
            synced=Count("pk", filter=received & ~Q(status=1)),
            online=Count("pk", filter=received & Q(channel="online")),
            reused=Count("pk", filter=received & Q(reused=True)),
            from_store=Count("pk", filter=received & Q(from_store=True)),
            vneid=Count("pk", filter=received & Q(vneid=True)),
            progress=Count("pk", filter=progress),
            late=Count("pk", filter=late),
            dissatisfied=Count("pk", filter=progress & Q(dissatisfied=True)),
            results=Count("pk", filter=results),
            e_results=Count("pk", filter=results & Q(e_result=True)),
            digitized_e_results=Count("pk", filter=results & Q(e_result=True, digitized=True)),
            ended_timed=Count("pk", filter=results & Q(handling_hours__isnull=False)),
            hours=Sum("handling_hours", filter=results & Q(handling_hours__isnull=False)),
        )
        .order_by()
    )
    return rows


@dataclass(frozen=True)
class ProcedureFacts:
    online: bool
    fee_bearing: bool
    fee_structured: bool


def procedure_facts(ids: Iterable[int]) -> dict[int, ProcedureFacts]:
    """Online level and fees of the current versions (indices 3.1 and 5), in two queries."""
    ids = set(ids)
    online = dict(Procedure.objects.filter(id__in=ids).values_list("id", "online_level"))
    fee_bearing: set[int] = set()
    structured: set[int] = set()
    channels = ProcedureChannel.objects.filter(
        version__procedure_id__in=ids, version__procedure__current_version=F("version")
    ).values_list("version__procedure_id", "fee_amount", "fee_text")
    for procedure_id, amount, text in channels:
        free_text = text.strip().lower() in {"", "không", "không có", "miễn phí", "0"}
        if (amount is not None and amount > 0) or (amount is None and not free_text):
            fee_bearing.add(procedure_id)
        if amount is not None and amount > 0:
            structured.add(procedure_id)
    return {
        pid: ProcedureFacts(
            online=online.get(pid) in (OnlineLevel.FULL, OnlineLevel.PARTIAL),
            fee_bearing=pid in fee_bearing,
            fee_structured=pid in structured,
        )
        for pid in ids
    }


_NO_ANNOUNCEMENTS = "Chưa có dữ liệu ngày công bố, ngày hiệu lực của văn bản pháp lý trong hệ thống."
_NO_PAKN = "Hệ thống chưa tiếp nhận phản ánh, kiến nghị (PAKN)."
_NO_PAYMENTS = "Hệ thống chưa ghi nhận giao dịch thanh toán trực tuyến."
_NO_CERTIFIED_COPIES = "Hệ thống chưa cấp bản sao điện tử có chứng thực."
D = Decimal


def index_set(
    counts: Counts,
    procedures: dict[int, ProcedureFacts],
    *,
    scope: str,
    scope_name: str,
    period: Period,
    day_hours: float,
    refreshed_at: datetime | None,
) -> IndexSet:
    """The 766 set of one group of dossiers; every formula states what it counts."""
    v = counts.values
    sync_rate = v["synced"] / v["received"] if v["received"] else None
    own = [procedures[p] for p in counts.procedures]
    online_capable = sum(1 for p in own if p.online)
    fee_bearing = [p for p in own if p.fee_bearing]
    average_days = v["hours"] / v["ended_timed"] / day_hours if v["ended_timed"] else None

    def idx(
        code: str, name: str, mx: str, thr: str | None, formula: str, num: float | None, den: float | None
    ) -> Index:
        return Index(code, name, D(mx), D(thr) if thr else None, formula, num, den)

    def gap(code: str, name: str, mx: str, formula: str, reason: str) -> Index:
        return Index(code, name, D(mx), None, formula, unavailable=reason)

    average = Index(
        "2.2",
        "Thời gian giải quyết trung bình (ngày làm việc)",
        D(0),
        None,
        "Tổng giờ làm việc từ khi bắt đầu tính thời hạn đến khi kết thúc, trừ thời gian chờ bổ sung / số hồ sơ "
        "có kết quả trong kỳ / số giờ làm việc một ngày (chỉ để tham khảo, không tính điểm)",
        v["hours"],
        v["ended_timed"],
        information_only=True,
        value=round(average_days, 2) if average_days is not None else None,
    )
    groups = [
        Group(
            "1",
            "Công khai, minh bạch",
            D(18),
            [
                gap(
                    "1.1",
                    "TTHC công bố đúng hạn",
                    "6",
                    "TTHC công bố ≤ ngày hiệu lực − 5 ngày làm việc / TTHC công bố trong kỳ",
                    _NO_ANNOUNCEMENTS,
                ),
                gap(
                    "1.2",
                    "TTHC công khai trên CSDLQG đúng hạn",
                    "4",
                    "TTHC công khai ≤ 5 ngày làm việc sau quyết định công bố / TTHC phải công khai",
                    _NO_ANNOUNCEMENTS,
                ),
                gap("1.3", "TTHC đủ 7 bộ phận bắt buộc", "2", "TTHC đủ 7 bộ phận / TTHC công khai", _NO_ANNOUNCEMENTS),
                idx(
                    "1.4",
                    "Hồ sơ đồng bộ",
                    "6",
                    None,
                    "Hồ sơ tiếp nhận trong kỳ đã có kết quả tiếp nhận (được tiếp nhận hoặc từ chối, đủ dữ liệu đồng bộ) / hồ sơ tiếp nhận trong kỳ",
                    v["synced"],
                    v["received"],
                ),
            ],
        ),
        Group(
            "2",
            "Tiến độ giải quyết",
            D(20),
            [
                idx(
                    "2.1",
                    "Hồ sơ đúng hạn",
                    "20",
                    None,
                    "(Hồ sơ xử lý hoặc đang xử lý trong kỳ − quá hạn) / hồ sơ xử lý hoặc đang xử lý trong kỳ (§4.6: quá hạn khi kết thúc sau hẹn trả, hoặc bổ sung hơn 1 lần)",
                    v["progress"] - v["late"],
                    v["progress"],
                ),
                average,
            ],
        ),
        Group(
            "3",
            "Dịch vụ công trực tuyến",
            D(12),
            [
                idx(
                    "3.1",
                    "TTHC cung cấp DVC trực tuyến",
                    "6",
                    "0.8",
                    "TTHC toàn trình hoặc một phần / TTHC có hồ sơ tiếp nhận trong kỳ (điểm tối đa 6 của nhóm 12: tỷ trọng giả định)",
                    online_capable,
                    len(own),
                ),
                idx(
                    "3.3",
                    "Hồ sơ trực tuyến",
                    "6",
                    "0.5",
                    "Hồ sơ nộp trực tuyến / hồ sơ tiếp nhận × tỷ lệ đồng bộ (1.4) (điểm tối đa 6 của nhóm 12: tỷ trọng giả định)",
                    v["online"] * sync_rate if sync_rate is not None else None,
                    v["received"],
                ),
            ],
        ),
        Group(
            "4",
            "Số hóa hồ sơ",
            D(22),
            [
                idx(
                    "4.1",
                    "Kết quả có tệp điện tử",
                    "6",
                    None,
                    "Hồ sơ có kết quả kèm tệp điện tử / hồ sơ có kết quả trong kỳ (mọi kết quả được coi là giấy tờ)",
                    v["e_results"],
                    v["results"],
                ),
                idx(
                    "4.2",
                    "Số hóa thành phần và kết quả",
                    "4",
                    "0.8",
                    "Hồ sơ có thành phần được số hóa và có kết quả điện tử / hồ sơ có kết quả trong kỳ",
                    v["digitized_e_results"],
                    v["results"],
                ),
                gap(
                    "4.x",
                    "Bản sao điện tử có chứng thực",
                    "2",
                    "Bản sao điện tử chứng thực / yêu cầu chứng thực",
                    _NO_CERTIFIED_COPIES,
                ),
                idx(
                    "4.3",
                    "Tái sử dụng dữ liệu",
                    "2",
                    "0.8",
                    "Hồ sơ có ít nhất 1 thành phần được tái sử dụng / hồ sơ tiếp nhận trong kỳ",
                    v["reused"],
                    v["received"],
                ),
                idx(
                    "4.4",
                    "Khai thác kho dữ liệu",
                    "4",
                    None,
                    "Hồ sơ có thành phần lấy từ kho dữ liệu quốc gia / hồ sơ tiếp nhận trong kỳ",
                    v["from_store"],
                    v["received"],
                ),
                idx(
                    "4.5a",
                    "TTHC dùng dữ liệu dân cư",
                    "2",
                    None,
                    "TTHC có hồ sơ nộp từ tài khoản xác thực VNeID / TTHC có hồ sơ tiếp nhận trong kỳ",
                    len(counts.vneid_procedures),
                    len(own),
                ),
                idx(
                    "4.5b",
                    "Hồ sơ dùng dữ liệu dân cư",
                    "2",
                    None,
                    "Hồ sơ nộp từ tài khoản xác thực VNeID / hồ sơ tiếp nhận trong kỳ",
                    v["vneid"],
                    v["received"],
                ),
            ],
        ),
        Group(
            "5",
            "Thanh toán trực tuyến",
            D(10),
            [
                idx(
                    "5a",
                    "Dữ liệu phí, lệ phí",
                    "2",
                    "0.8",
                    "TTHC có phí với mức phí có cấu trúc / TTHC có phí có hồ sơ tiếp nhận trong kỳ",
                    sum(1 for p in fee_bearing if p.fee_structured),
                    len(fee_bearing),
                ),
                gap(
                    "5b",
                    "TTHC có thanh toán trực tuyến",
                    "2",
                    "TTHC có giao dịch thanh toán trực tuyến / TTHC có phí",
                    _NO_PAYMENTS,
                ),
                gap(
                    "5c",
                    "Hồ sơ thanh toán trực tuyến",
                    "6",
                    "Hồ sơ thanh toán trực tuyến / hồ sơ của TTHC có phí",
                    _NO_PAYMENTS,
                ),
            ],
        ),
        Group(
            "6",
            "Mức độ hài lòng",
            D(18),
            [
                gap("6a", "Xử lý PAKN đúng hạn", "6", "PAKN xử lý đúng hạn / PAKN", _NO_PAKN),
                gap(
                    "6b",
                    "PAKN không bị phản hồi tiêu cực",
                    "6",
                    "(PAKN − không hài lòng − lặp lại − quá hạn) / PAKN",
                    _NO_PAKN,
                ),
                idx(
                    "6c",
                    "Hài lòng khi giải quyết hồ sơ",
                    "6",
                    "0.9",
                    "100% − (% hồ sơ quá hạn + % hồ sơ bị đánh giá không hài lòng), cùng mẫu số với 2.1 (chưa có PAKN)",
                    v["progress"] - v["late"] - v["dissatisfied"],
                    v["progress"],
                ),
            ],
        ),
    ]
    return IndexSet(scope, scope_name, period, groups, refreshed_at)


@dataclass(frozen=True)
class Scoped:
    """Counts of the province, of each handling unit and of each procedure, from one query."""

    province: Counts
    units: dict[str, Counts]
    procedures: dict[int, Counts]
    facts: dict[int, ProcedureFacts]


def counts_by_scope(period: Period, *, province: str, now: datetime | None = None) -> Scoped:
    """One statement adds up the (unit, procedure) groups of `group_counts` per unit and per procedure
    and lists the pairs with dossiers received (the procedure sets), so Python handles a few hundred
    sums instead of every group (docs/benchmarks.md, "Reports")."""
    parts: list[str] = []
    params: list[Any] = []
    for query in _group_queries(period, province, now):
        sql, part_params = query.values_list("handling_unit", "procedure_id", *COUNTERS).query.sql_with_params()
        parts.append(sql)
        params.extend(part_params)
    counters = [f"c{i}" for i in range(len(COUNTERS))]
    sums = ", ".join(f"SUM({c})" for c in counters)
    flags = ", ".join(f"SUM({c})" if i in (_RECEIVED, _VNEID) else "NULL" for i, c in enumerate(counters))
    # Only the ORM's compiled SQL and fixed names go into the text; every value travels in `params`.
    sql = (
        f"WITH g (unit, procedure_id, {', '.join(counters)}) AS ({' UNION ALL '.join(parts)}) "  # noqa: S608
        f"SELECT 'unit', unit, NULL, {sums} FROM g GROUP BY unit "
        f"UNION ALL SELECT 'procedure', NULL, procedure_id, {sums} FROM g GROUP BY procedure_id "
        f"UNION ALL SELECT 'pair', unit, procedure_id, {flags} FROM g GROUP BY unit, procedure_id "
        f"HAVING SUM(c{_RECEIVED}) > 0"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    whole = Counts()
    units: defaultdict[str, Counts] = defaultdict(Counts)
    per_procedure: defaultdict[int, Counts] = defaultdict(Counts)
    for kind, unit, procedure_id, *values in rows:
        if kind == "pair":
            for counts in (whole, units[unit]):
                counts.procedures.add(procedure_id)
                if values[_VNEID]:
                    counts.vneid_procedures.add(procedure_id)
            continue
        totals = [float(v or 0) for v in values]
        if kind == "unit":
            units[unit].totals = totals
            whole.totals = list(map(add, whole.totals, totals))
        else:
            per_procedure[procedure_id].totals = totals
            if totals[_RECEIVED]:
                per_procedure[procedure_id].procedures.add(procedure_id)
            if totals[_VNEID]:
                per_procedure[procedure_id].vneid_procedures.add(procedure_id)
    return Scoped(whole, dict(units), dict(per_procedure), procedure_facts(per_procedure))
