"""The province's organization: administrative units, agencies, service centers, counters and staff."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from motcua.core.models import TimestampedModel


class Province(models.Model):
    """Tỉnh / thành phố trực thuộc trung ương, by its 2-digit statistics code (`15` = Lào Cai)."""

    code = models.CharField(primary_key=True, max_length=2, verbose_name="mã")
    name = models.CharField(max_length=100, verbose_name="tên")
    type = models.CharField(max_length=40, verbose_name="loại")

    class Meta:
        verbose_name = "tỉnh, thành phố"
        verbose_name_plural = "tỉnh, thành phố"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class AdministrativeUnit(models.Model):
    """Đơn vị hành chính cấp xã (xã, phường, đặc khu) after the 2025 reorganisation, by 5-digit code."""

    code = models.CharField(primary_key=True, max_length=5, verbose_name="mã")
    name = models.CharField(max_length=100, verbose_name="tên")
    type = models.CharField(max_length=20, verbose_name="loại")
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="units", verbose_name="tỉnh")

    class Meta:
        verbose_name = "đơn vị hành chính cấp xã"
        verbose_name_plural = "đơn vị hành chính cấp xã"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class AgencyKind(models.TextChoices):
    PROVINCE_COMMITTEE = "province_committee", "UBND tỉnh"
    DEPARTMENT = "department", "Sở, ban, ngành"
    COMMUNE_COMMITTEE = "commune_committee", "UBND xã, phường"
    SERVICE_CENTER = "service_center", "Trung tâm Phục vụ hành chính công"
    LAND_OFFICE = "land_office", "Văn phòng đăng ký đất đai"
    LAND_BRANCH = "land_branch", "Chi nhánh văn phòng đăng ký đất đai"
    TAX = "tax", "Cơ quan thuế"
    SOCIAL_INSURANCE = "social_insurance", "Bảo hiểm xã hội"
    POLICE = "police", "Công an"
    OTHER = "other", "Cơ quan khác"


class Agency(TimestampedModel):
    """Cơ quan, đơn vị: a body that receives or decides dossiers.

    `code` is the electronic identifier of Decision 20/2020/QĐ-TTg (`H38.101`, read left to right);
    `legacy_code` the QCVN 102:2016 form still used in national catalogue keys (`000.00.15.H38`).
    """

    code = models.CharField(max_length=35, unique=True, verbose_name="mã định danh điện tử")
    legacy_code = models.CharField(max_length=13, blank=True, verbose_name="mã QCVN 102:2016")
    name = models.CharField(max_length=255, verbose_name="tên")
    kind = models.CharField(max_length=30, choices=AgencyKind.choices, verbose_name="loại")
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="agencies", verbose_name="tỉnh")
    unit = models.ForeignKey(
        AdministrativeUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
        verbose_name="đơn vị hành chính (cấp xã)",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="cơ quan cấp trên",
    )
    is_active = models.BooleanField(default=True, verbose_name="đang hoạt động")

    class Meta:
        verbose_name = "cơ quan"
        verbose_name_plural = "cơ quan"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Y][0-9]{2}(\.[0-9A-Z]+)*$"), name="agency_code_format"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceCenter(TimestampedModel):
    """Trung tâm Phục vụ hành chính công (TTPVHCC) of the province or of a commune/ward.

    Named by its unit's code, or `province` for the provincial center (api-contract.md).
    """

    PROVINCIAL_CODE = "province"

    code = models.CharField(max_length=20, unique=True, verbose_name="mã")
    name = models.CharField(max_length=255, verbose_name="tên")
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="centers", verbose_name="tỉnh")
    unit = models.OneToOneField(
        AdministrativeUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="center",
        verbose_name="đơn vị hành chính",
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="centers", verbose_name="cơ quan chủ quản"
    )
    address = models.CharField(max_length=255, blank=True, verbose_name="địa chỉ")
    is_active = models.BooleanField(default=True, verbose_name="đang hoạt động")

    class Meta:
        verbose_name = "trung tâm phục vụ hành chính công"
        verbose_name_plural = "trung tâm phục vụ hành chính công"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_provincial(self) -> bool:
        return self.code == self.PROVINCIAL_CODE


class Counter(TimestampedModel):
    """Quầy: a reception and return counter of a center."""

    center = models.ForeignKey(
        ServiceCenter, on_delete=models.CASCADE, related_name="counters", verbose_name="trung tâm"
    )
    number = models.PositiveSmallIntegerField(verbose_name="số quầy")
    name = models.CharField(max_length=120, blank=True, verbose_name="tên quầy")
    is_active = models.BooleanField(default=True, verbose_name="đang hoạt động")

    class Meta:
        verbose_name = "quầy"
        verbose_name_plural = "quầy"
        ordering = ["center", "number"]
        constraints = [models.UniqueConstraint(fields=["center", "number"], name="counter_unique_number")]

    def __str__(self) -> str:
        return f"{self.center.name} — quầy {self.number}"


class Role(models.TextChoices):
    RECEPTION = "reception", "Công chức tiếp nhận (một cửa)"
    SPECIALIST = "specialist", "Chuyên viên xử lý"
    LEADER = "leader", "Lãnh đạo đơn vị"
    CLERK = "clerk", "Văn thư"
    CENTER_ADMIN = "center_admin", "Quản trị trung tâm"
    SUPERVISOR = "supervisor", "Giám sát cấp tỉnh"
    SYSTEM_ADMIN = "system_admin", "Quản trị hệ thống"


#: Roles scoped to a center, to a handling agency, or to the province. Constraints list them sorted:
#: frozenset order varies between runs and would make makemigrations see a change every time.
CENTER_ROLES = frozenset({Role.RECEPTION, Role.CENTER_ADMIN})
AGENCY_ROLES = frozenset({Role.SPECIALIST, Role.LEADER, Role.CLERK})


class StaffUser(AbstractUser):
    """A staff account: one role, scoped to a center (reception, center admin), an agency (specialist,
    leader, clerk) or the province (supervisor). System admins are unscoped."""

    role = models.CharField(max_length=20, choices=Role.choices, verbose_name="vai trò")
    center = models.ForeignKey(
        ServiceCenter, null=True, blank=True, on_delete=models.PROTECT, related_name="staff", verbose_name="trung tâm"
    )
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="staff", verbose_name="cơ quan"
    )
    province = models.ForeignKey(
        Province, null=True, blank=True, on_delete=models.PROTECT, related_name="staff", verbose_name="tỉnh"
    )

    class Meta:
        verbose_name = "cán bộ"
        verbose_name_plural = "cán bộ"
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=sorted(r.value for r in CENTER_ROLES)) | Q(center__isnull=False),
                name="staff_center_role_has_center",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=sorted(r.value for r in AGENCY_ROLES)) | Q(agency__isnull=False),
                name="staff_agency_role_has_agency",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.SUPERVISOR) | Q(province__isnull=False),
                name="staff_supervisor_has_province",
            ),
        ]


class ApiToken(TimestampedModel):
    """A bearer token for the staff API. Only the SHA-256 of the secret is stored."""

    user = models.ForeignKey(StaffUser, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="cán bộ")
    key_hash = models.CharField(max_length=64, unique=True, verbose_name="băm SHA-256")
    prefix = models.CharField(max_length=8, verbose_name="tiền tố")
    name = models.CharField(max_length=100, blank=True, verbose_name="ghi chú")
    revoked_at = models.DateTimeField(null=True, blank=True, verbose_name="thu hồi lúc")

    class Meta:
        verbose_name = "mã truy cập API"
        verbose_name_plural = "mã truy cập API"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user.username})"


class SignInEventKind(models.TextChoices):
    FAILURE = "failure", "Sai tên đăng nhập hoặc mật khẩu"
    LOCKOUT = "lockout", "Tạm khóa đăng nhập"
    OTP_FAILURE = "otp_failure", "Sai mã xác thực hai lớp"
    TOKEN_FAILURE = "token_failure", "Mã truy cập API không hợp lệ"


class SignInScope(models.TextChoices):
    USERNAME = "username", "Tên đăng nhập"
    ADDRESS = "address", "Địa chỉ máy"


class SignInEvent(models.Model):
    """Nhật ký đăng nhập: one failed staff sign-in, second-factor code or API token, or one lockout, for
    supervisors to review. `username` is what was typed (there may be no such account: `user` is then
    empty); a lockout names its `scope` and lasts until `locked_until`."""

    at = models.DateTimeField(db_index=True, verbose_name="lúc")
    kind = models.CharField(max_length=20, choices=SignInEventKind.choices, verbose_name="loại")
    username = models.CharField(max_length=150, blank=True, verbose_name="tên đăng nhập đã nhập")
    user = models.ForeignKey(
        StaffUser,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sign_in_events",
        verbose_name="cán bộ",
    )
    address = models.CharField(max_length=45, verbose_name="địa chỉ máy")
    scope = models.CharField(max_length=10, choices=SignInScope.choices, blank=True, verbose_name="phạm vi khóa")
    locked_until = models.DateTimeField(null=True, blank=True, verbose_name="khóa đến")

    class Meta:
        verbose_name = "sự kiện đăng nhập"
        verbose_name_plural = "nhật ký đăng nhập"
        ordering = ["-at"]
        indexes = [models.Index(fields=["locked_until"], name="signin_lock_until")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="lockout", locked_until__isnull=False) | (~Q(kind="lockout") & Q(scope="")),
                name="signin_lockout_has_end",
            )
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.username or self.address}"
