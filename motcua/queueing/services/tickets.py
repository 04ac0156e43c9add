"""Issuing numbers: at the kiosk, on the web, by staff, and at an appointment's check-in."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from functools import partial
from typing import Any

from django.db import connection
from django.utils import timezone

from motcua.core.reference_cache import reference_cached
from motcua.org.models import ServiceCenter, StaffUser
from motcua.queueing.errors import UnknownCenter, UnknownPriorityGroup, UnknownService
from motcua.queueing.events import QueueEvent, pg_notify_sql, publish_on_commit
from motcua.queueing.models import (
    ORDINARY_PRIORITY,
    DailySequence,
    PriorityGroup,
    QueueService,
    Ticket,
    TicketSource,
    TicketStatus,
    ticket_columns,
    ticket_returning,
)
from motcua.queueing.permissions import check_center_staff
from motcua.queueing.transactions import queue_write


def ticket_issue(
    *,
    center_code: str,
    service_code: str,
    source: TicketSource,
    priority_group_code: str | None = None,
    actor: StaffUser | None = None,
) -> Ticket:
    """Cấp số: the next number of the service today (A001, A002, ...), gap-free under concurrency.

    Kiosk and web tickets have no actor; a staff ticket needs an officer of the center.
    """
    service = _active_service(center_code, service_code)
    if source == TicketSource.STAFF:
        check_center_staff(actor, service.center)
    group = _priority_group(priority_group_code)
    now = timezone.now()
    issue = partial(
        issue_locked,
        service=service,
        source=source,
        priority=group.rank if group else ORDINARY_PRIORITY,
        priority_group=group,
        queued_at=now,
        now=now,
    )
    if connection.vendor == "postgresql":
        # One statement, so its own transaction: the day's counter row is locked only while the server
        # runs it, never across a round trip to this process (see `_insert_numbered`).
        return issue()
    with queue_write():
        return issue()


def issue_locked(
    *,
    service: QueueService,
    source: TicketSource,
    priority: int,
    priority_group: PriorityGroup | None,
    queued_at: datetime,
    now: datetime,
) -> Ticket:
    """Create the ticket inside the caller's transaction, holding the day's sequence row until commit.

    Holding the lock until commit is what makes numbers gap-free: a rolled-back issue gives its number back.
    """
    values: dict[str, Any] = {
        "created_at": now,
        "updated_at": now,
        "center_id": service.center_id,
        "service_id": service.id,
        "day": timezone.localdate(now),
        "source": source,
        "priority_group_id": priority_group.id if priority_group else None,
        "priority": priority,
        "status": TicketStatus.WAITING,
        "issued_at": now,
        "queued_at": queued_at,
        "recall_count": 0,
        "token": secrets.token_urlsafe(12),
    }
    event = QueueEvent(center=service.center.code, kind="queue")
    if connection.vendor == "postgresql":
        ticket = _insert_numbered(values, service.code, event)
    else:
        number = _next_number(service.id, values["day"])
        ticket = Ticket.objects.create(number=number, label=f"{service.code}{number:03d}", **values)
        publish_on_commit(event)
    ticket.service = service
    ticket.center = service.center
    ticket.priority_group = priority_group
    return ticket


#: The day's counter: created at 1 by the day's first ticket, else incremented. The row stays locked
#: until the transaction ends, which keeps numbers gap-free (a rolled-back issue gives its number back).
_SEQUENCE_UPSERT = (
    f"INSERT INTO {DailySequence._meta.db_table} (service_id, day, last_number) VALUES (%s, %s, 1) "  # noqa: S608 - table name from the model
    f"ON CONFLICT (service_id, day) DO UPDATE SET last_number = {DailySequence._meta.db_table}.last_number + 1 "
    "RETURNING last_number"
)


def _next_number(service_id: int, day: date) -> int:
    with connection.cursor() as cursor:
        cursor.execute(_SEQUENCE_UPSERT, [service_id, connection.ops.adapt_datefield_value(day)])
        (number,) = cursor.fetchone()
    return int(number)


def _insert_numbered(values: dict[str, Any], code: str, event: QueueEvent) -> Ticket:
    """PostgreSQL: number, ticket and the boards' notification (sent at commit) in one statement (the
    counter upsert in a CTE feeds the INSERT).

    Under a burst the counter row is the queue's one point of contention: taking it and inserting the
    ticket in separate statements kept it locked across three round trips to a busy client process.
    """
    columns = ", ".join(values)
    notify, notify_params = pg_notify_sql(event)
    # The label is the letter and the number padded to three digits, longer numbers in full (A001, A1000).
    ticket = ticket_returning(
        f"WITH seq AS ({_SEQUENCE_UPSERT}) "  # noqa: S608 - table and column names from the model
        f"INSERT INTO {Ticket._meta.db_table} ({columns}, number, label) "
        f"SELECT {', '.join(['%s'] * len(values))}, seq.last_number, "
        "%s || lpad(seq.last_number::text, greatest(3, length(seq.last_number::text)), '0') FROM seq "
        f"RETURNING {ticket_columns()}, {notify}",
        [values["service_id"], values["day"], *values.values(), code, *notify_params],
    )
    assert ticket is not None  # an INSERT … SELECT from the upsert's one row inserts one ticket
    return ticket


def _active_service(center_code: str, service_code: str) -> QueueService:
    """The active service with its center, memoized per process (see `core.reference_cache`): a kiosk
    issues numbers all day from the same few services."""
    service = reference_cached(
        "queueing.service",
        (center_code, service_code),
        lambda: (
            QueueService.objects.select_related("center")
            .filter(center__code=center_code, code=service_code, is_active=True, center__is_active=True)
            .first()
        ),
    )
    if service is None:
        if not ServiceCenter.objects.filter(code=center_code, is_active=True).exists():
            raise UnknownCenter(center=center_code)
        raise UnknownService(center=center_code, service=service_code)
    return service


def _priority_group(code: str | None) -> PriorityGroup | None:
    if not code:
        return None
    group = reference_cached(
        "queueing.priority_group", code, lambda: PriorityGroup.objects.filter(code=code, is_active=True).first()
    )
    if group is None:
        raise UnknownPriorityGroup(priority_group=code)
    return group
