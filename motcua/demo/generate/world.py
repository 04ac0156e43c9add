"""What the generator reads once from the database: the province's procedures with their workflows and
limits, its communes, centers, counters, queue services, staff and handling bodies."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from motcua.catalog.competence import CompetenceBasis, NoCompetentBody, competence_resolve
from motcua.catalog.models import ChannelKind, DelegationTarget, Level, Procedure, WorkflowStep
from motcua.core.errors import DomainError
from motcua.dossiers.services import deadlines
from motcua.dossiers.services.deadlines import Limit
from motcua.dossiers.states import Action, SubState, TransitionNotAllowed, resolve_target
from motcua.org.models import AdministrativeUnit, Agency, Counter, Role, ServiceCenter, StaffUser
from motcua.queueing.models import QueueService
from motcua.workcal.calendar import WorkCalendar

#: Zipf exponent of procedure popularity: in Vietnamese centers a few procedures (birth and marriage
#: registration, certified copies, land) make most of the volume; s ≈ 1.1 gives the top 20 about 60 %.
ZIPF_S = 1.1
#: Communes differ in population (a town ward versus a mountain commune): a milder skew.
COMMUNE_S = 0.6


@dataclass(frozen=True)
class Step:
    order: int
    name: str
    role: str
    budget_days: Decimal


@dataclass(frozen=True)
class ProcedureInfo:
    id: int
    code: str
    version_id: int
    level: str
    field_id: int | None
    steps: tuple[Step, ...]
    #: The legal limit of each channel the procedure can be filed through.
    limits: dict[str, Limit]
    supplement_close_days: int | None
    supplement_rule: str


@dataclass(frozen=True)
class Staff:
    id: int
    username: str
    full_name: str
    role: str


@dataclass
class World:
    province_id: str
    calendar: WorkCalendar
    procedures: list[ProcedureInfo]
    #: Cumulative Zipf weights over `procedures` (most popular first), for `random.choices`.
    procedure_weights: list[float]
    units: list[str]
    unit_weights: list[float]
    #: The commune's own center (one per commune after 2025) and the provincial center.
    center_of_unit: dict[str, int]
    provincial_center: int
    center_unit: dict[int, str | None]
    center_ids: list[int]
    counters: dict[int, list[int]]
    #: Queue services of each center by field (a field not listed goes to the center's first service).
    queue_services: dict[int, dict[int | None, tuple[int, str]]]
    reception: dict[int, Staff]
    handlers: dict[tuple[int, str], Staff]
    agency_code: dict[int, str]
    #: The commune of a commune-level body (None for provincial bodies): paper travels when it differs
    #: from the receiving center's.
    agency_unit: dict[int, str | None]
    fallback_handler: Staff
    #: (commune, agency kind) → the body a commune-level rule picks (the lowest code, as reception does).
    commune_bodies: dict[tuple[str, str], int] = field(default_factory=dict)
    _rules: dict[int, tuple[str, int | str]] = field(default_factory=dict)
    _procedure_models: dict[int, Procedure] = field(default_factory=dict)
    _unit_models: dict[str, AdministrativeUnit] = field(default_factory=dict)

    def agency_for(self, procedure: ProcedureInfo, unit: str, on: date) -> int | None:
        """The competent body, as reception resolves it. Resolved once per procedure (with the commune of
        its first dossier, on that day): a commune-level rule then takes the same kind of body in each
        commune, any other rule the same body everywhere. A delegation that starts or ends within the
        generated year therefore applies from the procedure's first dossier on."""
        rule = self._rules.get(procedure.id)
        if rule is None:
            try:
                competence = competence_resolve(
                    procedure=self._procedure_models[procedure.id], subject_unit=self._unit_models[unit], on=on
                )
            except NoCompetentBody:
                rule = self._rules[procedure.id] = ("none", "")
            else:
                per_commune = competence.basis == CompetenceBasis.COMMUNE_LEVEL or (
                    competence.delegation is not None and competence.delegation.target == DelegationTarget.COMMUNE
                )
                agency = competence.agency
                self.agency_code[agency.pk] = agency.code
                rule = self._rules[procedure.id] = ("commune", agency.kind) if per_commune else ("fixed", agency.pk)
        kind, value = rule
        if kind == "fixed":
            return int(value)
        if kind == "commune":
            return self.commune_bodies.get((unit, str(value)))
        return None

    def handler(self, agency_id: int, role: str) -> Staff:
        return self.handlers.get((agency_id, role)) or self.fallback_handler


def world_load(*, province_id: str, seed: int) -> World:
    """Read the province once. Procedures are those handled at commune or province level with a current
    version, a workflow whose steps walk the lifecycle, and a parsed limit; ranked by a seeded shuffle."""
    calendar = deadlines.calendar_for(province_id)
    procedures = _procedures()
    if not procedures:
        raise DomainError(
            "Chưa có thủ tục nào có quy trình và thời hạn để sinh hồ sơ; hãy chạy `motcua demo` trước.",
            code="generate_no_procedures",
        )
    random.Random(seed).shuffle(procedures)  # noqa: S311 - reproducible ranking, not a secret
    units = list(AdministrativeUnit.objects.filter(province_id=province_id).order_by("code"))
    if not units:
        raise DomainError("Tỉnh chưa có đơn vị hành chính cấp xã.", code="generate_no_units")
    random.Random(seed + 1).shuffle(units)  # noqa: S311 - reproducible ranking, not a secret
    centers = list(ServiceCenter.objects.filter(province_id=province_id, is_active=True).order_by("code"))
    if not centers:
        raise DomainError("Tỉnh chưa có trung tâm phục vụ hành chính công.", code="generate_no_centers")
    provincial = next((c for c in centers if c.unit_id is None), centers[0])
    counters: dict[int, list[int]] = defaultdict(list)
    for counter_id, center_id in Counter.objects.filter(center__in=centers, is_active=True).values_list(
        "pk", "center_id"
    ):
        counters[center_id].append(counter_id)
    services: dict[int, dict[int | None, tuple[int, str]]] = defaultdict(dict)
    for service in QueueService.objects.filter(center__in=centers, is_active=True).prefetch_related("fields"):
        by_field = services[service.center_id]
        by_field.setdefault(None, (service.pk, service.code))
        for field_id in service.fields.values_list("pk", flat=True):
            by_field.setdefault(field_id, (service.pk, service.code))
    staff = list(
        StaffUser.objects.filter(is_active=True, province_id=province_id).order_by("username")
    )  # a province has a few thousand accounts at most
    reception: dict[int, Staff] = {}
    handlers: dict[tuple[int, str], Staff] = {}
    for user in staff:
        person = Staff(user.pk, user.username, user.get_full_name(), user.role)
        if user.role == Role.RECEPTION and user.center_id is not None:
            reception.setdefault(user.center_id, person)
        elif user.agency_id is not None:
            handlers.setdefault((user.agency_id, user.role), person)
    supervisor = next((u for u in staff if u.role == Role.SUPERVISOR), None) or (staff[0] if staff else None)
    if supervisor is None:
        raise DomainError("Tỉnh chưa có tài khoản cán bộ nào.", code="generate_no_staff")
    world = World(
        province_id=province_id,
        calendar=calendar,
        procedures=procedures,
        procedure_weights=_cumulative(len(procedures), ZIPF_S),
        units=[u.code for u in units],
        unit_weights=_cumulative(len(units), COMMUNE_S),
        center_of_unit={c.unit_id: c.pk for c in centers if c.unit_id is not None},
        provincial_center=provincial.pk,
        center_unit={c.pk: c.unit_id for c in centers},
        center_ids=[c.pk for c in centers],
        counters=dict(counters),
        queue_services=dict(services),
        reception=reception,
        handlers=handlers,
        agency_code=dict(Agency.objects.filter(province_id=province_id).values_list("pk", "code")),
        agency_unit=dict(Agency.objects.filter(province_id=province_id).values_list("pk", "unit_id")),
        fallback_handler=Staff(supervisor.pk, supervisor.username, supervisor.get_full_name(), supervisor.role),
    )
    world._procedure_models = {p.pk: p for p in Procedure.objects.filter(pk__in=[p.id for p in procedures])}
    world._unit_models = {u.code: u for u in units}
    for pk, unit_id, kind in (
        Agency.objects.filter(province_id=province_id, is_active=True, unit__isnull=False)
        .order_by("-code")
        .values_list("pk", "unit_id", "kind")
    ):
        world.commune_bodies[(unit_id, kind)] = pk  # descending code: the lowest code is kept
    return world


def _cumulative(n: int, s: float) -> list[float]:
    total = 0.0
    out = []
    for rank in range(1, n + 1):
        total += 1.0 / rank**s
        out.append(total)
    return out


def _procedures() -> list[ProcedureInfo]:
    steps: dict[int, list[Step]] = defaultdict(list)
    for row in WorkflowStep.objects.order_by("template__procedure_id", "order").values(
        "template__procedure_id", "order", "name", "role", "budget_days"
    ):
        steps[row["template__procedure_id"]].append(Step(row["order"], row["name"], row["role"], row["budget_days"]))
    found = []
    candidates = (
        Procedure.objects.filter(current_version__isnull=False, pk__in=list(steps))
        .select_related("current_version")
        .prefetch_related("current_version__channels")
        .order_by("code")
    )
    for procedure in candidates:
        if not {Level.COMMUNE, Level.PROVINCE} & set(procedure.levels):
            continue
        version = procedure.current_version
        assert version is not None
        workflow_days = sum((s.budget_days for s in steps[procedure.pk]), Decimal(0))
        limits = {}
        for channel in ChannelKind.values:
            try:
                limit = deadlines.limit_of(version, channel, workflow_days)
            except DomainError:
                continue
            # Calendar-month limits and "within the day" both exist; keep limits the workflow can follow.
            if limit.working_days is not None and limit.amount > 0:
                limits[channel] = limit
        procedure_steps = tuple(steps[procedure.pk])
        if ChannelKind.DIRECT in limits and _walks(procedure_steps):
            found.append(
                ProcedureInfo(
                    id=procedure.pk,
                    code=procedure.code,
                    version_id=version.pk,
                    level=procedure.level,
                    field_id=procedure.field_id,
                    steps=procedure_steps,
                    limits=limits,
                    supplement_close_days=procedure.supplement_close_days,
                    supplement_rule=procedure.supplement_rule,
                )
            )
    return found


def _walks(steps: tuple[Step, ...]) -> bool:
    """Whether the workflow can be followed from reception to the returned result by the transition
    table, in the order `life.simulate` takes its actions (templates an officer edited oddly are left out)."""
    current = SubState.RECEIVED
    try:
        current = resolve_target(Action.TRANSFER, current)
        handled = [s for s in steps if s.role != Role.RECEPTION]
        if not handled or handled[0].role != Role.SPECIALIST:
            return False
        current = resolve_target(Action.ASSIGN, current)
        for position, step in enumerate(handled):
            following = handled[position + 1].role if position + 1 < len(handled) else None
            action = {Role.SPECIALIST: Action.FORWARD, Role.LEADER: Action.APPROVE, Role.CLERK: Action.ISSUE_RESULT}
            chosen = action.get(Role(step.role))
            if chosen is None:
                return False
            current = resolve_target(chosen, current, next_step_role=Role(following) if following else None)
        resolve_target(Action.RETURN_RESULT, current)
    except TransitionNotAllowed:
        return False
    return current == SubState.RESULT_AT_DESK
