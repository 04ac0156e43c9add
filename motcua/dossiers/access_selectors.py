"""Review of the staff read-access log (nhật ký truy cập dữ liệu cá nhân; Decree 13/2023 Art. 27): who saw
which applicant's personal data, when and on which screen. Only the province's supervisors review it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from motcua.core.errors import InvalidInput, PermissionDenied
from motcua.dossiers.models import DossierAccessLog
from motcua.dossiers.selectors import dossiers_visible_to
from motcua.org.models import Role, StaffUser

#: An export larger than this asks for a narrower filter (a month of a busy province stays under it).
MAX_EXPORT_ROWS = 50_000

#: The screen of each `purpose` recorded by `access_log_record`, in the reviewer's words.
PURPOSE_LABELS: dict[str, str] = {
    "list": "Danh sách hồ sơ (API)",
    "detail": "Chi tiết hồ sơ (API)",
    "page": "Trang hồ sơ",
    "queue": "Hàng hồ sơ chờ xử lý",
    "document": "Tệp, giấy tờ của hồ sơ",
    "store": "Kho dữ liệu của công dân",
    "mau01": "Mẫu 01",
    "mau02": "Mẫu 02",
    "mau03": "Mẫu 03",
    "mau04": "Mẫu 04",
    "mau05": "Mẫu 05",
    "mau06": "Mẫu 06",
    "mau07": "Sổ theo dõi (Mẫu 07)",
    "person_export": "Xuất toàn bộ dữ liệu của một người",
}


@dataclass(frozen=True)
class AccessLogFilter:
    officer: str = ""
    dossier_code: str = ""
    start: date | None = None
    end: date | None = None


def can_review_access_log(actor: StaffUser) -> bool:
    return actor.is_active and actor.role == Role.SUPERVISOR and actor.province_id is not None


def access_log_for_review(actor: StaffUser, filters: AccessLogFilter) -> QuerySet[DossierAccessLog]:
    """Reads of the personal data of the province's dossiers, newest first, filtered by officer (user
    name, exact), dossier code (exact) and period (local days, both ends included)."""
    if not can_review_access_log(actor):
        raise PermissionDenied(
            "Chỉ cán bộ giám sát cấp tỉnh được xem nhật ký truy cập dữ liệu cá nhân.", code="access_log_forbidden"
        )
    if filters.start and filters.end and filters.start > filters.end:
        raise InvalidInput("Ngày bắt đầu phải trước ngày kết thúc.", code="invalid_period")
    logs = DossierAccessLog.objects.filter(dossier__in=dossiers_visible_to(actor).values("pk"))
    if filters.officer:
        logs = logs.filter(actor__username=filters.officer)
    if filters.dossier_code:
        logs = logs.filter(dossier__code=filters.dossier_code)
    if filters.start:
        logs = logs.filter(at__gte=_local_midnight(filters.start))
    if filters.end:
        logs = logs.filter(at__lt=_local_midnight(filters.end + timedelta(days=1)))
    return logs.select_related("actor", "dossier")


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
