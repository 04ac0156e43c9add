"""Procedures (thủ tục hành chính) as published in the national procedure database (CSDLQG về TTHC).

A `Procedure` is the identity (its national code) plus the columns that lists filter on; everything
the database publishes lives on a `ProcedureVersion` with an effective period, so a dossier keeps the
version it was received under. Channels, components and legal bases hang off the version.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.db.models import Q

from motcua.core.models import TimestampedModel

PROCEDURE_CODE_REGEX = r"^[0-9]\.[0-9]{6}(\.[0-9A-Z.]+)?$"


class Level(models.TextChoices):
    """Cấp thực hiện, in the order the portal lists them."""

    MINISTRY = "ministry", "Cấp bộ"
    PROVINCE = "province", "Cấp tỉnh"
    COMMUNE = "commune", "Cấp xã"
    OTHER = "other", "Cơ quan khác"


class OnlineLevel(models.TextChoices):
    """Mức độ dịch vụ công trực tuyến (Decree 42/2022 Art. 11)."""

    FULL = "full", "Toàn trình"
    PARTIAL = "partial", "Một phần"
    NONE = "none", "Không trực tuyến"


class ChannelKind(models.TextChoices):
    """Hình thức nộp (the dossier's KenhThucHien on DVCQG)."""

    DIRECT = "direct", "Trực tiếp"
    ONLINE = "online", "Trực tuyến"
    POST = "post", "Dịch vụ bưu chính"


class TimeUnit(models.TextChoices):
    """Đơn vị thời hạn giải quyết."""

    WORKING_DAYS = "working_days", "Ngày làm việc"
    DAYS = "days", "Ngày"
    HOURS = "hours", "Giờ"
    MONTHS = "months", "Tháng"


class CopyKind(models.TextChoices):
    ORIGINAL = "original", "Bản chính"
    COPY = "copy", "Bản sao"
    UNSPECIFIED = "unspecified", "Không ghi rõ"


class SupplementRule(models.TextChoices):
    """What a supplement does to the deadline (domain.md §4.4); values of `workcal.legal.SupplementRule`."""

    PAUSE = "pause", "Tạm dừng: thời gian chờ bổ sung không tính vào thời hạn"
    RESTART = "restart", "Tính lại: thời hạn tính lại từ khi nhận đủ hồ sơ"


class VersionSource(models.TextChoices):
    PORTAL = "portal", "Cổng DVC quốc gia (JSONL)"
    LIST = "list", "Danh sách TTHC (XLSX)"


@dataclass(frozen=True)
class TimeLimit:
    """A legal time limit (thời hạn giải quyết): `amount` in `unit`."""

    amount: Decimal
    unit: str


class Field(TimestampedModel):
    """Lĩnh vực: the sector a procedure belongs to (140 in the national data)."""

    code = models.SlugField(max_length=200, unique=True, verbose_name="mã")
    name = models.CharField(max_length=255, unique=True, verbose_name="tên")

    class Meta:
        verbose_name = "lĩnh vực"
        verbose_name_plural = "lĩnh vực"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Procedure(TimestampedModel):
    """Thủ tục hành chính, identified by its national code (`1.001193`).

    `name`, `levels`, `field` and the processing-time columns copy the current version so lists filter
    without joins; `online_level` and `boundary_free` are set at the first import and belong to the
    province's officers afterwards.
    """

    code = models.CharField(max_length=40, unique=True, verbose_name="mã thủ tục")
    name = models.TextField(verbose_name="tên thủ tục")
    levels = models.JSONField(default=list, verbose_name="cấp thực hiện")
    level = models.CharField(max_length=20, blank=True, choices=Level.choices, verbose_name="cấp chính")
    # "|ministry|province|": lets `level=` filter with LIKE on every database (SQLite has no JSON containment).
    levels_index = models.CharField(max_length=64, blank=True, editable=False)
    field = models.ForeignKey(
        Field, null=True, blank=True, on_delete=models.PROTECT, related_name="procedures", verbose_name="lĩnh vực"
    )
    online_level = models.CharField(
        max_length=10, choices=OnlineLevel.choices, default=OnlineLevel.NONE, verbose_name="mức độ DVC trực tuyến"
    )
    boundary_free = models.BooleanField(default=False, verbose_name="phi địa giới hành chính")
    supplement_rule = models.CharField(
        max_length=10,
        choices=SupplementRule.choices,
        default=SupplementRule.PAUSE,
        verbose_name="khi bổ sung hồ sơ",
    )
    supplement_close_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        verbose_name="đóng hồ sơ sau (ngày làm việc chờ bổ sung)",
        help_text="Để trống nếu không tự đóng. Một số nghị định quy định 15 ngày làm việc.",
    )
    processing_time_amount = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, verbose_name="thời hạn giải quyết"
    )
    processing_time_unit = models.CharField(
        max_length=20, blank=True, choices=TimeUnit.choices, verbose_name="đơn vị thời hạn"
    )
    processing_time_text = models.TextField(blank=True, verbose_name="thời hạn (nguyên văn)")
    ministry_slug = models.CharField(max_length=60, blank=True, verbose_name="bộ, ngành")
    source_url = models.URLField(max_length=500, blank=True, verbose_name="trang trên Cổng DVC quốc gia")
    current_version = models.ForeignKey(
        "ProcedureVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="phiên bản hiện hành",
    )

    class Meta:
        verbose_name = "thủ tục hành chính"
        verbose_name_plural = "thủ tục hành chính"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=PROCEDURE_CODE_REGEX), name="procedure_code_format"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ProcedureVersion(TimestampedModel):
    """One published content of a procedure, in force from `effective_from` until `effective_to`."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="versions", verbose_name="thủ tục")
    number = models.PositiveIntegerField(verbose_name="số phiên bản")
    effective_from = models.DateTimeField(verbose_name="hiệu lực từ")
    effective_to = models.DateTimeField(null=True, blank=True, verbose_name="hiệu lực đến")
    source = models.CharField(max_length=10, choices=VersionSource.choices, verbose_name="nguồn")
    content_hash = models.CharField(max_length=64, verbose_name="băm nội dung")
    name = models.TextField(verbose_name="tên thủ tục")
    decision_number = models.CharField(max_length=255, blank=True, verbose_name="quyết định công bố")
    levels = models.JSONField(default=list, verbose_name="cấp thực hiện")
    field = models.ForeignKey(
        Field, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="lĩnh vực"
    )
    procedure_type = models.CharField(max_length=255, blank=True, verbose_name="loại thủ tục")
    subjects = models.TextField(blank=True, verbose_name="đối tượng thực hiện")
    issuing_body = models.TextField(blank=True, verbose_name="cơ quan ban hành")
    competent_body = models.TextField(blank=True, verbose_name="cơ quan có thẩm quyền")
    implementing_body = models.TextField(blank=True, verbose_name="cơ quan thực hiện")
    delegated_body = models.TextField(blank=True, verbose_name="cơ quan được ủy quyền")
    cooperating_body = models.TextField(blank=True, verbose_name="cơ quan phối hợp")
    filing_address = models.TextField(blank=True, verbose_name="địa chỉ tiếp nhận hồ sơ")
    steps = models.TextField(blank=True, verbose_name="trình tự thực hiện")
    channels_text = models.TextField(blank=True, verbose_name="cách thức thực hiện (nguyên văn)")
    components_text = models.TextField(blank=True, verbose_name="thành phần hồ sơ (nguyên văn)")
    legal_basis_text = models.TextField(blank=True, verbose_name="căn cứ pháp lý (nguyên văn)")
    conditions = models.TextField(blank=True, verbose_name="yêu cầu, điều kiện")
    result_text = models.TextField(blank=True, verbose_name="kết quả thực hiện")
    result_code = models.CharField(max_length=64, blank=True, verbose_name="mã kết quả")
    related_procedures = models.TextField(blank=True, verbose_name="thủ tục liên quan")
    parse_problems = models.JSONField(default=list, blank=True, verbose_name="phần chưa phân tích được")

    class Meta:
        verbose_name = "phiên bản thủ tục"
        verbose_name_plural = "phiên bản thủ tục"
        ordering = ["procedure", "number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="procedure_version_unique_number"),
            models.UniqueConstraint(
                fields=["procedure"], condition=Q(effective_to__isnull=True), name="procedure_one_open_version"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="procedure_version_period_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure_id} v{self.number}"

    def time_limit(self, channel_kind: str | None = None) -> TimeLimit | None:
        """Thời hạn giải quyết for `channel_kind`; with None, the first parsed limit (direct, online, post).

        Reads `channels.all()`, so prefetch `channels` when calling it in a loop.
        """
        order = [channel_kind] if channel_kind is not None else [c.value for c in ChannelKind]
        channels = list(self.channels.all())
        for kind in order:
            for channel in channels:
                if channel.kind == kind and channel.time_amount is not None and channel.time_unit:
                    return TimeLimit(amount=channel.time_amount, unit=channel.time_unit)
        return None


class ProcedureChannel(models.Model):
    """Cách thức thực hiện: one way to file, with its time limit and fee."""

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="channels", verbose_name="phiên bản"
    )
    position = models.PositiveSmallIntegerField(verbose_name="thứ tự")
    kind = models.CharField(max_length=10, choices=ChannelKind.choices, verbose_name="hình thức nộp")
    time_amount = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, verbose_name="thời hạn giải quyết"
    )
    time_unit = models.CharField(max_length=20, blank=True, choices=TimeUnit.choices, verbose_name="đơn vị thời hạn")
    time_text = models.TextField(blank=True, verbose_name="thời hạn (nguyên văn)")
    fee_amount = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True, verbose_name="phí, lệ phí")
    fee_currency = models.CharField(max_length=3, blank=True, verbose_name="tiền tệ")
    fee_text = models.TextField(blank=True, verbose_name="phí, lệ phí (nguyên văn)")
    description = models.TextField(blank=True, verbose_name="mô tả")

    class Meta:
        verbose_name = "cách thức thực hiện"
        verbose_name_plural = "cách thức thực hiện"
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="channel_unique_position"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.time_text}"


class Component(models.Model):
    """Thành phần hồ sơ: one paper of the dossier. `code` is stable within the procedure (a slug of
    the name), so dossiers can name components across versions."""

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="components", verbose_name="phiên bản"
    )
    position = models.PositiveSmallIntegerField(verbose_name="thứ tự")
    code = models.SlugField(max_length=100, verbose_name="mã thành phần")
    name = models.TextField(verbose_name="tên giấy tờ")
    group = models.TextField(blank=True, verbose_name="nhóm, trường hợp")
    form_name = models.TextField(blank=True, verbose_name="mẫu đơn, tờ khai")
    count = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name="số lượng")
    copy_kind = models.CharField(
        max_length=12, choices=CopyKind.choices, default=CopyKind.UNSPECIFIED, verbose_name="bản chính/bản sao"
    )
    quantity_text = models.CharField(max_length=255, blank=True, verbose_name="số lượng (nguyên văn)")
    required = models.BooleanField(default=True, verbose_name="bắt buộc")
    #: The submission channels (ChannelKind values) the paper is for; empty: every channel. The civil
    #: status procedures, for one, want the paper form at the desk or by post and the interactive
    #: e-form online, each "required" only on its own channel.
    channels = models.JSONField(default=list, blank=True, verbose_name="chỉ áp dụng cho hình thức nộp")

    class Meta:
        verbose_name = "thành phần hồ sơ"
        verbose_name_plural = "thành phần hồ sơ"
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="component_unique_code"),
            models.UniqueConstraint(fields=["version", "position"], name="component_unique_position"),
        ]

    def __str__(self) -> str:
        return self.name

    def applies_to(self, channel: str) -> bool:
        """Whether the paper belongs to a dossier filed on `channel`."""
        return not self.channels or channel in self.channels

    @property
    def channels_label(self) -> str:
        """ "trực tiếp, dịch vụ bưu chính" for the pages that list the papers; "" for every channel."""
        return ", ".join(str(ChannelKind(kind).label).lower() for kind in self.channels)


class LegalBasis(models.Model):
    """Căn cứ pháp lý: a legal document, by name and number (`123/2015/NĐ-CP`, `02/2011/QH13`)."""

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="legal_bases", verbose_name="phiên bản"
    )
    position = models.PositiveSmallIntegerField(verbose_name="thứ tự")
    title = models.TextField(verbose_name="tên văn bản")
    number = models.CharField(max_length=120, blank=True, verbose_name="số ký hiệu")
    year = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name="năm ban hành")
    issuer_code = models.CharField(max_length=60, blank=True, verbose_name="ký hiệu loại văn bản, cơ quan")

    class Meta:
        verbose_name = "căn cứ pháp lý"
        verbose_name_plural = "căn cứ pháp lý"
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="legal_basis_unique_position"),
        ]

    def __str__(self) -> str:
        return self.number or self.title
