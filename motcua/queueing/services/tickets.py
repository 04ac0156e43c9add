"""Issuing numbers: at the kiosk, on the web, by staff, and at an appointment's check-in."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from django.utils import timezone

from motcua.org.models import ServiceCenter, StaffUser
from motcua.queueing.errors import UnknownCenter, UnknownPriorityGroup, UnknownService
from motcua.queueing.events import QueueEvent, publish_on_commit
from motcua.queueing.models import ORDINARY_PRIORITY, DailySequence, PriorityGroup, QueueService, Ticket, TicketSource
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
    with queue_write():
        return issue_locked(
            service=service,
            source=source,
            priority=group.rank if group else ORDINARY_PRIORITY,
            priority_group=group,
            queued_at=now,
            now=now,
        )


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
    day = timezone.localdate(now)
    number = _next_number(service, day)
    ticket = Ticket.objects.create(
        center=service.center,
        service=service,
        day=day,
        number=number,
        label=f"{service.code}{number:03d}",
        source=source,
        priority_group=priority_group,
        priority=priority,
        issued_at=now,
        queued_at=queued_at,
        token=secrets.token_urlsafe(12),
    )
    publish_on_commit(QueueEvent(center=service.center.code, kind="queue"))
    return ticket


def _next_number(service: QueueService, day: date) -> int:
    sequence = DailySequence.objects.select_for_update().filter(service=service, day=day).first()
    if sequence is None:
        # The day's first ticket: concurrent first issues insert once (the others' inserts are ignored),
        # then every one of them takes the row lock below.
        DailySequence.objects.bulk_create([DailySequence(service=service, day=day)], ignore_conflicts=True)
        sequence = DailySequence.objects.select_for_update().get(service=service, day=day)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number


def _active_service(center_code: str, service_code: str) -> QueueService:
    service = (
        QueueService.objects.select_related("center")
        .filter(center__code=center_code, code=service_code, is_active=True, center__is_active=True)
        .first()
    )
    if service is None:
        if not ServiceCenter.objects.filter(code=center_code, is_active=True).exists():
            raise UnknownCenter(center=center_code)
        raise UnknownService(center=center_code, service=service_code)
    return service


def _priority_group(code: str | None) -> PriorityGroup | None:
    if not code:
        return None
    group = PriorityGroup.objects.filter(code=code, is_active=True).first()
    if group is None:
        raise UnknownPriorityGroup(priority_group=code)
    return group
