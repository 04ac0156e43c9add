"""Who may issue staff tickets and work a center's counters, and who may read its queue statistics.

`actor=None` in a service means a system caller (kiosk, demo data, tests): it skips these checks explicitly.
"""

from __future__ import annotations

from motcua.core.errors import PermissionDenied
from motcua.org.models import Counter, Role, ServiceCenter, StaffUser

CENTER_STAFF_ROLES = frozenset({Role.RECEPTION, Role.CENTER_ADMIN})


def is_center_staff(user: StaffUser, center: ServiceCenter) -> bool:
    """Reception officers and the center's admin work at their own center; system admins anywhere."""
    if user.role == Role.SYSTEM_ADMIN:
        return True
    return user.role in CENTER_STAFF_ROLES and user.center_id == center.id


def can_view_statistics(user: StaffUser, center: ServiceCenter) -> bool:
    """The center's staff, the province's supervisors and system admins."""
    if user.role == Role.SUPERVISOR:
        return user.province_id == center.province_id
    return is_center_staff(user, center)


def check_center_staff(user: StaffUser | None, center: ServiceCenter) -> None:
    if user is not None and not is_center_staff(user, center):
        raise PermissionDenied("Bạn không làm việc tại trung tâm này.", code="center_forbidden", center=center.code)


def check_counter(user: StaffUser | None, counter: Counter) -> None:
    if user is not None and not is_center_staff(user, counter.center):
        raise PermissionDenied("Bạn không được làm việc tại quầy này.", code="counter_forbidden", counter=counter.id)


def check_statistics(user: StaffUser, center: ServiceCenter) -> None:
    if not can_view_statistics(user, center):
        raise PermissionDenied(
            "Bạn không được xem thống kê của trung tâm này.", code="statistics_forbidden", center=center.code
        )
