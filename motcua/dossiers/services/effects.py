"""What each lifecycle action changes besides the status: clock, steps, records (called by workflow.py).

Each effect validates its payload, changes the locked dossier in memory (the caller saves it with the
event) and returns the payload to record in the event.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from motcua.catalog.models import ChannelKind
from motcua.core.errors import Conflict, InvalidInput
from motcua.dossiers.models import (
    Document,
    Dossier,
    Outcome,
    PaperTransfer,
    PersonalDataStoreItem,
    ReturnPlace,
    StoreItemKind,
    SupplementRequest,
)
from motcua.dossiers.services import deadlines
from motcua.dossiers.services.postal import Carries, postal_pickup_enqueue
from motcua.dossiers.services.steps import current_step, step_advance, steps_finish_all, steps_schedule, steps_shift
from motcua.dossiers.states import Action, SubState, extension_allowed, is_late_by_supplements
from motcua.org.models import Role, StaffUser
from motcua.workcal.calendar import WorkCalendar
from motcua.workcal.legal import SupplementRule

Payload = dict[str, Any]
Effect = Callable[[Dossier, StaffUser, datetime, str, Payload, WorkCalendar], Payload]


def apply(
    action: Action, *, dossier: Dossier, actor: StaffUser, at: datetime, reason: str, payload: Payload, target: SubState
) -> Payload:
    calendar = deadlines.calendar_for(dossier.handling_agency.province_id)
    recorded = _EFFECTS[action](dossier, actor, at, reason, payload, calendar)
    if target == SubState.RESULT_AT_DESK and dossier.finished_at is None:
        dossier.finished_at = at  # NgayKetThucXuLy: the on-time test of Decision 766 reads it
    return recorded


def _accept(
    dossier: Dossier, actor: StaffUser, at: datetime, reason: str, payload: Payload, cal: WorkCalendar
) -> Payload:
    _start_clock(dossier, at, cal)
    return {"due_at": _iso(dossier.due_at)}


def _start_clock(dossier: Dossier, at: datetime, cal: WorkCalendar) -> None:
    """The complete dossier is received now: the legal count starts (online acceptance, 1→5→2)."""
    workflow = getattr(dossier.procedure, "workflow", None)
    limit = deadlines.limit_of(dossier.version, dossier.channel, workflow.limit_days if workflow else None)
    dossier.clock_started_at = at
    dossier.due_at = dossier.original_due_at = deadlines.due_for(at, limit, cal)
    steps_schedule(dossier=dossier, start=at, calendar=cal)


def _finish(
    dossier: Dossier, actor: StaffUser, at: datetime, reason: str, payload: Payload, cal: WorkCalendar
) -> Payload:
    """Refusal, stop, withdrawal: the dossier ends here (NgayTuChoi / end of handling)."""
    dossier.finished_at = at
    steps_finish_all(dossier=dossier, at=at)
    return {}


def _request_supplement(
    dossier: Dossier, actor: StaffUser, at: datetime, reason: str, payload: Payload, cal: WorkCalendar
) -> Payload:
    items = payload.get("items", [])
    if not isinstance(items, list) or not all(isinstance(item, str) and item.strip() for item in items):
        raise InvalidInput("Danh sách giấy tờ cần bổ sung không hợp lệ.", code="invalid_supplement_items")
    dossier.supplement_rounds += 1
    dossier.late_by_supplements = dossier.late_by_supplements or is_late_by_supplements(dossier.supplement_rounds)
    dossier.resume_sub_state = dossier.sub_state
    dossier.paused_at = at
    SupplementRequest.objects.create(
        dossier=dossier,
        round=dossier.supplement_rounds,
        requested_at=at,
        requested_by=actor,
        items=items,
        reason=reason,
    )
    return {"round": dossier.supplement_rounds, "items": items, "late": dossier.late_by_supplements}


def _supplement(
    dossier: Dossier, actor: StaffUser, at: datetime, reason: str, payload: Payload, cal: WorkCalendar
) -> Payload:
    request = dossier.supplement_requests.filter(received_at__isnull=True).order_by("-round").first()
    if request is None or dossier.paused_at is None:
        raise Conflict("Không có yêu cầu bổ sung đang chờ.", code="no_open_supplement_request")
    waited = deadlines.waited(request.requested_at, at, cal)
    request.received_at, request.waited = at, waited
    request.save(update_fields=["received_at", "waited"])
    dossier.paused_at = None
    dossier.paused_total += waited
    resume = SubState(dossier.resume_sub_state)
    dossier.resume_sub_state = ""
    previous_due = dossier.due_at
    if previous_due is None or resume == SubState.SUBMITTED:
        _start_clock(dossier, at, cal)
    else:
        rule = deadlines.supplement_rule(dossier.procedure)
        workflow = getattr(dossier.procedure, "workflow", None)
        limit = deadlines.limit_of(dossier.version, dossier.channel, workflow.limit_days if workflow else None)
        dossier.due_at = deadlines.due_when_supplied(
            previous_due, requested_at=request.requested_at, supplied_at=at, rule=rule, limit=limit, calendar=cal
        )
        if rule == SupplementRule.RESTART:
            steps_schedule(dossier=dossier, start=at, calendar=cal)
        else:
            steps_shift(dossier=dossier, by=waited, calendar=cal)
    return {
        "round": request.round,
        "waited_seconds": int(waited.total_seconds()),
        "previous_due_at": _iso(previous_due),
        "due_at": _iso(dossier.due_at),
    }


def _transfer(
    dossier: Dossier, actor: StaffUser, at: datetime, reason: str, payload: Payload, cal: WorkCalendar
) -> Payload:
    if current_step(dossier) is not None and _current_role(dossier) == Role.RECEPTION:
        step_advance(dossier=dossier, at=at, actor=actor)
    center_unit = dossier.receiving_center.unit_id
    boundary_free = center_unit is None or center_unit != dossier.handling_agency.unit_id
    if dossier.channel != ChannelKind.ONLINE and boundary_free:
        # The paper dossier follows the electronic one: it must arrive within 1 working day.
        PaperTransfer.objects.create(dossier=dossier, transferred_at=at, due_at=deadlines.paper_transfer_due(at, cal))
        return {"paper_transfer": True}
    return {}


def _assign(
    dossier: Dossier, actor: StaffUser, at: datetime, reason: str, payload: Payload, cal: WorkCalendar
) -> Payload:
    username = payload.get("assignee") or (actor.username if actor.role == Role.SPECIALIST else None)
    assignee = StaffUser.objects.filter(
        username=username, role=Role.SPECIALIST, agency_id=dossier.handling_agency_id, is_active=True
    ).first()
    if assignee is None:
        raise InvalidInput("Người được phân công phải là chuyên viên của cơ quan giải quyết.", code="invalid_assignee")
    step = current_step(dossier)
    if step is not None:
        step.assignee = assignee
        step.started_at = step.started_at or at
        step.save(update_fields=["assignee", "started_at"])
    return {"assignee": assignee.username}


def _forward(
    dossier: Dossier, actor: StaffUser, at: datetime, reason: str, payload: Payload, cal: WorkCalendar
) -> Payload:
    following = step_advance(dossier=dossier, at=at, actor=actor)
    return {"next_step": following.name if following else None}


def _decide(outcome: Outcome) -> Effect:
    def effect(
        dossier: Dossier, actor: StaffUser, at: datetime, reason: str, payload: Payload, cal: WorkCalendar
    ) -> Payload:
        hashes = payload.get("result_documents", [])
        if not isinstance(hashes, list):
            raise InvalidInput("Danh sách tệp kết quả không hợp lệ.", code="invalid_result_documents")
        documents = list(Document.objects.filter(sha256__in=hashes))
        if len(documents) != len(set(hashes)):
            raise InvalidInput("Có tệp kết quả chưa được tải lên.", code="unknown_documents")
        dossier.outcome = outcome
        dossier.result_documents.add(*documents)
        for document in documents:
            PersonalDataStoreItem.objects.get_or_create(
                personal_id=dossier.applicant_personal_id,
                document=document,
                kind=StoreItemKind.RESULT,
                defaults={"name": dossier.procedure.name, "dossier": dossier},
            )
        step_advance(dossier=dossier, at=at, actor=actor)
        return {"outcome": outcome.value, "result_documents": sorted(d.sha256 for d in documents)}

    return effect


def _issue_result(
    dossier: Dossier, actor: StaffUser, at: datetime, reason: str, payload: Payload, cal: WorkCalendar
) -> Payload:
    step_advance(dossier=dossier, at=at, actor=actor)
    return {}


def _extend(
    dossier: Dossier, actor: StaffUser, at: datetime, reason: str, payload: Payload, cal: WorkCalendar
) -> Payload:
    try:
        extra = Decimal(str(payload["working_days"]))
    except (KeyError, InvalidOperation):
        raise InvalidInput("Cần số ngày làm việc gia hạn.", code="invalid_extension", field="working_days") from None
    if dossier.due_at is None or extra <= 0:
        raise InvalidInput("Cần số ngày làm việc gia hạn.", code="invalid_extension", field="working_days")
    left = deadlines.working_time_left(at, dossier.due_at, cal)
    if dossier.extended:
        raise Conflict("Hồ sơ đã được gia hạn một lần.", code="extension_already_granted")
    if not extension_allowed(already_extended=False, working_time_left=left, notice=deadlines.extension_notice(cal)):
        raise Conflict(
            "Chỉ được gia hạn chậm nhất 01 ngày làm việc trước thời hạn trả kết quả.", code="extension_too_late"
        )
    previous = dossier.due_at
    dossier.due_at = deadlines.extended_due(previous, extra_days=extra, already_extended=False, calendar=cal)
    dossier.extended = True
    return {"working_days": str(extra), "previous_due_at": _iso(previous), "due_at": _iso(dossier.due_at)}


def _return_result(
    dossier: Dossier, actor: StaffUser, at: datetime, reason: str, payload: Payload, cal: WorkCalendar
) -> Payload:
    dossier.returned_at = at
    steps_finish_all(dossier=dossier, at=at)
    if dossier.return_place == ReturnPlace.POST:
        # Handed to the public post at the desk: the post picks it up and tracks it to the applicant.
        postal_pickup_enqueue(dossier=dossier, carries=Carries.RESULT, at=at)
    return {"return_place": dossier.return_place}


def _nothing(
    dossier: Dossier, actor: StaffUser, at: datetime, reason: str, payload: Payload, cal: WorkCalendar
) -> Payload:
    return {key: value for key, value in payload.items() if isinstance(value, str | int)}


def _current_role(dossier: Dossier) -> str | None:
    step = current_step(dossier)
    return step.role if step else None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


_EFFECTS: dict[Action, Effect] = {
    Action.ACCEPT: _accept,
    Action.REFUSE: _finish,
    Action.REQUEST_SUPPLEMENT: _request_supplement,
    Action.SUPPLEMENT: _supplement,
    Action.TRANSFER: _transfer,
    Action.ASSIGN: _assign,
    Action.FORWARD: _forward,
    Action.REQUEST_PAYMENT: _nothing,
    Action.PAYMENT_RECEIVED: _nothing,
    Action.APPROVE: _decide(Outcome.APPROVED),
    Action.REJECT: _decide(Outcome.REJECTED),
    Action.ISSUE_RESULT: _issue_result,
    Action.STOP: _finish,
    Action.WITHDRAW: _finish,
    Action.EXTEND: _extend,
    Action.RETURN_RESULT: _return_result,
}
