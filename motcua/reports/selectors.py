"""Read-only selectors of the reports: who may see which scope, and the 766 sets for a scope."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max

from motcua.catalog.models import Procedure
from motcua.core.errors import InvalidInput, NotFound, PermissionDenied
from motcua.dossiers.services.deadlines import calendar_for
from motcua.org.models import AdministrativeUnit, Province, Role, StaffUser
from motcua.reports.index766 import Counts, IndexSet, Scoped, counts_by_scope, index_set
from motcua.reports.models import DossierFact
from motcua.reports.periods import Period, period_parse

_UNIT = re.compile(r"^(?:[0-9]{2}|[0-9]{5})$")


class InvalidUnit(InvalidInput):
    code = "invalid_unit"
    message = "Mã đơn vị không hợp lệ: mã tỉnh 2 chữ số hoặc mã xã, phường 5 chữ số."


@dataclass(frozen=True)
class Scope:
    province: str
    unit: str | None  # None: the whole province
    name: str


def actor_unit(actor: StaffUser) -> str | None:
    """The commune-level unit of a center- or agency-scoped staff member."""
    if actor.center is not None and actor.center.unit_id:
        return actor.center.unit_id
    if actor.agency is not None and actor.agency.unit_id:
        return actor.agency.unit_id
    return None


def actor_province(actor: StaffUser) -> str | None:
    if actor.province_id:
        return actor.province_id
    if actor.center is not None:
        return actor.center.province_id
    if actor.agency is not None:
        return actor.agency.province_id
    return None


def is_supervisor(actor: StaffUser) -> bool:
    return actor.is_active and actor.role in (Role.SUPERVISOR, Role.SYSTEM_ADMIN)


def scope_for_actor(actor: StaffUser, code: str) -> Scope:
    """Supervisors (and system admins) see their province and every unit in it; unit-scoped staff only
    their own unit; a unit that does not exist answers 404, one the actor may not see 403."""
    if not _UNIT.match(code):
        raise InvalidUnit(unit=code)
    if len(code) == 2:
        province = Province.objects.filter(code=code).first()
        if province is None:
            raise NotFound("Không tìm thấy tỉnh.", code="unit_not_found")
        if not (actor.role == Role.SYSTEM_ADMIN or (is_supervisor(actor) and actor.province_id == code)):
            raise PermissionDenied("Chỉ cán bộ giám sát cấp tỉnh xem được số liệu toàn tỉnh.")
        return Scope(code, None, province.name)
    unit = AdministrativeUnit.objects.filter(code=code).first()
    if unit is None:
        raise NotFound("Không tìm thấy đơn vị.", code="unit_not_found")
    allowed = (
        actor.role == Role.SYSTEM_ADMIN
        or (is_supervisor(actor) and actor.province_id == unit.province_id)
        or (actor.is_active and actor_unit(actor) == code)
    )
    if not allowed:
        raise PermissionDenied("Bạn chỉ xem được số liệu của đơn vị mình.")
    return Scope(unit.province_id, code, unit.name)


def refreshed_at() -> datetime | None:
    value: datetime | None = DossierFact.objects.aggregate(m=Max("source_updated_at"))["m"]
    return value


def _day_hours(province: str) -> float:
    return calendar_for(province).day_length.total_seconds() / 3600


def index766_for_actor(actor: StaffUser, *, unit: str, period: str, now: datetime | None = None) -> IndexSet:
    parsed = period_parse(period)
    return index766_for_scope(scope_for_actor(actor, unit), parsed, now=now)


def index766_for_scope(scope: Scope, period: Period, *, now: datetime | None = None) -> IndexSet:
    """The 766 set of a scope the caller has already checked (`scope_for_actor`)."""
    scoped = counts_by_scope(period, province=scope.province, now=now)
    counts = scoped.province if scope.unit is None else scoped.units.get(scope.unit, Counts())
    context = (_day_hours(scope.province), refreshed_at())
    return _set(scoped, counts, scope.unit or scope.province, scope.name, period, context)


def _set(
    scoped: Scoped, counts: Counts, code: str, name: str, period: Period, context: tuple[float, datetime | None]
) -> IndexSet:
    day_hours, refreshed = context
    return index_set(
        counts, scoped.facts, scope=code, scope_name=name, period=period, day_hours=day_hours, refreshed_at=refreshed
    )


@dataclass(frozen=True)
class ProvinceIndices:
    province: IndexSet
    units: list[IndexSet]
    procedures: list[IndexSet]


def index766_province(province: str, period: Period, *, now: datetime | None = None) -> ProvinceIndices:
    """The 766 set of the province, of each of its units and of each procedure, from one aggregate query."""
    scoped = counts_by_scope(period, province=province, now=now)
    name = Province.objects.filter(code=province).values_list("name", flat=True).first() or province
    units = dict(AdministrativeUnit.objects.filter(province_id=province).values_list("code", "name"))
    context = (_day_hours(province), refreshed_at())
    procedures = dict(Procedure.objects.filter(id__in=scoped.procedures).values_list("id", "code"))
    return ProvinceIndices(
        _set(scoped, scoped.province, province, name, period, context),
        [_set(scoped, scoped.units.get(code, Counts()), code, label, period, context) for code, label in units.items()],
        [_set(scoped, counts, procedures[pid], procedures[pid], period, context) for pid, counts in scoped.procedures.items()],
    )  # fmt: skip


def report_scope(actor: StaffUser, code: str | None) -> Scope:
    """The scope of a dashboard: the requested unit or province, else the actor's own (the province for
    a supervisor, the unit for unit staff), with the same permission rules as the API."""
    if not code:
        code = (actor_province(actor) if is_supervisor(actor) else actor_unit(actor)) or ""
        if not code:
            raise PermissionDenied("Tài khoản của bạn không gắn với đơn vị nào để xem báo cáo.")
    return scope_for_actor(actor, code)


def unit_names(province: str) -> dict[str, str]:
    """Commune-level units of the province by code."""
    return dict(AdministrativeUnit.objects.filter(province_id=province).values_list("code", "name"))
