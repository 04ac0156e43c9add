"""The dossier fact table: one narrow row per dossier, what every report counts, kept by `reports-refresh`.

The Decision 766 indices need, per dossier, flags that live on other tables (components digitized,
reused or taken from the national store; a result file; a dissatisfied rating) and the handling time in
working hours, which SQL cannot compute from the calendar. Reading them from a narrow row instead of
joining components and ratings keeps the province-year aggregate a single scan (docs/benchmarks.md,
"Reports"). The table is derived data: `reports_refresh` rebuilds any row from its dossier, and reports
show the time of the last refresh.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier
from motcua.dossiers.models.dossiers import OPEN_STATUSES

#: Facts the 766 set counts row by row: handling not ended, or ended while the clock stood still for a
#: supplement (its lateness depends on when the wait began). Every other fact is in `MonthlySummary`.
LIVE = Q(end_at__isnull=True) | Q(paused_at__isnull=False)
#: Facts of dossiers whose clock runs: open, not ended (a result waiting at the desk is handled) and not
#: waiting for a supplement (the clock stands still).
RUNNING = Q(status__in=OPEN_STATUSES, end_at__isnull=True, paused_at__isnull=True)
#: The facts `CurrentFact` copies: what the dashboards of the present and the 766 live part read.
CURRENT = LIVE | Q(status__in=OPEN_STATUSES)
#: Live facts without an end or a supplement wait: their 766 counts depend only on the received month and
#: on the due time against the period (`RunningSummary`). The other live facts are counted row by row.
UNENDED = Q(end_at__isnull=True, paused_at__isnull=True)


class FactColumns(models.Model):
    """The columns of a dossier fact, shared by the fact table and its copy of current facts."""

    dossier = models.OneToOneField(
        Dossier, primary_key=True, on_delete=models.CASCADE, related_name="+", verbose_name="hồ sơ"
    )
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="+", verbose_name="thủ tục")
    province = models.CharField(max_length=2, verbose_name="tỉnh")
    #: The handling agency's commune-level unit; empty for provincial agencies (Sở, UBND tỉnh).
    handling_unit = models.CharField(max_length=5, blank=True, verbose_name="đơn vị giải quyết")
    handling_agency_id = models.IntegerField(verbose_name="cơ quan giải quyết")
    #: The receiving center's unit; empty for the provincial center.
    receiving_unit = models.CharField(max_length=5, blank=True, verbose_name="nơi tiếp nhận")
    channel = models.CharField(max_length=10, verbose_name="kênh nộp")
    status = models.PositiveSmallIntegerField(verbose_name="trạng thái")
    received_at = models.DateTimeField(verbose_name="tiếp nhận lúc")
    due_at = models.DateTimeField(null=True, blank=True, verbose_name="hẹn trả")
    #: NgayKetThucXuLy (domain.md §4.6): finished, else returned, else stopped or refused.
    end_at = models.DateTimeField(null=True, blank=True, verbose_name="kết thúc xử lý")
    #: Set while the clock stands still for a supplement: the dossier cannot become late meanwhile.
    paused_at = models.DateTimeField(null=True, blank=True, verbose_name="tạm dừng từ")
    late_by_supplements = models.BooleanField(default=False, verbose_name="quá hạn do bổ sung nhiều lần")
    supplement_rounds = models.PositiveSmallIntegerField(default=0, verbose_name="số lần bổ sung")
    #: Working hours from the clock start to the end, supplement waiting subtracted (index 2.2).
    handling_hours = models.FloatField(null=True, blank=True, verbose_name="thời gian xử lý (giờ làm việc)")
    digitized = models.BooleanField(default=False, verbose_name="có thành phần số hóa")
    reused = models.BooleanField(default=False, verbose_name="có thành phần tái sử dụng")
    from_store = models.BooleanField(default=False, verbose_name="có thành phần lấy từ kho dữ liệu")
    e_result = models.BooleanField(default=False, verbose_name="có kết quả điện tử")
    vneid = models.BooleanField(default=False, verbose_name="xác thực VNeID")
    dissatisfied = models.BooleanField(default=False, verbose_name="không hài lòng")
    #: The dossier's (or its rating's) last change this row reflects: the refresh watermark.
    source_updated_at = models.DateTimeField(verbose_name="dữ liệu nguồn lúc")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return str(self.dossier_id)


class DossierFact(FactColumns):
    class Meta:
        verbose_name = "số liệu hồ sơ"
        verbose_name_plural = "số liệu hồ sơ"
        indexes = [
            # Units in the key: the flow matrix of a period reads only the period's slice of this index.
            models.Index(
                fields=["province", "received_at", "receiving_unit", "handling_unit"], name="fact_received_flow"
            ),
            models.Index(fields=["province", "end_at"], name="fact_ended"),
            models.Index(fields=["source_updated_at"], name="fact_watermark"),
        ]


class CurrentFact(FactColumns):
    """A copy of the facts that are `CURRENT` (open, or `LIVE`), kept by `reports_refresh` in the same
    transaction as the facts it writes.

    They are a few percent of the fact table but spread over all of it, so reading them there touches
    most of its pages; packed in their own table, the backlog, the deadlines and the 766 live part read
    a few megabytes (docs/benchmarks.md, "Reports").
    """

    class Meta:
        verbose_name = "số liệu hồ sơ đang giải quyết"
        verbose_name_plural = "số liệu hồ sơ đang giải quyết"
        indexes = [
            # Overdue and due-soon lists, soonest first; the early warning's candidates. The unit and the
            # dossier in the key: deadlines per unit and the officers' semi-join read only this index.
            models.Index(
                fields=["province", "due_at", "handling_unit", "dossier"], condition=RUNNING, name="current_running_due"
            ),
            # The 766 set of a period not over yet: unended facts due in the current month before now.
            models.Index(fields=["province", "due_at"], condition=UNENDED, name="current_unended_due"),
            # The live facts the 766 set counts row by row (`LIVE` but not `UNENDED`): a few, not a scan.
            models.Index(
                fields=["province", "received_at"], condition=Q(paused_at__isnull=False), name="current_paused"
            ),
        ]


class StepTypical(models.Model):
    """The typical (median) working time of one step of a procedure's workflow, from completed dossiers.

    Derived data kept by `reports_refresh` for the early warning (`forecast.py`): the median over the
    steps finished in the last year by dossiers that reached a result without any supplement request
    (a supplement wait would count the citizen's time as the officer's).
    """

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="+", verbose_name="thủ tục")
    order = models.PositiveSmallIntegerField(verbose_name="thứ tự bước")
    median = models.DurationField(verbose_name="thời gian điển hình (giờ làm việc)")
    samples = models.PositiveIntegerField(verbose_name="số bước đã hoàn thành")

    class Meta:
        verbose_name = "thời gian điển hình của bước"
        verbose_name_plural = "thời gian điển hình của bước"
        constraints = [models.UniqueConstraint(fields=["procedure", "order"], name="step_typical_unique")]

    def __str__(self) -> str:
        return f"{self.procedure_id} {self.order}: {self.median}"


class RunningSummary(models.Model):
    """The `UNENDED` current facts counted per received month, due month, handling unit and procedure, so
    the 766 live part reads summary rows instead of every dossier still being handled.

    For such a fact and a period [S, E) of whole months: it counts when received before E; "received in
    the period" ⇔ received month ≥ S; late ⇔ (counters with `timed_`: due time, not withdrawn) more than
    one supplement request, or due before min(E, now) — decided by the due month except within the month
    of that instant, where `index766` reads the facts due in it. Kept by `current_facts_copy` in the
    transaction that writes `CurrentFact`, for the received months of the facts it moves.
    """

    province = models.CharField(max_length=2, verbose_name="tỉnh")
    received_month = models.DateField(verbose_name="tháng tiếp nhận")
    due_month = models.DateField(null=True, blank=True, verbose_name="tháng hẹn trả")
    handling_unit = models.CharField(max_length=5, blank=True, verbose_name="đơn vị giải quyết")
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="+", verbose_name="thủ tục")
    dossiers = models.PositiveIntegerField(verbose_name="hồ sơ")
    synced = models.PositiveIntegerField(verbose_name="đã có kết quả tiếp nhận")
    online = models.PositiveIntegerField(verbose_name="nộp trực tuyến")
    reused = models.PositiveIntegerField(verbose_name="có thành phần tái sử dụng")
    from_store = models.PositiveIntegerField(verbose_name="có thành phần lấy từ kho dữ liệu")
    vneid = models.PositiveIntegerField(verbose_name="xác thực VNeID")
    timed = models.PositiveIntegerField(verbose_name="có hẹn trả, không rút")
    timed_by_supplements = models.PositiveIntegerField(verbose_name="quá hạn do bổ sung nhiều lần")
    timed_dissatisfied = models.PositiveIntegerField(verbose_name="không hài lòng")

    class Meta:
        verbose_name = "tổng hợp hồ sơ đang giải quyết"
        verbose_name_plural = "tổng hợp hồ sơ đang giải quyết"
        indexes = [models.Index(fields=["province", "received_month"], name="running_received")]

    def __str__(self) -> str:
        return f"{self.province} {self.received_month:%Y-%m} {self.handling_unit} {self.procedure_id}"


class SharedContact(models.Model):
    """A contact value that enough distinct applicants gave to look like an intermediary's, across all
    dossiers: at least the broker detection's minimum for its field (`brokers.MIN_APPLICANTS`).

    Kept by `reports_refresh` (`brokers.shared_contacts_refresh`). A value that reaches the minimum within a
    period reaches it overall, so detection groups only the period's dossiers carrying one of these values
    instead of every value of the period, nearly all of them one family's (docs/benchmarks.md, "Reports").
    Values that fall below the minimum (edited, anonymized) leave at the next refresh.
    """

    field = models.CharField(max_length=32, verbose_name="trường liên hệ")
    value = models.CharField(max_length=255, verbose_name="giá trị")

    class Meta:
        verbose_name = "liên hệ dùng chung"
        verbose_name_plural = "liên hệ dùng chung"
        constraints = [models.UniqueConstraint(fields=["field", "value"], name="shared_contact_unique")]

    def __str__(self) -> str:
        return f"{self.field}: {self.value}"


class MonthlySummary(models.Model):
    """Closed dossiers (facts not `LIVE`) counted per received month, end month, handling unit, procedure
    and channel, so the 766 set of a year reads summary rows instead of every dossier of the year.

    Months are local calendar months (periods are unions of them). `due_month` is kept only when it is
    before `end_month`: the one question it answers is "was it already due when a period ended while the
    dossier was still being handled", and that period ends no later than the end month. Counters with a
    `timed_` prefix count dossiers with a due time that were not withdrawn (the 2.1 population). Rebuilt
    by `reports_refresh` for the received months of the facts it writes.
    """

    province = models.CharField(max_length=2, verbose_name="tỉnh")
    received_month = models.DateField(verbose_name="tháng tiếp nhận")
    end_month = models.DateField(verbose_name="tháng kết thúc xử lý")
    due_month = models.DateField(null=True, blank=True, verbose_name="tháng hẹn trả (nếu trước tháng kết thúc)")
    handling_unit = models.CharField(max_length=5, blank=True, verbose_name="đơn vị giải quyết")
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="+", verbose_name="thủ tục")
    channel = models.CharField(max_length=10, verbose_name="kênh nộp")
    dossiers = models.PositiveIntegerField(verbose_name="hồ sơ")
    synced = models.PositiveIntegerField(verbose_name="đã có kết quả tiếp nhận")
    reused = models.PositiveIntegerField(verbose_name="có thành phần tái sử dụng")
    from_store = models.PositiveIntegerField(verbose_name="có thành phần lấy từ kho dữ liệu")
    vneid = models.PositiveIntegerField(verbose_name="xác thực VNeID")
    timed = models.PositiveIntegerField(verbose_name="có hẹn trả, không rút")
    timed_by_supplements = models.PositiveIntegerField(verbose_name="quá hạn do bổ sung nhiều lần")
    timed_overrun = models.PositiveIntegerField(verbose_name="kết thúc sau hẹn trả (không kể bổ sung nhiều lần)")
    timed_dissatisfied = models.PositiveIntegerField(verbose_name="không hài lòng")
    results = models.PositiveIntegerField(verbose_name="có kết quả")
    e_results = models.PositiveIntegerField(verbose_name="có kết quả điện tử")
    digitized_e_results = models.PositiveIntegerField(verbose_name="số hóa và có kết quả điện tử")
    ended_timed = models.PositiveIntegerField(verbose_name="có kết quả và thời gian xử lý")
    hours = models.FloatField(verbose_name="tổng giờ làm việc xử lý")
    #: Results ended after their due time or after more than one supplement request (processing-time page).
    late_results = models.PositiveIntegerField(default=0, verbose_name="có kết quả, quá hạn")

    class Meta:
        verbose_name = "tổng hợp tháng"
        verbose_name_plural = "tổng hợp tháng"
        indexes = [
            models.Index(fields=["province", "received_month"], name="summary_received"),
            # A period's results, and the dossiers received earlier but still in progress in it.
            models.Index(fields=["province", "end_month"], name="summary_ended"),
        ]

    def __str__(self) -> str:
        return f"{self.province} {self.received_month:%Y-%m} {self.handling_unit} {self.procedure_id}"
