"""Tickets (phiếu số thứ tự), the state of each counter, the dossiers received from a ticket, and ratings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.db.models import Q

from motcua.core.models import TimestampedModel
from motcua.org.models import Counter, ServiceCenter
from motcua.queueing.models.setup import ORDINARY_PRIORITY, PriorityGroup, QueueService


class TicketSource(models.TextChoices):
    KIOSK = "kiosk", "Máy lấy số"
    WEB = "web", "Trang web, điện thoại"
    STAFF = "staff", "Cán bộ cấp số"
    APPOINTMENT = "appointment", "Đặt lịch hẹn"


class TicketStatus(models.TextChoices):
    WAITING = "waiting", "Đang chờ"
    CALLED = "called", "Đã gọi"
    SERVING = "serving", "Đang phục vụ"
    PARKED = "parked", "Tạm gác"
    DONE = "done", "Đã phục vụ"
    NO_SHOW = "no_show", "Vắng mặt"
    CANCELLED = "cancelled", "Đã hủy"


#: A counter holds at most one ticket in these states.
AT_COUNTER = (TicketStatus.CALLED, TicketStatus.SERVING)


class Ticket(TimestampedModel):
    """One queue number of one day (A001). `label` is unique per center and day; numbers never repeat.

    `queued_at` orders the queue (arrival) and is also the earliest call time: a citizen who checks in
    before the booked slot waits until the slot begins.
    """

    center = models.ForeignKey(
        ServiceCenter, on_delete=models.PROTECT, related_name="tickets", verbose_name="trung tâm"
    )
    service = models.ForeignKey(QueueService, on_delete=models.PROTECT, related_name="tickets", verbose_name="dịch vụ")
    day = models.DateField(verbose_name="ngày")
    number = models.PositiveIntegerField(verbose_name="số")
    label = models.CharField(max_length=8, verbose_name="số thứ tự")
    source = models.CharField(max_length=12, choices=TicketSource.choices, verbose_name="nguồn")
    priority_group = models.ForeignKey(
        PriorityGroup,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="đối tượng ưu tiên",
    )
    priority = models.PositiveSmallIntegerField(default=ORDINARY_PRIORITY, verbose_name="mức ưu tiên")
    status = models.CharField(
        max_length=10, choices=TicketStatus.choices, default=TicketStatus.WAITING, verbose_name="trạng thái"
    )
    issued_at = models.DateTimeField(verbose_name="lấy số lúc")
    queued_at = models.DateTimeField(verbose_name="xếp hàng từ")
    called_at = models.DateTimeField(null=True, blank=True, verbose_name="gọi lúc")
    # Waiting time runs to the first call: recalls move `called_at`, not this.
    first_called_at = models.DateTimeField(null=True, blank=True, verbose_name="gọi lần đầu lúc")
    started_at = models.DateTimeField(null=True, blank=True, verbose_name="bắt đầu phục vụ")
    ended_at = models.DateTimeField(null=True, blank=True, verbose_name="kết thúc phục vụ")
    counter = models.ForeignKey(
        Counter, null=True, blank=True, on_delete=models.PROTECT, related_name="tickets", verbose_name="quầy"
    )
    target_counter = models.ForeignKey(
        Counter,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="transferred_tickets",
        verbose_name="chuyển đến quầy",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="queue_tickets",
        verbose_name="cán bộ phục vụ",
    )
    recall_count = models.PositiveSmallIntegerField(default=0, verbose_name="số lần gọi lại")
    token = models.CharField(max_length=24, unique=True, verbose_name="mã tra cứu vị trí")

    class Meta:
        verbose_name = "phiếu số thứ tự"
        verbose_name_plural = "phiếu số thứ tự"
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["center", "day", "label"], name="ticket_unique_label_per_day"),
        ]
        indexes = [
            # The head of a queue: call-next reads the first waiting ticket of a service and day in
            # (priority, arrival, id) order straight from this index, with no sort, and stops at the first
            # row it can lock. Waiting tickets only: called and served ones never slow it down.
            models.Index(
                fields=["service", "day", "priority", "queued_at", "id"],
                condition=Q(status="waiting"),
                name="ticket_waiting_idx",
            ),
            # Call-next first looks for tickets transferred to the counter: without this (few rows) index
            # that head walked every waiting ticket of the day.
            models.Index(
                fields=["target_counter", "day", "priority", "queued_at", "id"],
                condition=Q(status="waiting", target_counter__isnull=False),
                name="ticket_transferred_idx",
            ),
            models.Index(fields=["center", "day", "called_at"], name="ticket_board_idx"),
        ]

    def __str__(self) -> str:
        return self.label


class CounterState(models.Model):
    """What a counter is doing now. Its row is locked by every counter action, so they run one at a time."""

    class State(models.TextChoices):
        CLOSED = "closed", "Đóng"
        OPEN = "open", "Đang làm việc"
        ON_BREAK = "on_break", "Tạm nghỉ"

    counter = models.OneToOneField(
        Counter, primary_key=True, on_delete=models.CASCADE, related_name="queue_state", verbose_name="quầy"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.CLOSED, verbose_name="trạng thái")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="cán bộ",
    )
    current = models.ForeignKey(
        Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="số đang phục vụ"
    )
    since = models.DateTimeField(null=True, blank=True, verbose_name="từ lúc")

    class Meta:
        verbose_name = "trạng thái quầy"
        verbose_name_plural = "trạng thái quầy"

    def __str__(self) -> str:
        return f"{self.counter}: {self.get_state_display()}"


class TicketDossier(models.Model):
    """A dossier (hồ sơ) received from a ticket. By code until `dossiers` is wired in; one ticket, many dossiers."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="dossiers", verbose_name="phiếu")
    dossier_code = models.CharField(max_length=40, verbose_name="mã hồ sơ")

    class Meta:
        verbose_name = "hồ sơ tiếp nhận từ phiếu"
        verbose_name_plural = "hồ sơ tiếp nhận từ phiếu"
        constraints = [models.UniqueConstraint(fields=["ticket", "dossier_code"], name="ticket_dossier_unique")]
        indexes = [models.Index(fields=["dossier_code"], name="ticket_dossier_code_idx")]

    def __str__(self) -> str:
        return f"{self.ticket}: {self.dossier_code}"


class RatingScore(models.TextChoices):
    SATISFIED = "satisfied", "Hài lòng"
    NEUTRAL = "neutral", "Bình thường"
    DISSATISFIED = "dissatisfied", "Không hài lòng"


class Rating(TimestampedModel):
    """Đánh giá mức độ hài lòng at the counter, after service: one per ticket."""

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="rating", verbose_name="phiếu")
    counter = models.ForeignKey(Counter, on_delete=models.PROTECT, related_name="ratings", verbose_name="quầy")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="queue_ratings",
        verbose_name="cán bộ",
    )
    dossier_code = models.CharField(max_length=40, blank=True, verbose_name="mã hồ sơ")
    score = models.CharField(max_length=12, choices=RatingScore.choices, verbose_name="mức độ hài lòng")
    comment = models.TextField(blank=True, max_length=1000, verbose_name="góp ý")

    class Meta:
        verbose_name = "đánh giá tại quầy"
        verbose_name_plural = "đánh giá tại quầy"
        constraints = [
            models.CheckConstraint(condition=Q(score__in=RatingScore.values), name="rating_score_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket}: {self.get_score_display()}"


def ticket_columns() -> str:
    """The columns of a ticket, in the order `ticket_returning` reads them: `RETURNING {ticket_columns()}`."""
    return ", ".join(field.column for field in Ticket._meta.concrete_fields)


def ticket_returning(sql: str, params: Sequence[Any]) -> Ticket | None:
    """Run a statement returning `{ticket_columns()}` first; the ticket of the row it returns, if any
    (columns after the ticket's are ignored).

    The row goes through the database's converters as a query's rows do (SQLite returns datetimes as text).
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    fields = Ticket._meta.concrete_fields
    row = row[: len(fields)]
    compiler = connection.ops.compiler("SQLCompiler")(Ticket.objects.none().query, connection, connection.alias)
    converters = compiler.get_converters([field.get_col(Ticket._meta.db_table) for field in fields])
    (values,) = compiler.apply_converters([row], converters) if converters else [row]
    return Ticket.from_db(connection.alias, [field.attname for field in fields], values)
