"""Financial obligations (nghĩa vụ tài chính, state 6, domain.md §3): the handler asks the tax authority.

The request is recorded in the dossier's trail and written to the outbox in the same transaction; the
integrations app delivers it. The status does not change here: the tax authority's notice of an
obligation moves the dossier to state 6 and the gateway's confirmed payment brings it back
(`services.system`).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from motcua.core.errors import Conflict, PermissionDenied
from motcua.core.outbox import outbox_enqueue
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import agency_covers, dossier_lock_for_actor
from motcua.dossiers.services.events import event_append
from motcua.dossiers.states import TRANSITIONS, Action, SubState
from motcua.org.models import StaffUser

TAX, TAX_ASSESS = "tax", "assess"
TAX_ASSESSMENT_REQUESTED = "tax-assessment-requested"


def tax_assessment_request(*, actor: StaffUser, dossier_code: str, now: datetime | None = None) -> Dossier:
    """A handler of the competent body (whoever may declare the obligation) asks the tax authority for
    the dossier's financial obligation, while the dossier is being handled."""
    at = now or timezone.now()
    with transaction.atomic():
        dossier = dossier_lock_for_actor(actor, dossier_code)
        if actor.role not in TRANSITIONS[Action.REQUEST_PAYMENT].roles or not agency_covers(
            actor.agency_id, dossier.handling_agency
        ):
            raise PermissionDenied(code="tax_assessment_not_permitted")
        if dossier.sub_state != SubState.IN_HANDLING:
            raise Conflict("Chỉ hỏi nghĩa vụ tài chính khi hồ sơ đang được xử lý.", code="not_in_handling")
        event = event_append(
            dossier=dossier,
            action=TAX_ASSESSMENT_REQUESTED,
            actor=actor,
            at=at,
            from_status=dossier.status,
            from_sub_state=dossier.sub_state,
        )
        outbox_enqueue(
            partner=TAX,
            kind=TAX_ASSESS,
            payload={
                "MaHoSo": dossier.code,
                "MaTTHC": dossier.procedure.code,
                "SoDinhDanh": dossier.applicant_personal_id,
                "ChuHoSo": dossier.applicant_name,
            },
            dossier_code=dossier.code,
            idempotency_key=f"{TAX}:{dossier.code}:{event.seq}",
            now=at,
        )
    return dossier
