"""The outbox's services: enqueue in the caller's transaction, claim due messages, record outcomes, resend.

Partner-agnostic on purpose: dossier services (below `integrations` in the layers) write messages here
in the same transaction as their change; `integrations.delivery` claims and delivers them.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, F, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from motcua.config import env
from motcua.core.inserts import row_build, rows_insert
from motcua.core.models_outbox import OutboxMessage, OutboxState

#: Called once after the commit of a transaction that enqueued messages (the integrations app registers
#: the task that wakes a worker; core cannot import it).
_wakers: list[Callable[[], None]] = []


def outbox_register_waker(waker: Callable[[], None]) -> None:
    if waker not in _wakers:
        _wakers.append(waker)


def _wake() -> None:
    for waker in _wakers:
        waker()


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter: attempt n waits base·2^(n-1), capped, times a random 0.5–1."""

    base: timedelta
    cap: timedelta
    max_attempts: int
    #: How long a claimed message is hidden from other workers while it is being delivered.
    lease: timedelta = timedelta(minutes=2)

    @classmethod
    def from_env(cls) -> RetryPolicy:
        return cls(
            base=timedelta(milliseconds=int(env("MOTCUA_OUTBOX_BACKOFF_MS"))),
            cap=timedelta(hours=1),
            max_attempts=int(env("MOTCUA_OUTBOX_MAX_ATTEMPTS")),
        )

    def delay(self, attempts: int) -> timedelta:
        raw: timedelta = min(self.base * (2 ** max(attempts - 1, 0)), self.cap)
        jitter: float = random.uniform(0.5, 1.0)  # noqa: S311 - jitter, not security
        delay: timedelta = raw * jitter
        return delay


def outbox_enqueue(
    *,
    partner: str,
    kind: str,
    payload: dict[str, Any],
    dossier_code: str | None = None,
    idempotency_key: str,
    now: datetime | None = None,
) -> None:
    """Write one message in the caller's transaction; the same `idempotency_key` again keeps the first."""
    at = now or timezone.now()
    # One `INSERT … ON CONFLICT DO NOTHING` on the unique key: no read first and no savepoint, and a
    # concurrent writer of the same key leaves exactly one row.
    rows_insert(
        [
            row_build(
                OutboxMessage,
                idempotency_key=idempotency_key,
                partner=partner,
                kind=kind,
                payload=payload,
                dossier_code=dossier_code or "",
                next_attempt_at=at,
                created_at=at,
            )
        ],
        ignore_conflicts=True,
    )
    # One wake-up per transaction, however many messages it writes.
    if not any(entry[1] is _wake for entry in connection.run_on_commit):
        transaction.on_commit(_wake)


def _earlier_pending() -> Exists:
    return Exists(
        OutboxMessage.objects.filter(
            state=OutboxState.PENDING,
            partner=OuterRef("partner"),
            dossier_code=OuterRef("dossier_code"),
            id__lt=OuterRef("id"),
        )
    )


def outbox_claim_due(*, limit: int, policy: RetryPolicy, now: datetime | None = None) -> list[OutboxMessage]:
    """Take up to `limit` due messages for delivery: each is leased (hidden for `policy.lease`) so another
    worker skips it, and none has an earlier pending message of the same dossier and partner."""
    at = now or timezone.now()
    with transaction.atomic():
        due = (
            OutboxMessage.objects.filter(state=OutboxState.PENDING, next_attempt_at__lte=at)
            .filter(Q(dossier_code="") | ~_earlier_pending())
            .order_by("next_attempt_at", "id")
            .select_for_update(skip_locked=True)[:limit]
        )
        messages = list(due)
        OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).update(next_attempt_at=at + policy.lease)
    return messages


def outbox_mark_delivered(*, message_id: int, reply: dict[str, Any] | None, now: datetime | None = None) -> None:
    OutboxMessage.objects.filter(pk=message_id, state=OutboxState.PENDING).update(
        state=OutboxState.DELIVERED,
        attempts=F("attempts") + 1,
        reply=reply,
        last_error="",
        delivered_at=now or timezone.now(),
    )


def outbox_mark_failed(
    *, message_id: int, error: str, permanent: bool, policy: RetryPolicy, now: datetime | None = None
) -> OutboxState:
    """Record a failed attempt: retry later with backoff, or a dead letter (permanent error, or the last
    attempt). Returns the message's new state."""
    at = now or timezone.now()
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message_id)
        message.attempts += 1
        message.last_error = error[:2000]
        if permanent or message.attempts >= policy.max_attempts:
            message.state = OutboxState.DEAD
        else:
            message.next_attempt_at = at + policy.delay(message.attempts)
        message.save(update_fields=["attempts", "last_error", "state", "next_attempt_at"])
    return OutboxState(message.state)


def outbox_resend(*, message_ids: list[int], now: datetime | None = None) -> int:
    """Put dead letters back in the queue (an officer's decision from the admin); the count resent.
    The idempotency key stays, so a message the partner did apply is not applied twice."""
    at = now or timezone.now()
    with transaction.atomic():
        count = OutboxMessage.objects.filter(pk__in=message_ids, state=OutboxState.DEAD).update(
            state=OutboxState.PENDING, attempts=0, next_attempt_at=at
        )
        if count:
            transaction.on_commit(_wake)
    return count


@dataclass(frozen=True)
class Backlog:
    pending: int
    dead: int
    oldest_pending_at: datetime | None

    def oldest_age_seconds(self, now: datetime) -> float:
        return (now - self.oldest_pending_at).total_seconds() if self.oldest_pending_at else 0.0


def outbox_backlog() -> Backlog:
    """Monitoring: messages waiting, dead letters, and the creation time of the oldest waiting one."""
    pending = OutboxMessage.objects.filter(state=OutboxState.PENDING)
    oldest = pending.aggregate(oldest=Min("created_at"))["oldest"]
    return Backlog(
        pending=pending.count(),
        dead=OutboxMessage.objects.filter(state=OutboxState.DEAD).count(),
        oldest_pending_at=oldest,
    )


def outbox_messages(*, dossier_code: str | None = None, state: str | None = None) -> QuerySet[OutboxMessage]:
    """Selector for the supervisors' list (the caller checks the role)."""
    messages = OutboxMessage.objects.all()
    if dossier_code:
        messages = messages.filter(dossier_code=dossier_code)
    if state:
        messages = messages.filter(state=state)
    return messages
