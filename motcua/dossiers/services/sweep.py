"""The supplement sweep: a dossier waiting for a supplement longer than its procedure allows is closed.

Some decrees close a dossier when the applicant has not completed it within 15 working days of the
request (domain.md §4.4). The limit is the procedure's `supplement_close_days` (empty: never, the
default). The system takes the `close-unsupplied` action (5→8, Dừng xử lý), recorded in the event trail
with the system as its author, so Mẫu 05 can be printed for it. Run by `motcua dossiers-sweep`; running it
again closes nothing more (idempotent), and each dossier is closed in its own transaction under its lock.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from motcua.dossiers.models import Dossier
from motcua.dossiers.services import deadlines
from motcua.dossiers.services.events import event_append
from motcua.dossiers.services.steps import steps_finish_all
from motcua.dossiers.states import STATUS_OF, Action, SubState, resolve_target


def dossiers_close_unsupplied(*, now: datetime | None = None) -> list[str]:
    """Close every overdue waiting dossier (a system caller: no actor, no permission check); the codes."""
    at = now or timezone.now()
    candidates = Dossier.objects.filter(
        status=STATUS_OF[SubState.WAITING_SUPPLEMENT],
        sub_state=SubState.WAITING_SUPPLEMENT,
        paused_at__lt=at,
        procedure__supplement_close_days__isnull=False,
    ).values_list("pk", flat=True)
    return [code for pk in list(candidates) if (code := _close_if_overdue(pk, at)) is not None]


def _close_if_overdue(pk: int, at: datetime) -> str | None:
    with transaction.atomic():
        dossier = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("procedure", "handling_agency")
            .filter(pk=pk, sub_state=SubState.WAITING_SUPPLEMENT, paused_at__isnull=False)
            .first()
        )
        days = dossier.procedure.supplement_close_days if dossier is not None else None
        if dossier is None or dossier.paused_at is None or days is None:
            return None
        calendar = deadlines.calendar_for(dossier.handling_agency.province_id)
        limit = deadlines.supplement_close_due(dossier.paused_at, days, calendar)
        if at <= limit:
            return None
        current = SubState(dossier.sub_state)
        target = resolve_target(Action.CLOSE_UNSUPPLIED, current)
        from_status = dossier.status
        dossier.sub_state, dossier.status = target, STATUS_OF[target]
        dossier.resume_sub_state = ""
        dossier.finished_at = at
        steps_finish_all(dossier=dossier, at=at)
        event_append(
            dossier=dossier,
            action=Action.CLOSE_UNSUPPLIED.value,
            actor=None,
            at=at,
            from_status=from_status,
            from_sub_state=current,
            reason=f"Quá {days} ngày làm việc kể từ khi yêu cầu bổ sung mà chưa nhận được hồ sơ bổ sung.",
            payload={"requested_at": dossier.paused_at.isoformat(), "close_after": limit.isoformat()},
        )
        return dossier.code
