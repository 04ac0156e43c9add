"""What a center's board (TV page) shows: current call per counter, recent calls, waiting per service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from motcua.org.models import ServiceCenter
from motcua.queueing.errors import UnknownCenter
from motcua.queueing.models import CounterState, QueueService, Ticket, TicketStatus

#: How many recent calls the board lists.
RECENT_CALLS = 8


@dataclass(frozen=True)
class BoardCall:
    counter: int
    number: str
    called_at: datetime


@dataclass(frozen=True)
class BoardService:
    code: str
    name: str
    waiting: int


@dataclass(frozen=True)
class Board:
    center: str
    center_name: str
    current: list[BoardCall]
    calls: list[BoardCall]
    services: list[BoardService]

    def as_json(self) -> dict[str, Any]:
        """The API's and the live stream's shape (api-contract.md), times ISO 8601 with the local offset."""

        def call(item: BoardCall) -> dict[str, Any]:
            return {
                "counter": item.counter,
                "number": item.number,
                "called_at": timezone.localtime(item.called_at).isoformat(),
            }

        return {
            "center": self.center,
            "center_name": self.center_name,
            "current": [call(item) for item in self.current],
            "calls": [call(item) for item in self.calls],
            "services": [{"code": s.code, "name": s.name, "waiting": s.waiting} for s in self.services],
        }


def active_center(code: str) -> ServiceCenter:
    center = ServiceCenter.objects.filter(code=code, is_active=True).first()
    if center is None:
        raise UnknownCenter(center=code)
    return center


def board_for_center(center_code: str) -> Board:
    """Three queries whatever the size of the center."""
    center = active_center(center_code)
    today = timezone.localdate()
    calls = [
        _call(counter, label, called_at)
        for counter, label, called_at in Ticket.objects.filter(
            center=center, day=today, called_at__isnull=False, counter__isnull=False
        )
        .order_by("-called_at", "-id")
        .values_list("counter__number", "label", "called_at")[:RECENT_CALLS]
    ]
    current = [
        _call(counter, label, called_at)
        for counter, label, called_at in CounterState.objects.filter(
            counter__center=center, current__isnull=False, current__called_at__isnull=False
        )
        .order_by("counter__number")
        .values_list("counter__number", "current__label", "current__called_at")
    ]
    services = [
        BoardService(code=service.code, name=service.name, waiting=service.waiting)
        for service in center_services(center).annotate(
            waiting=Count("tickets", filter=Q(tickets__status=TicketStatus.WAITING, tickets__day=today))
        )
    ]
    return Board(center=center.code, center_name=center.name, current=current, calls=calls, services=services)


def center_services(center: ServiceCenter) -> QuerySet[QueueService]:
    return QueueService.objects.filter(center=center, is_active=True).order_by("position", "code")


def _call(counter: int, label: str, called_at: datetime | None) -> BoardCall:
    assert called_at is not None  # the queries select called tickets only
    return BoardCall(counter=counter, number=label, called_at=called_at)
