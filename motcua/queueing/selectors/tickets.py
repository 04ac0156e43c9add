"""A ticket's place in the queue and its estimated wait, for the kiosk, the API and the citizen's phone."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from motcua.queueing.errors import UnknownTicket
from motcua.queueing.models import CounterState, QueueService, Ticket, TicketStatus

#: Rolling service-time statistics: the last this-many served tickets of the service, within the window.
ROLLING_SAMPLE = 30
ROLLING_WINDOW = timedelta(days=14)
#: The live page warns the citizen when this many people or fewer are ahead.
CLOSE_AT = 3


@dataclass(frozen=True)
class Position:
    ticket: Ticket
    waiting_before: int
    estimated_wait_s: int

    @property
    def is_close(self) -> bool:
        return self.ticket.status == TicketStatus.WAITING and self.waiting_before <= CLOSE_AT


def ticket_by_token(token: str) -> Ticket:
    ticket = Ticket.objects.select_related("service", "center", "counter").filter(token=token).first()
    if ticket is None:
        raise UnknownTicket()
    return ticket


def ticket_position(ticket: Ticket) -> Position:
    """People ahead in the ticket's service (priority, then arrival) and the wait that implies."""
    if ticket.status != TicketStatus.WAITING:
        return Position(ticket=ticket, waiting_before=0, estimated_wait_s=0)
    ahead = (
        Ticket.objects.filter(service_id=ticket.service_id, day=ticket.day, status=TicketStatus.WAITING)
        .filter(
            Q(priority__lt=ticket.priority)
            | Q(priority=ticket.priority, queued_at__lt=ticket.queued_at)
            | Q(priority=ticket.priority, queued_at=ticket.queued_at, id__lt=ticket.id)
        )
        .count()
    )
    per_ticket = service_time_s(ticket.service) / serving_counters(ticket.service)
    return Position(ticket=ticket, waiting_before=ahead, estimated_wait_s=math.ceil(ahead * per_ticket))


def service_time_s(service: QueueService) -> float:
    """Mean service time of the service's recent tickets; the configured default until there are any."""
    recent = list(
        Ticket.objects.filter(
            service=service,
            status=TicketStatus.DONE,
            ended_at__gte=timezone.now() - ROLLING_WINDOW,
            started_at__isnull=False,
        )
        .order_by("-ended_at")
        .values_list("started_at", "ended_at")[:ROLLING_SAMPLE]
    )
    durations = [(end - start).total_seconds() for start, end in recent if start and end]
    if not durations:
        return float(service.default_service_s)
    return sum(durations) / len(durations)


def serving_counters(service: QueueService) -> int:
    """Open counters whose work profile has the service; at least one (the queue moves eventually)."""
    open_count = CounterState.objects.filter(
        state=CounterState.State.OPEN, counter__work_profile__service=service, counter__is_active=True
    ).count()
    return max(open_count, 1)
