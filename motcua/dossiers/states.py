"""The dossier lifecycle: national statuses, internal sub-states and the transition table.

`Status` is DVCQG's `TrangThaiHoSo` (domain.md §3). The desk and the handling body work on finer
`SubState`s, each mapped to exactly one status. `TRANSITIONS` lists every action with the sub-states it
may start from, where it leads and which roles may take it; `dossier_transition` reads nothing else.
Everything here is pure: no database, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from django.db import models

from motcua.org.models import Role


class Status(models.IntegerChoices):
    """TrangThaiHoSo of the national portal."""

    SUBMITTED = 1, "Mới đăng ký"
    ACCEPTED = 2, "Được tiếp nhận"
    REFUSED = 3, "Không được tiếp nhận"
    IN_PROGRESS = 4, "Đang xử lý"
    SUPPLEMENT_REQUESTED = 5, "Yêu cầu bổ sung giấy tờ"
    FINANCIAL_OBLIGATION = 6, "Yêu cầu thực hiện nghĩa vụ tài chính"
    WITHDRAWN = 7, "Công dân yêu cầu rút hồ sơ"
    STOPPED = 8, "Dừng xử lý"
    RESOLVED = 9, "Đã xử lý xong"
    RETURNED = 10, "Đã trả kết quả"


class SubState(models.TextChoices):
    """Internal sub-states (chờ phân công, chờ ký, …); `STATUS_OF` maps each to its national status."""

    SUBMITTED = "submitted", "Chờ bộ phận một cửa kiểm tra"
    RECEIVED = "received", "Đã tiếp nhận, chờ chuyển cơ quan giải quyết"
    REFUSED = "refused", "Từ chối tiếp nhận"
    WAITING_ASSIGNMENT = "waiting_assignment", "Chờ phân công"
    IN_HANDLING = "in_handling", "Chuyên viên đang xử lý"
    WAITING_SIGNATURE = "waiting_signature", "Chờ lãnh đạo ký duyệt"
    WAITING_NUMBERING = "waiting_numbering", "Chờ văn thư vào số, đóng dấu"
    WAITING_SUPPLEMENT = "waiting_supplement", "Chờ công dân bổ sung"
    WAITING_PAYMENT = "waiting_payment", "Chờ thực hiện nghĩa vụ tài chính"
    WITHDRAWN = "withdrawn", "Đã rút hồ sơ"
    STOPPED = "stopped", "Dừng xử lý"
    RESULT_AT_DESK = "result_at_desk", "Kết quả chờ trả tại bộ phận một cửa"
    RETURNED = "returned", "Đã trả kết quả"


STATUS_OF: dict[SubState, Status] = {
    SubState.SUBMITTED: Status.SUBMITTED,
    SubState.RECEIVED: Status.ACCEPTED,
    SubState.REFUSED: Status.REFUSED,
    SubState.WAITING_ASSIGNMENT: Status.IN_PROGRESS,
    SubState.IN_HANDLING: Status.IN_PROGRESS,
    SubState.WAITING_SIGNATURE: Status.IN_PROGRESS,
    SubState.WAITING_NUMBERING: Status.IN_PROGRESS,
    SubState.WAITING_SUPPLEMENT: Status.SUPPLEMENT_REQUESTED,
    SubState.WAITING_PAYMENT: Status.FINANCIAL_OBLIGATION,
    SubState.WITHDRAWN: Status.WITHDRAWN,
    SubState.STOPPED: Status.STOPPED,
    SubState.RESULT_AT_DESK: Status.RESOLVED,
    SubState.RETURNED: Status.RETURNED,
}

#: Sub-states in which the handling body is working (the clock runs, an extension may be asked).
HANDLING = frozenset(
    {SubState.WAITING_ASSIGNMENT, SubState.IN_HANDLING, SubState.WAITING_SIGNATURE, SubState.WAITING_NUMBERING}
)
#: Sub-states after which nothing more happens.
FINAL = frozenset({SubState.REFUSED, SubState.WITHDRAWN, SubState.STOPPED, SubState.RETURNED})


class Action(StrEnum):
    """A lifecycle action, spelled as in `POST /dossiers/{code}/actions/{action}`."""

    ACCEPT = "accept"
    REFUSE = "refuse"
    REQUEST_SUPPLEMENT = "request-supplement"
    SUPPLEMENT = "supplement"
    TRANSFER = "transfer"
    ASSIGN = "assign"
    FORWARD = "forward"
    REQUEST_PAYMENT = "request-payment"
    PAYMENT_RECEIVED = "payment-received"
    APPROVE = "approve"
    REJECT = "reject"
    ISSUE_RESULT = "issue-result"
    STOP = "stop"
    WITHDRAW = "withdraw"
    EXTEND = "extend"
    RETURN_RESULT = "return-result"
    CLOSE_UNSUPPLIED = "close-unsupplied"


class Target(StrEnum):
    """Targets that depend on the dossier rather than on the action alone."""

    UNCHANGED = "unchanged"  # extend, assign: the sub-state stays
    RESUME = "resume"  # supplement: back where the dossier paused
    NEXT_STEP = "next_step"  # forward, approve, reject: the role of the next workflow step decides


@dataclass(frozen=True)
class Transition:
    sources: frozenset[SubState]
    target: SubState | Target
    roles: frozenset[Role]
    #: Taken by the receiving desk (center scope) rather than by the handling body (agency scope).
    desk: bool = False
    reason_required: bool = False
    #: Taken only by the system (`services.sweep`), never offered to or accepted from staff.
    system: bool = False


def _t(
    sources: set[SubState],
    target: SubState | Target,
    roles: set[Role],
    *,
    desk: bool = False,
    reason_required: bool = False,
    system: bool = False,
) -> Transition:
    return Transition(frozenset(sources), target, frozenset(roles), desk, reason_required, system)


_BEFORE_DECISION = {
    SubState.SUBMITTED,
    SubState.RECEIVED,
    SubState.WAITING_ASSIGNMENT,
    SubState.IN_HANDLING,
    SubState.WAITING_SIGNATURE,
    SubState.WAITING_SUPPLEMENT,
    SubState.WAITING_PAYMENT,
}
_HANDLERS = {Role.SPECIALIST, Role.LEADER}

TRANSITIONS: dict[Action, Transition] = {
    # 1→2: the desk confirms an online dossier is complete (Decree 45/2020 Art. 11).
    Action.ACCEPT: _t({SubState.SUBMITTED}, SubState.RECEIVED, {Role.RECEPTION}, desk=True),
    # 1→3: Mẫu 03.
    Action.REFUSE: _t({SubState.SUBMITTED}, SubState.REFUSED, {Role.RECEPTION}, desk=True, reason_required=True),
    # 1→5 by the desk, 4→5 by the handling body: Mẫu 02, the clock pauses.
    Action.REQUEST_SUPPLEMENT: _t(
        {SubState.SUBMITTED, *HANDLING - {SubState.WAITING_NUMBERING}},
        SubState.WAITING_SUPPLEMENT,
        {Role.RECEPTION, *_HANDLERS},
        reason_required=True,
    ),
    # 5→4 (or 5→2 for an online dossier that was not yet accepted).
    Action.SUPPLEMENT: _t({SubState.WAITING_SUPPLEMENT}, Target.RESUME, {Role.RECEPTION, *_HANDLERS}),
    # 2→4: the e-dossier goes to the competent body.
    Action.TRANSFER: _t({SubState.RECEIVED}, SubState.WAITING_ASSIGNMENT, {Role.RECEPTION}, desk=True),
    Action.ASSIGN: _t({SubState.WAITING_ASSIGNMENT, SubState.IN_HANDLING}, SubState.IN_HANDLING, _HANDLERS),
    Action.FORWARD: _t({SubState.IN_HANDLING}, Target.NEXT_STEP, {Role.SPECIALIST}),
    # 4→6→4.
    Action.REQUEST_PAYMENT: _t({SubState.IN_HANDLING}, SubState.WAITING_PAYMENT, _HANDLERS, reason_required=True),
    Action.PAYMENT_RECEIVED: _t({SubState.WAITING_PAYMENT}, SubState.IN_HANDLING, _HANDLERS),
    Action.APPROVE: _t({SubState.WAITING_SIGNATURE}, Target.NEXT_STEP, {Role.LEADER}),
    # Từ chối giải quyết: the written refusal is the result, returned like any other.
    Action.REJECT: _t({SubState.WAITING_SIGNATURE}, Target.NEXT_STEP, {Role.LEADER}, reason_required=True),
    Action.ISSUE_RESULT: _t({SubState.WAITING_NUMBERING}, SubState.RESULT_AT_DESK, {Role.CLERK}),
    # 4→8 on the applicant's request while no decision exists (Mẫu 05, Circular 03 Art. 7).
    Action.STOP: _t(
        {SubState.WAITING_ASSIGNMENT, SubState.IN_HANDLING, SubState.WAITING_SIGNATURE},
        SubState.STOPPED,
        {Role.RECEPTION},
        desk=True,
        reason_required=True,
    ),
    # {1,2,4,5,6}→7 while no decision exists (Decree 118 Art. 21).
    Action.WITHDRAW: _t(_BEFORE_DECISION, SubState.WITHDRAWN, {Role.RECEPTION}, desk=True, reason_required=True),
    # Mẫu 04, signed by the head of the handling body.
    Action.EXTEND: _t(
        set(HANDLING) | {SubState.WAITING_PAYMENT}, Target.UNCHANGED, {Role.LEADER}, reason_required=True
    ),
    Action.RETURN_RESULT: _t({SubState.RESULT_AT_DESK}, SubState.RETURNED, {Role.RECEPTION}, desk=True),
    # 5→8: no supplement within the procedure's limit (domain.md §4.4, "some decrees": 15 working days).
    Action.CLOSE_UNSUPPLIED: _t({SubState.WAITING_SUPPLEMENT}, SubState.STOPPED, set(), system=True),
}


class TransitionNotAllowed(Exception):
    """The action is not in the table for the current sub-state (the service maps it to a 409)."""


def resolve_target(
    action: Action,
    current: SubState,
    *,
    resume_to: SubState | None = None,
    next_step_role: Role | None = None,
) -> SubState:
    """The sub-state `action` leads to from `current`; raises `TransitionNotAllowed` if it may not."""
    transition = TRANSITIONS[action]
    if current not in transition.sources:
        raise TransitionNotAllowed(f"{action} from {current}")
    target = transition.target
    if isinstance(target, SubState):
        return target
    if target is Target.UNCHANGED:
        return current
    if target is Target.RESUME:
        if resume_to is None:
            raise TransitionNotAllowed(f"{action}: nothing to resume")
        # An online dossier completed during the desk's check counts as received (1→5→2).
        return SubState.RECEIVED if resume_to is SubState.SUBMITTED else resume_to
    return _step_substate(next_step_role)


def _step_substate(role: Role | None) -> SubState:
    if role == Role.LEADER:
        return SubState.WAITING_SIGNATURE
    if role == Role.CLERK:
        return SubState.WAITING_NUMBERING
    if role in (Role.RECEPTION, None):
        # The remaining step is the desk's: the result goes back to it.
        return SubState.RESULT_AT_DESK
    return SubState.IN_HANDLING


def allowed_actions(current: SubState) -> list[Action]:
    """Actions staff may take from `current` by the table (the role and scope checks come on top)."""
    return [
        action for action, transition in TRANSITIONS.items() if current in transition.sources and not transition.system
    ]


def extension_allowed(*, already_extended: bool, working_time_left: timedelta, notice: timedelta) -> bool:
    """Mẫu 04 at most once, and no later than `notice` (one working day) of working time before the due time."""
    return not already_extended and working_time_left >= notice


def is_late_by_supplements(rounds: int) -> bool:
    """Decision 766 counts a dossier with more than one supplement request as late."""
    return rounds > 1
