"""One generated dossier's life, from reception to the returned result or wherever `now` finds it.

Pure given the world and a seeded `random.Random`: the lifecycle follows the transition table
(`states.resolve_target`), deadlines and step dues come from the same working-time arithmetic as the
services, so the rows look as if the services had written them. The dossier code and the event hashes are
filled in by the loader, which numbers a day's dossiers per handling body in reception order.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from motcua.catalog.models import ChannelKind
from motcua.dossiers.models import Outcome, ReturnPlace, Satisfaction
from motcua.dossiers.services import deadlines
from motcua.dossiers.states import STATUS_OF, Action, SubState, resolve_target
from motcua.org.models import Role
from motcua.workcal.calendar import WorkCalendar, add_working_time
from motcua.workcal.legal import SupplementRule

from .world import ProcedureInfo, Staff, World

#: The channel mix of a provincial network in 2025–2026: most dossiers still come to a desk.
CHANNEL_MIX = ((ChannelKind.DIRECT, 0.60), (ChannelKind.ONLINE, 0.34), (ChannelKind.POST, 0.06))
#: Share received in one commune and handled by another body's area (phi địa giới hành chính).
BOUNDARY_FREE = 0.12
#: Per-dossier speed of the handling body: a lognormal factor of each step's budget (median 0.45, so about
#: 3 % of dossiers end late), with a per-step jitter.
SPEED_MEDIAN, SPEED_SIGMA, STEP_SIGMA = 0.40, 0.35, 0.25
SUPPLEMENT_ONE, SUPPLEMENT_AGAIN, NEVER_SUPPLIED = 0.07, 0.20, 0.04
WITHDRAWN, REFUSED_ONLINE, REJECTED = 0.005, 0.02, 0.02
TICKET_RATED, DOSSIER_RATED = 0.35, 0.15
SATISFACTION = ((Satisfaction.SATISFIED, 0.90), (Satisfaction.NEUTRAL, 0.07), (Satisfaction.DISSATISFIED, 0.03))
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Lò", "Giàng", "Vàng")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thu", "Ngọc", "Quang", "Hữu", "Thanh", "Seo", "A")
GIVEN = ("An", "Bình", "Chi", "Dũng", "Hà", "Hải", "Hùng", "Lan", "Linh", "Mai", "Nam", "Sơn", "Thảo", "Tú", "Xuân")


@dataclass
class EventSpec:
    action: str
    from_status: int | None
    to_status: int
    from_sub_state: str
    to_sub_state: str
    actor: Staff | None
    at: datetime
    reason: str = ""
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass
class Life:
    """Rows of one dossier, keyed by model field attnames; ids, code and hashes come later."""

    dossier: dict[str, Any]
    agency_id: int
    steps: list[dict[str, Any]]
    events: list[EventSpec]
    supplements: list[dict[str, Any]]
    paper: dict[str, Any] | None
    rating: dict[str, Any] | None
    #: The queue number the citizen took before a desk reception (with its counter rating, if any).
    ticket: dict[str, Any] | None


def _pick(rng: random.Random, weighted: tuple[tuple[Any, float], ...]) -> Any:
    roll = rng.random()
    for value, share in weighted:
        roll -= share
        if roll < 0:
            return value
    return weighted[-1][0]


def _personal_id(rng: random.Random, province: str) -> str:
    # Số định danh: birth-province code (3 digits), century-and-sex digit, year of birth, 6 random digits.
    year = rng.randrange(1950, 2025)
    century = (0 if year < 2000 else 2) + rng.randrange(2)
    return f"0{province[-2:]}{century}{year % 100:02d}{rng.randrange(10**6):06d}"


def simulate(world: World, rng: random.Random, received_at: datetime, now: datetime) -> Life | None:
    """The dossier received at `received_at`, as it stands at `now`; None when the drawn procedure has no
    competent body for the drawn commune (the caller draws again)."""
    calendar = world.calendar
    procedure: ProcedureInfo = rng.choices(world.procedures, cum_weights=world.procedure_weights)[0]
    unit: str = rng.choices(world.units, cum_weights=world.unit_weights)[0]
    agency = world.agency_for(procedure, unit, received_at.date())
    if agency is None:
        return None
    channel = _pick(rng, CHANNEL_MIX)
    if channel not in procedure.limits:
        channel = ChannelKind.DIRECT
    limit = procedure.limits[channel]
    own_center = world.center_of_unit.get(unit, world.provincial_center)
    if rng.random() < BOUNDARY_FREE:
        center = rng.choice(world.center_ids)
    elif procedure.level != "commune" and rng.random() < 0.5:
        center = world.provincial_center
    else:
        center = own_center
    desk = world.reception.get(center) or world.fallback_handler
    specialist = world.handler(agency, Role.SPECIALIST)
    leader = world.handler(agency, Role.LEADER)
    online = channel == ChannelKind.ONLINE

    events: list[EventSpec] = []
    state = {"sub": SubState.SUBMITTED if online else SubState.RECEIVED}

    def record(action: str, to: SubState, actor: Staff | None, at: datetime, **extra: Any) -> bool:
        """Append the event when it happened by `now`; False once the dossier's present is reached."""
        if at > now:
            return False
        before = state["sub"]
        events.append(
            EventSpec(
                action,
                STATUS_OF[SubState(before)] if events else None,
                STATUS_OF[to],
                before if events else "",
                to,
                actor,
                at,
                **extra,
            )
        )
        state["sub"] = to
        return True

    dossier: dict[str, Any] = {
        "procedure_id": procedure.id,
        "version_id": procedure.version_id,
        "channel": channel,
        "receiving_center_id": center,
        "handling_agency_id": agency,
        "subject_unit_id": unit,
        "return_place": ReturnPlace.ELECTRONIC if online and rng.random() < 0.3 else ReturnPlace.DESK,
        "applicant_name": f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
        "applicant_personal_id": _personal_id(rng, world.province_id),
        "applicant_phone": f"09{rng.randrange(10**8):08d}",
        "applicant_address_unit_id": unit,
        "received_at": received_at,
        "tracking_salt": f"{rng.getrandbits(128):032x}",
        "created_by_id": None if online else desk.id,
        "vneid_verified": online and rng.random() < 0.8,
        "population_db_linked": rng.random() < 0.6,
        "created_at": received_at,
    }
    record(
        "receive",
        SubState(state["sub"]),
        None if online else desk,
        received_at,
        payload={"channel": channel, "components": [], "population_db_linked": dossier["population_db_linked"]},
    )
    clock = received_at
    if online:
        accepted = add_working_time(
            received_at, duration=calendar.day_length * rng.uniform(0.05, 0.8), calendar=calendar
        )
        if rng.random() < REFUSED_ONLINE:
            record(Action.REFUSE, SubState.REFUSED, desk, accepted, reason="Hồ sơ không đúng thẩm quyền, thành phần.")
            return _close(dossier, events, [], [], None, None, None, agency, due=None, clock=None, now=now)
        if not record(Action.ACCEPT, SubState.RECEIVED, desk, accepted):
            return _close(dossier, events, [], [], None, None, None, agency, due=None, clock=None, now=now)
        clock = accepted
    dossier["clock_started_at"] = clock
    due = deadlines.due_for(clock, limit, calendar)
    dossier["original_due_at"] = due

    budgets = [s.budget_days for s in procedure.steps]
    step_dues = deadlines.step_dues(clock, budgets, calendar)
    steps: list[dict[str, Any]] = [
        {"order": s.order, "name": s.name, "role": s.role, "budget_days": s.budget_days, "due_at": d}
        for s, d in zip(procedure.steps, step_dues, strict=True)
    ]
    speed = math.exp(math.log(SPEED_MEDIAN) + rng.gauss(0, SPEED_SIGMA))
    supplements: list[dict[str, Any]] = []
    rounds = 1 if rng.random() < SUPPLEMENT_ONE else 0
    if rounds and rng.random() < SUPPLEMENT_AGAIN:
        rounds = 2
    withdraw = rng.random() < WITHDRAWN
    outcome = Outcome.REJECTED if rng.random() < REJECTED else Outcome.APPROVED
    paused_total = timedelta(0)
    paused_at: datetime | None = None
    t = clock
    paper = None
    transferred = False

    def work(step: dict[str, Any], start: datetime) -> datetime:
        share = speed * math.exp(rng.gauss(0, STEP_SIGMA))
        return add_working_time(
            start, duration=calendar.day_length * float(step["budget_days"]) * share, calendar=calendar
        )

    first_handled = True
    handled = [s for s in steps if s["role"] != Role.RECEPTION]
    for position, step in enumerate(steps):
        if step["role"] == Role.RECEPTION and not transferred:
            step.update(started_at=t, assignee_id=desk.id)
            t = work(step, t)
            if t <= now:
                step["finished_at"] = t
            continue
        if not transferred:
            transferred = True
            if not record(Action.TRANSFER, SubState.WAITING_ASSIGNMENT, desk, t):
                break
            if world.center_unit.get(center) != world.agency_unit.get(agency):
                paper = _paper(rng, calendar, t, desk, now)
            assigned = add_working_time(t, duration=timedelta(minutes=rng.randrange(5, 180)), calendar=calendar)
            if not record(
                Action.ASSIGN, SubState.IN_HANDLING, leader, assigned, payload={"assignee": specialist.username}
            ):
                break
            t = assigned
        if step["role"] == Role.RECEPTION:  # a desk step after the handling body's: the return itself
            break
        step.update(started_at=t, assignee_id=_person(world, agency, step["role"]).id)
        if first_handled and step["role"] == Role.SPECIALIST:
            first_handled = False
            for number in range(1, rounds + 1):
                asked = add_working_time(
                    t, duration=calendar.day_length * float(step["budget_days"]) * speed * 0.3, calendar=calendar
                )
                if not record(
                    Action.REQUEST_SUPPLEMENT,
                    SubState.WAITING_SUPPLEMENT,
                    specialist,
                    asked,
                    reason="Bổ sung bản sao giấy tờ còn thiếu.",
                    payload={"round": number, "items": ["Bản sao có chứng thực"], "late": number > 1},
                ):
                    break
                request = {
                    "round": number,
                    "requested_at": asked,
                    "requested_by_id": specialist.id,
                    "items": ["Bản sao có chứng thực"],
                    "reason": "Bổ sung bản sao giấy tờ còn thiếu.",
                }
                supplements.append(request)
                dossier["supplement_rounds"] = number
                dossier["late_by_supplements"] = number > 1
                wait_days = math.exp(math.log(3.0) + rng.gauss(0, 0.7))
                supplied = add_working_time(asked, duration=calendar.day_length * wait_days, calendar=calendar)
                close_days = procedure.supplement_close_days
                if rng.random() < NEVER_SUPPLIED or supplied > now:
                    if close_days is not None:
                        closes = deadlines.supplement_close_due(asked, close_days, calendar)
                        if closes <= now:
                            record(Action.CLOSE_UNSUPPLIED, SubState.STOPPED, None, closes)
                            _finish_steps(steps, closes)
                            dossier["finished_at"] = closes
                            return _close(
                                dossier, events, steps, supplements, paper, None, None, agency, due, clock, now
                            )
                    paused_at = asked
                    dossier["resume_sub_state"] = SubState.IN_HANDLING
                    break
                record(Action.SUPPLEMENT, SubState.IN_HANDLING, desk, supplied)
                waited = deadlines.waited(asked, supplied, calendar)
                request.update(received_at=supplied, waited=waited)
                paused_total += waited
                rule = SupplementRule(procedure.supplement_rule)
                due = deadlines.due_when_supplied(
                    due, requested_at=asked, supplied_at=supplied, rule=rule, limit=limit, calendar=calendar
                )
                for later in steps[position:]:
                    later["due_at"] = add_working_time(later["due_at"], duration=waited, calendar=calendar)
                t = supplied
            if paused_at is not None or state["sub"] != SubState.IN_HANDLING:
                break
            if withdraw:
                gone = add_working_time(t, duration=calendar.day_length * rng.uniform(0.1, 2), calendar=calendar)
                if record(Action.WITHDRAW, SubState.WITHDRAWN, desk, gone, reason="Công dân xin rút hồ sơ."):
                    _finish_steps(steps, gone)
                    dossier["finished_at"] = gone
                break
        t = work(step, t)
        following = handled[handled.index(step) + 1]["role"] if step is not handled[-1] else None
        action = {Role.SPECIALIST: Action.FORWARD, Role.LEADER: Action.APPROVE, Role.CLERK: Action.ISSUE_RESULT}[
            Role(step["role"])
        ]
        if action == Action.APPROVE and outcome == Outcome.REJECTED:
            action = Action.REJECT
        target = resolve_target(action, SubState(state["sub"]), next_step_role=Role(following) if following else None)
        reason = "Không đủ điều kiện giải quyết theo quy định." if action == Action.REJECT else ""
        if not record(action, target, _person(world, agency, step["role"]), t, reason=reason):
            break
        step["finished_at"] = t
        if action in (Action.APPROVE, Action.REJECT):
            dossier["outcome"] = outcome
        if target == SubState.RESULT_AT_DESK:
            dossier["finished_at"] = t
            if "outcome" not in dossier:
                dossier["outcome"] = outcome
    rating = None
    if state["sub"] == SubState.RESULT_AT_DESK:
        collected = add_working_time(t, duration=calendar.day_length * rng.uniform(0.1, 3), calendar=calendar)
        if record(Action.RETURN_RESULT, SubState.RETURNED, desk, collected):
            dossier["returned_at"] = collected
            _finish_steps(steps, collected)
            if rng.random() < DOSSIER_RATED:
                rated = collected + timedelta(hours=rng.uniform(0.1, 48))
                if rated <= now:
                    rating = {
                        "officer_id": desk.id,
                        "satisfaction": _pick(rng, SATISFACTION),
                        "created_at": rated,
                        "updated_at": rated,
                    }
    if paused_at is not None:
        dossier["paused_at"] = paused_at
    dossier["paused_total"] = paused_total
    ticket = None
    if channel == ChannelKind.DIRECT and center in world.queue_services:
        ticket = _ticket(rng, world, center, procedure, received_at, desk)
    return _close(dossier, events, steps, supplements, paper, rating, ticket, agency, due, clock, now)


def _person(world: World, agency: int, role: str) -> Staff:
    return world.handler(agency, role)


def _finish_steps(steps: list[dict[str, Any]], at: datetime) -> None:
    for step in steps:
        step.setdefault("started_at", None)
        if step.get("finished_at") is None:
            step["finished_at"] = at


def _paper(
    rng: random.Random, calendar: WorkCalendar, transferred: datetime, desk: Staff, now: datetime
) -> dict[str, Any]:
    """The paper dossier's trip to the handling body (boundary-free reception, within 1 working day)."""
    due = deadlines.paper_transfer_due(transferred, calendar)
    sent = transferred + timedelta(minutes=rng.randrange(10, 240))
    arrived = add_working_time(sent, duration=calendar.day_length * rng.uniform(0.2, 1.3), calendar=calendar)
    paper: dict[str, Any] = {"transferred_at": transferred, "due_at": due, "carrier": "Bưu điện tỉnh"}
    if sent <= now:
        paper.update(sent_at=sent, sent_by_id=desk.id, tracking_number=f"EB{rng.randrange(10**9):09d}VN")
        if arrived <= now:
            paper.update(received_at=arrived, late=arrived > due)
    return paper


def _ticket(
    rng: random.Random, world: World, center: int, procedure: ProcedureInfo, served: datetime, desk: Staff
) -> dict[str, Any]:
    services = world.queue_services[center]
    service, letter = services.get(procedure.field_id) or services[None]
    waited = timedelta(minutes=math.exp(math.log(12) + rng.gauss(0, 0.6)))
    counters: list[int | None] = [*world.counters.get(center, [])] or [None]
    ticket: dict[str, Any] = {
        "center_id": center,
        "service_id": service,
        "letter": letter,
        "issued_at": served - waited,
        "called_at": served - timedelta(minutes=1),
        "started_at": served - timedelta(seconds=40),
        "ended_at": served + timedelta(minutes=rng.uniform(3, 15)),
        "counter_id": rng.choice(counters),
        "officer_id": desk.id,
        "token": f"{rng.getrandbits(96):024x}",
        "rating": _pick(rng, SATISFACTION) if rng.random() < TICKET_RATED else None,
    }
    return ticket


def _close(
    dossier: dict[str, Any],
    events: list[EventSpec],
    steps: list[dict[str, Any]],
    supplements: list[dict[str, Any]],
    paper: dict[str, Any] | None,
    rating: dict[str, Any] | None,
    ticket: dict[str, Any] | None,
    agency: int,
    due: datetime | None,
    clock: datetime | None,
    now: datetime,
) -> Life:
    last = events[-1]
    dossier.update(
        status=last.to_status,
        sub_state=last.to_sub_state,
        due_at=due,
        clock_started_at=clock,
        event_count=len(events),
        updated_at=last.at,
    )
    dossier.setdefault("paused_total", timedelta(0))
    if clock is None:
        dossier["original_due_at"] = None
    for step in steps:
        step.setdefault("started_at", None)
        step.setdefault("finished_at", None)
        step.setdefault("assignee_id", None)
        if step["started_at"] is not None and step["started_at"] > now:
            step["started_at"] = None
    return Life(dossier, agency, steps, events, supplements, paper, rating, ticket)


def late(life: Life) -> bool:
    """Finished after its due time (Decision 766's late test, supplements aside)."""
    due, finished = life.dossier.get("due_at"), life.dossier.get("finished_at")
    return due is not None and finished is not None and finished > due
