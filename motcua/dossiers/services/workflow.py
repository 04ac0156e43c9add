"""`dossier_transition`: the one service that moves a dossier through its lifecycle (states.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from motcua.core.errors import Conflict, InvalidInput, PermissionDenied
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import agency_covers, dossier_lock_for_actor
from motcua.dossiers.services import effects
from motcua.dossiers.services.events import event_append
from motcua.dossiers.services.steps import current_step, remaining_roles
from motcua.dossiers.states import (
    STATUS_OF,
    TRANSITIONS,
    Action,
    Status,
    SubState,
    Transition,
    TransitionNotAllowed,
    allowed_actions,
    resolve_target,
)
from motcua.org.models import AGENCY_ROLES, Role, StaffUser


def dossier_transition(
    *,
    actor: StaffUser,
    dossier_code: str,
    action: str,
    reason: str = "",
    payload: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> Dossier:
    """Take `action` on the dossier as `actor`: check the table, the actor's role and scope, apply the
    action's effects (deadlines, steps, records), and append the event, all in one transaction."""
    try:
        chosen = Action(action)
    except ValueError:
        raise InvalidInput(
            f"Không có thao tác '{action}'.", code="unknown_action", allowed=[a.value for a in Action]
        ) from None
    payload = dict(payload or {})
    at = now or timezone.now()
    with transaction.atomic():
        dossier = dossier_lock_for_actor(actor, dossier_code)
        transition = TRANSITIONS[chosen]
        _check_actor(actor, dossier, chosen, transition)
        if transition.reason_required and not reason.strip():
            raise InvalidInput("Cần ghi rõ lý do.", code="reason_required", action=chosen.value)
        current = SubState(dossier.sub_state)
        target = _target(dossier, chosen, current)
        from_status = dossier.status
        recorded = effects.apply(
            chosen, dossier=dossier, actor=actor, at=at, reason=reason, payload=payload, target=target
        )
        dossier.sub_state = target
        dossier.status = STATUS_OF[target]
        event_append(
            dossier=dossier,
            action=chosen.value,
            actor=actor,
            at=at,
            from_status=from_status,
            from_sub_state=current,
            reason=reason,
            payload=recorded,
        )
    return dossier


def _target(dossier: Dossier, action: Action, current: SubState) -> SubState:
    roles = remaining_roles(dossier)
    step = current_step(dossier)
    # Steps still to come after the current one decide where forward and approval lead.
    after = roles[1:] if step is not None else []
    try:
        return resolve_target(
            action,
            current,
            resume_to=SubState(dossier.resume_sub_state) if dossier.resume_sub_state else None,
            next_step_role=after[0] if after else None,
        )
    except TransitionNotAllowed:
        raise Conflict(
            f"Không thể '{action.value}' khi hồ sơ đang ở trạng thái '{Status(dossier.status).label}'.",
            code="transition_not_allowed",
            action=action.value,
            status=dossier.status,
            sub_state=current.value,
        ) from None


def _check_actor(actor: StaffUser, dossier: Dossier, action: Action, transition: Transition) -> None:
    """The role must be in the table, and the actor must belong to the right desk or handling body."""
    if actor.role not in transition.roles:
        raise PermissionDenied(code="action_not_permitted", action=action.value, role=actor.role)
    if actor.role == Role.RECEPTION:
        in_scope = actor.center_id == dossier.receiving_center_id
    elif actor.role in AGENCY_ROLES:
        in_scope = agency_covers(actor.agency_id, dossier.handling_agency)
    else:
        in_scope = False
    if not in_scope:
        raise PermissionDenied(code="action_not_permitted", action=action.value, role=actor.role)


def dossier_actions_for(actor: StaffUser, dossier: Dossier) -> list[tuple[Action, Transition]]:
    """The actions the table allows `actor` on `dossier` now, as `(action, transition)` pairs in table
    order: the buttons a staff page shows. The same checks as `dossier_transition`, without the lock."""
    allowed: list[tuple[Action, Transition]] = []
    for action in allowed_actions(SubState(dossier.sub_state)):
        transition = TRANSITIONS[action]
        try:
            _check_actor(actor, dossier, action, transition)
        except PermissionDenied:
            continue
        allowed.append((action, transition))
    return allowed
