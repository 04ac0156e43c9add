"""What the officer's counter screen and the rating tablet show."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from motcua.core.reference_cache import reference_cached
from motcua.org.models import Counter, StaffUser
from motcua.queueing.errors import UnknownCounter
from motcua.queueing.models import (
    AT_COUNTER,
    CounterState,
    QueueService,
    Rating,
    Ticket,
    TicketStatus,
    WorkProfileEntry,
)
from motcua.queueing.permissions import check_counter
from motcua.queueing.selectors.board import center_services

#: The rating tablet offers the last ticket served at the counter for this long.
RATING_WINDOW = timedelta(minutes=10)


@dataclass(frozen=True)
class Desk:
    counter: Counter
    state: CounterState | None
    current: Ticket | None
    parked: list[Ticket]
    waiting: Sequence[QueueService]
    other_counters: list[Counter]

    @property
    def state_label(self) -> str:
        return self.state.get_state_display() if self.state else CounterState.State.CLOSED.label


@dataclass(frozen=True)
class CounterWork:
    """What call-next needs to know of a counter besides its state: the counter with its center, and the
    services of its work profile (hồ sơ công việc) in the order it calls them. Shared, read-only rows."""

    counter: Counter
    services: tuple[QueueService, ...]


def counter_work(counter_id: int) -> CounterWork | None:
    """The active counter's work, memoized per process (see `core.reference_cache`: counters, services
    and work profiles are watched, so an edit reaches every process within seconds)."""

    def load() -> CounterWork | None:
        counter = Counter.objects.select_related("center").filter(pk=counter_id, is_active=True).first()
        if counter is None:
            return None
        services = QueueService.objects.filter(profile_entries__counter=counter).order_by("profile_entries__position")
        return CounterWork(counter=counter, services=tuple(services))

    return reference_cached("queueing.counter_work", counter_id, load)


def counter_for_actor(*, counter_id: int, actor: StaffUser) -> Counter:
    counter = Counter.objects.select_related("center").filter(pk=counter_id, is_active=True).first()
    if counter is None:
        raise UnknownCounter(counter=counter_id)
    check_counter(actor, counter)
    return counter


def counter_desk(*, counter_id: int, actor: StaffUser) -> Desk:
    counter = counter_for_actor(counter_id=counter_id, actor=actor)
    state = CounterState.objects.select_related("current__service").filter(counter=counter).first()
    today = timezone.localdate()
    # The center's services with their waiting counts, the counter's own first (its work profile order).
    services = list(
        center_services(counter.center).annotate(
            waiting=Count("tickets", filter=Q(tickets__status=TicketStatus.WAITING, tickets__day=today))
        )
    )
    profile = dict(WorkProfileEntry.objects.filter(counter=counter).values_list("service_id", "position"))
    services.sort(key=lambda service: profile.get(service.id, len(profile) + 1 + service.position))
    return Desk(
        counter=counter,
        state=state,
        current=state.current if state and state.current and state.current.status in AT_COUNTER else None,
        parked=list(
            Ticket.objects.filter(counter=counter, status=TicketStatus.PARKED, day=today).order_by("called_at")
        ),
        waiting=services,
        other_counters=list(Counter.objects.filter(center=counter.center, is_active=True).exclude(pk=counter.pk)),
    )


def rating_candidate(*, counter_id: int, actor: StaffUser) -> Ticket | None:
    """The ticket the counter served last, if recent and not yet rated."""
    counter = counter_for_actor(counter_id=counter_id, actor=actor)
    ticket = (
        Ticket.objects.filter(counter=counter, status=TicketStatus.DONE, ended_at__gte=timezone.now() - RATING_WINDOW)
        .order_by("-ended_at")
        .first()
    )
    if ticket is None or Rating.objects.filter(ticket=ticket).exists():
        return None
    return ticket
