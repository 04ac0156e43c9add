"""Lifecycle actions the system takes on a partner's word (tax authority, payment gateway).

A tax notice of a financial obligation moves a handled dossier to state 6 (4→6) and the gateway's
confirmed payment brings it back (6→4). No officer acts, so no role or scope is checked (a system
caller, like the supplement sweep); the event trail records the system as the author.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from motcua.core.errors import Conflict, NotFound
from motcua.dossiers.models import Dossier
from motcua.dossiers.services.events import event_append
from motcua.dossiers.states import STATUS_OF, Action, SubState, TransitionNotAllowed, resolve_target

#: Only actions whose effect is the status alone (effects.py maps both to nothing): no actor needed.
SYSTEM_ACTIONS = frozenset({Action.REQUEST_PAYMENT, Action.PAYMENT_RECEIVED})


def dossier_system_transition(
    *, dossier_code: str, action: Action, reason: str, payload: dict[str, Any], now: datetime | None = None
) -> Dossier:
    """Take `action` (one of `SYSTEM_ACTIONS`) on the dossier as the system, in one transaction."""
    if action not in SYSTEM_ACTIONS:
        raise ValueError(f"{action} is not a system action")
    at = now or timezone.now()
    with transaction.atomic():
        dossier = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("procedure", "receiving_center", "handling_agency")
            .filter(code=dossier_code)
            .first()
        )
        if dossier is None:
            raise NotFound("Không tìm thấy hồ sơ.", code="dossier_not_found")
        current = SubState(dossier.sub_state)
        try:
            target = resolve_target(action, current)
        except TransitionNotAllowed:
            raise Conflict(code="transition_not_allowed", action=action.value, sub_state=current.value) from None
        from_status = dossier.status
        dossier.sub_state, dossier.status = target, STATUS_OF[target]
        event_append(
            dossier=dossier,
            action=action.value,
            actor=None,
            at=at,
            from_status=from_status,
            from_sub_state=current,
            reason=reason,
            payload=payload,
        )
    return dossier
