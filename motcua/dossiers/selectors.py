"""Reads that carry rules: which dossiers a staff member may see (domain.md: visibility by unit and role)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from motcua.core.errors import NotFound
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.org.models import AGENCY_ROLES, CENTER_ROLES, Agency, Role, StaffUser

#: Agencies nest at most three levels below the one a handler belongs to (department → office → team).
_AGENCY_DEPTH = 3


def agency_scope(agency_id: int, *, field: str = "handling_agency") -> Q:
    """Dossiers handled by the agency or one of its descendants."""
    condition = Q(**{f"{field}_id": agency_id})
    path = field
    for _ in range(_AGENCY_DEPTH):
        path += "__parent"
        condition |= Q(**{f"{path}_id": agency_id})
    return condition


def agency_covers(ancestor_id: int | None, agency: Agency) -> bool:
    current: Agency | None = agency
    for _ in range(_AGENCY_DEPTH + 1):
        if current is None:
            return False
        if current.id == ancestor_id:
            return True
        current = current.parent
    return False


def dossiers_visible_to(actor: StaffUser) -> QuerySet[Dossier]:
    """Reception: what their center received; specialists, leaders, clerks: what their agency (or a child
    agency) handles; the supervisor: the province; system admins: everything; anyone else: nothing."""
    dossiers = Dossier.objects.all()
    if not actor.is_active:
        return dossiers.none()
    if actor.role in CENTER_ROLES:
        return dossiers.filter(receiving_center_id=actor.center_id)
    if actor.role in AGENCY_ROLES and actor.agency_id is not None:
        return dossiers.filter(agency_scope(actor.agency_id))
    if actor.role == Role.SUPERVISOR:
        return dossiers.filter(
            Q(handling_agency__province_id=actor.province_id) | Q(receiving_center__province_id=actor.province_id)
        )
    if actor.role == Role.SYSTEM_ADMIN:
        return dossiers
    return dossiers.none()


def dossier_get_for_actor(actor: StaffUser, code: str) -> Dossier:
    """One visible dossier; the same 404 whether it does not exist or may not be seen."""
    dossier = (
        dossiers_visible_to(actor)
        .select_related("procedure", "receiving_center", "handling_agency", "subject_unit")
        .filter(code=code)
        .first()
    )
    if dossier is None:
        raise NotFound("Không tìm thấy hồ sơ.", code="dossier_not_found")
    return dossier


def dossier_history(dossier: Dossier) -> list[DossierEvent]:
    """The dossier's events in order (QuaTrinhXuLy)."""
    return list(DossierEvent.objects.filter(dossier=dossier).order_by("seq"))
