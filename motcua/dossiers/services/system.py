"""What the system records on a partner's word (tax authority, payment gateway, public post).

A tax notice of a financial obligation moves a handled dossier to state 6 (4→6) and the gateway's
confirmed payment brings it back (6→4). The post's booking gives a shipment's tracking number and its
delivery notice ends the trip: the paper dossier is received by the handling body, or the result has
reached the applicant. No officer acts, so no role or scope is checked (a system caller, like the
supplement sweep); the event trail records the system as the author.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from motcua.core.errors import Conflict, NotFound
from motcua.dossiers.models import Dossier, PaperTransfer
from motcua.dossiers.services.events import event_append
from motcua.dossiers.services.paper import paper_transfer_receive
from motcua.dossiers.services.postal import Carries
from motcua.dossiers.states import STATUS_OF, Action, SubState, TransitionNotAllowed, resolve_target

#: Only actions whose effect is the status alone (effects.py maps both to nothing): no actor needed.
SYSTEM_ACTIONS = frozenset({Action.REQUEST_PAYMENT, Action.PAYMENT_RECEIVED})
POST_BOOKED, RESULT_DELIVERED = "post-booked", "result-delivered"


def dossier_system_transition(
    *, dossier_code: str, action: Action, reason: str, payload: dict[str, Any], now: datetime | None = None
) -> Dossier:
    """Take `action` (one of `SYSTEM_ACTIONS`) on the dossier as the system, in one transaction."""
    if action not in SYSTEM_ACTIONS:
        raise ValueError(f"{action} is not a system action")
    at = now or timezone.now()
    with transaction.atomic():
        dossier = _locked(dossier_code)
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


def postal_booked(*, dossier_code: str, carries: Carries, tracking_number: str, now: datetime | None = None) -> None:
    """The post booked the pickup: the tracking number goes on the paper transfer, and in the trail."""
    at = now or timezone.now()
    with transaction.atomic():
        dossier = _locked(dossier_code)
        if carries is Carries.PAPER:
            PaperTransfer.objects.filter(dossier=dossier).update(tracking_number=tracking_number)
        _record(dossier, POST_BOOKED, at, {"carries": carries.value, "tracking_number": tracking_number})


def postal_delivered(*, dossier_code: str, carries: Carries, tracking_number: str, delivered_at: datetime) -> None:
    """The post delivered: the paper dossier counts as received by the handling body at `delivered_at`
    (late after its working day), or the result as delivered to the applicant."""
    if carries is Carries.PAPER:
        try:
            paper_transfer_receive(actor=None, dossier_code=dossier_code, now=delivered_at)
        except Conflict as exc:
            # The handling body confirmed the arrival before the post's notice came: nothing more to record.
            if exc.code != "paper_already_received":
                raise
        return
    with transaction.atomic():
        _record(_locked(dossier_code), RESULT_DELIVERED, delivered_at, {"tracking_number": tracking_number})


def _locked(dossier_code: str) -> Dossier:
    dossier = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("procedure", "receiving_center", "handling_agency")
        .filter(code=dossier_code)
        .first()
    )
    if dossier is None:
        raise NotFound("Không tìm thấy hồ sơ.", code="dossier_not_found")
    return dossier


def _record(dossier: Dossier, action: str, at: datetime, payload: dict[str, Any]) -> None:
    event_append(
        dossier=dossier,
        action=action,
        actor=None,
        at=at,
        from_status=dossier.status,
        from_sub_state=dossier.sub_state,
        payload=payload,
    )
