"""The dossier (hồ sơ), its workflow steps, its components and the daily code counter."""

from __future__ import annotations

from datetime import timedelta
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import models
from django.db.models import Q

from motcua.catalog.models import ChannelKind, Procedure, ProcedureVersion
from motcua.core.models import TimestampedModel
from motcua.dossiers.states import STATUS_OF, Status, SubState
from motcua.org.models import AdministrativeUnit, Agency, Role, ServiceCenter

from .documents import Document


class ReturnPlace(models.TextChoices):
    """Where the citizen receives the result (HinhThuc trả kết quả)."""

    DESK = "desk", "Tại bộ phận một cửa nơi nộp hồ sơ"
    POST = "post", "Qua dịch vụ bưu chính công ích"
    ELECTRONIC = "electronic", "Trực tuyến (bản điện tử)"


class Outcome(models.TextChoices):
    APPROVED = "approved", "Giải quyết"
    REJECTED = "rejected", "Từ chối giải quyết"


_STATUS_MATCHES_SUB_STATE = reduce(
    or_, (Q(sub_state=sub.value, status=status.value) for sub, status in STATUS_OF.items())
)

#: Statuses of a dossier still in the one-stop system (the reports' backlog): not refused, withdrawn,
#: stopped or returned.
OPEN_STATUSES = (
    Status.SUBMITTED, Status.ACCEPTED, Status.IN_PROGRESS, Status.SUPPLEMENT_REQUESTED,
    Status.FINANCIAL_OBLIGATION, Status.RESOLVED,
)  # fmt: skip


class Dossier(TimestampedModel):
    """Hồ sơ: one case, from reception to the returned result.

    The receiving center, the handling agency and the return place are independent (boundary-free
    reception, domain.md §7). `due_at` moves with supplements and an extension; `original_due_at` keeps
    the time printed on Mẫu 01. The tracking token is never stored: it is an HMAC of the code and
    `tracking_salt` (see `services.tracking`), so a leaked table does not reveal it and a receipt can be
    reprinted.
    """

    code = models.CharField(max_length=60, verbose_name="mã hồ sơ")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+", verbose_name="thủ tục")
    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.PROTECT, related_name="+", db_index=False, verbose_name="phiên bản thủ tục"
    )
    channel = models.CharField(max_length=10, choices=ChannelKind.choices, verbose_name="kênh nộp")
    status = models.PositiveSmallIntegerField(choices=Status.choices, verbose_name="trạng thái")
    sub_state = models.CharField(max_length=30, choices=SubState.choices, verbose_name="bước")
    resume_sub_state = models.CharField(
        max_length=30, blank=True, choices=SubState.choices, verbose_name="bước khi tiếp tục"
    )
    outcome = models.CharField(max_length=10, blank=True, choices=Outcome.choices, verbose_name="kết quả")

    # Led by the `dossier_center_newest` and `dossier_inbox` indexes: no index of their own.
    receiving_center = models.ForeignKey(
        ServiceCenter, on_delete=models.PROTECT, related_name="+", db_index=False, verbose_name="nơi tiếp nhận"
    )
    handling_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", db_index=False, verbose_name="cơ quan giải quyết"
    )
    subject_unit = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="+", db_index=False, verbose_name="địa bàn"
    )
    return_place = models.CharField(max_length=10, choices=ReturnPlace.choices, verbose_name="nơi trả kết quả")

    applicant_name = models.CharField(max_length=150, verbose_name="chủ hồ sơ")
    applicant_personal_id = models.CharField(max_length=12, verbose_name="số định danh cá nhân")
    applicant_birth_date = models.DateField(null=True, blank=True, verbose_name="ngày sinh")
    applicant_phone = models.CharField(max_length=20, blank=True, verbose_name="điện thoại")
    applicant_email = models.EmailField(blank=True, verbose_name="thư điện tử")
    applicant_address = models.CharField(max_length=255, blank=True, verbose_name="địa chỉ")
    applicant_address_unit = models.ForeignKey(
        AdministrativeUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        verbose_name="xã",
    )

    received_at = models.DateTimeField(verbose_name="tiếp nhận lúc")
    clock_started_at = models.DateTimeField(null=True, blank=True, verbose_name="bắt đầu tính thời hạn")
    due_at = models.DateTimeField(null=True, blank=True, verbose_name="hẹn trả")
    original_due_at = models.DateTimeField(null=True, blank=True, verbose_name="hẹn trả ban đầu")
    extended = models.BooleanField(default=False, verbose_name="đã gia hạn")
    supplement_rounds = models.PositiveSmallIntegerField(default=0, verbose_name="số lần yêu cầu bổ sung")
    late_by_supplements = models.BooleanField(default=False, verbose_name="quá hạn do bổ sung nhiều lần")
    paused_at = models.DateTimeField(null=True, blank=True, verbose_name="tạm dừng tính thời hạn từ")
    paused_total = models.DurationField(default=timedelta, verbose_name="tổng thời gian tạm dừng (giờ làm việc)")
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name="kết thúc xử lý")
    returned_at = models.DateTimeField(null=True, blank=True, verbose_name="trả kết quả lúc")
    result_documents = models.ManyToManyField(Document, blank=True, related_name="+", verbose_name="kết quả")

    tracking_salt = models.CharField(max_length=32, verbose_name="muối mã tra cứu")
    idempotency_key = models.CharField(max_length=100, blank=True, verbose_name="khóa chống gửi trùng")
    idempotency_fingerprint = models.CharField(max_length=64, blank=True, verbose_name="dấu của yêu cầu")
    #: Empty for a dossier the citizen submitted on-line (no officer received it yet).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        verbose_name="người tiếp nhận",
    )
    #: TaiKhoanDuocXacThucVoiVNeID: filed from an account signed in through VNeID (Decision 766 index 4.5).
    vneid_verified = models.BooleanField(default=False, verbose_name="tài khoản xác thực VNeID")
    #: DSKetNoiCSDL: data taken from the population database at reception (a verified lookup; index 4.5).
    population_db_linked = models.BooleanField(default=False, verbose_name="dữ liệu lấy từ CSDL quốc gia về dân cư")
    event_count = models.PositiveIntegerField(default=0, verbose_name="số sự kiện")
    last_event_hash = models.CharField(max_length=64, blank=True, verbose_name="băm sự kiện cuối")

    class Meta:
        verbose_name = "hồ sơ"
        verbose_name_plural = "hồ sơ"
        # Every reception writes every index of this table, so it has only those a query reads. Procedure
        # versions, units and staff accounts referred to are never deleted (PROTECT), so their foreign keys
        # have none; codes and personal IDs are looked up whole, so neither has a pattern (LIKE) index.
        indexes = [
            models.Index(fields=["applicant_personal_id"], name="dossier_personal_id"),
            # The work queues: one body's open dossiers by due time, with the id that breaks ties, so a
            # keyset page `(due_at, id) > (v, w)` is one index range read in order.
            models.Index(fields=["handling_agency", "status", "due_at", "id"], name="dossier_inbox"),
            models.Index(fields=["receiving_center", "-id"], name="dossier_center_newest"),
            # The province's running dossiers by due time (reports: deadlines per officer); a few percent of
            # the table. Agency in the key so the reports read no row of the table.
            models.Index(
                fields=["due_at", "handling_agency"],
                condition=Q(status__in=OPEN_STATUSES, paused_at__isnull=True, finished_at__isnull=True),
                name="dossier_running_due",
            ),
            # Paper-broker detection groups a period's dossiers by contact: every column it reads is in the
            # key, so it reads the period's slice of this index and no row of the table.
            models.Index(
                fields=[
                    "received_at",
                    "handling_agency",
                    "applicant_personal_id",
                    "applicant_phone",
                    "applicant_email",
                    "applicant_address",
                ],
                name="dossier_received_contacts",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="dossier_unique_code"),
            models.CheckConstraint(condition=_STATUS_MATCHES_SUB_STATE, name="dossier_status_matches_sub_state"),
            models.UniqueConstraint(
                fields=["receiving_center", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="dossier_unique_idempotency_key",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class DossierStep(models.Model):
    """An instance of one step of the procedure's internal workflow, with its own due time."""

    # Led by the unique (dossier, order) index: no index of its own.
    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="steps", db_index=False, verbose_name="hồ sơ"
    )
    order = models.PositiveSmallIntegerField(verbose_name="thứ tự")
    name = models.CharField(max_length=255, verbose_name="công việc")
    role = models.CharField(max_length=20, choices=Role.choices, verbose_name="vai trò")
    budget_days = models.DecimalField(max_digits=6, decimal_places=2, verbose_name="thời gian (ngày làm việc)")
    due_at = models.DateTimeField(null=True, blank=True, verbose_name="hạn")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="người xử lý",
    )
    started_at = models.DateTimeField(null=True, blank=True, verbose_name="bắt đầu")
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name="hoàn thành")

    class Meta:
        verbose_name = "bước xử lý hồ sơ"
        verbose_name_plural = "bước xử lý hồ sơ"
        ordering = ["dossier", "order"]
        constraints = [models.UniqueConstraint(fields=["dossier", "order"], name="dossier_step_unique_order")]
        indexes = [
            # The step each dossier is at (started, not finished): who holds it (reports: per officer).
            models.Index(
                fields=["dossier", "assignee", "role"],
                condition=Q(started_at__isnull=False, finished_at__isnull=True),
                name="step_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.order}. {self.name}"


class DossierComponent(models.Model):
    """A component (thành phần hồ sơ) as filed, with the flags the national portal counts (§6)."""

    # Led by the unique (dossier, code) index: no index of its own.
    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="components", db_index=False, verbose_name="hồ sơ"
    )
    code = models.CharField(max_length=100, verbose_name="mã thành phần")
    name = models.TextField(verbose_name="tên giấy tờ")
    required = models.BooleanField(default=True, verbose_name="bắt buộc")
    documents = models.ManyToManyField(Document, blank=True, related_name="+", verbose_name="tệp")
    digitized = models.BooleanField(default=False, verbose_name="được số hóa")
    reused = models.BooleanField(default=False, verbose_name="được tái sử dụng")
    from_national_db = models.BooleanField(default=False, verbose_name="lấy từ kho dữ liệu quốc gia")

    class Meta:
        verbose_name = "thành phần hồ sơ đã nộp"
        verbose_name_plural = "thành phần hồ sơ đã nộp"
        constraints = [models.UniqueConstraint(fields=["dossier", "code"], name="dossier_component_unique_code")]

    def __str__(self) -> str:
        return self.name


class DossierSequence(models.Model):
    """The last number given for a handling agency on a day; locked to give gap-free codes."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name="cơ quan")
    day = models.DateField(verbose_name="ngày")
    last_number = models.PositiveIntegerField(default=0, verbose_name="số cuối")

    class Meta:
        verbose_name = "bộ đếm mã hồ sơ"
        verbose_name_plural = "bộ đếm mã hồ sơ"
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="dossier_sequence_unique_day")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day} {self.last_number}"
