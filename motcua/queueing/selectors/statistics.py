"""Queue statistics of a center over a period: waiting and service times, no-shows, peak hours.

Waiting time runs from when the ticket joined the queue (`queued_at`: issue, or the booked slot's start)
to its first call; service time from the start of service to its end, for served tickets only.
Figures are computed in Python over one query's rows: a center's period is thousands of tickets, and
it keeps the date arithmetic identical on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from django.utils import timezone

from motcua.org.models import StaffUser
from motcua.queueing.models import Ticket, TicketStatus
from motcua.queueing.permissions import check_statistics
from motcua.queueing.selectors.board import active_center

K = TypeVar("K", str, int)

#: How many of the busiest hours count as peak hours.
PEAK_HOURS = 3


@dataclass(frozen=True)
class Row:
    service: str
    counter: str
    officer: str
    status: str
    hour: int
    wait_s: float | None
    service_s: float | None


@dataclass(frozen=True)
class Figures:
    issued: int
    called: int
    served: int
    no_show: int
    avg_wait_s: float | None
    max_wait_s: float | None
    avg_service_s: float | None

    @property
    def avg_wait_min(self) -> float | None:
        return _minutes(self.avg_wait_s)

    @property
    def max_wait_min(self) -> float | None:
        return _minutes(self.max_wait_s)

    @property
    def avg_service_min(self) -> float | None:
        return _minutes(self.avg_service_s)

    @classmethod
    def of(cls, rows: list[Row]) -> Figures:
        waits = [row.wait_s for row in rows if row.wait_s is not None]
        services = [row.service_s for row in rows if row.service_s is not None]
        return cls(
            issued=len(rows),
            called=len(waits),
            served=sum(row.status == TicketStatus.DONE for row in rows),
            no_show=sum(row.status == TicketStatus.NO_SHOW for row in rows),
            avg_wait_s=sum(waits) / len(waits) if waits else None,
            max_wait_s=max(waits) if waits else None,
            avg_service_s=sum(services) / len(services) if services else None,
        )


@dataclass(frozen=True)
class Statistics:
    center: str
    start: date
    end: date
    total: Figures
    by_service: list[tuple[str, Figures]]
    by_counter: list[tuple[str, Figures]]
    by_officer: list[tuple[str, Figures]]
    by_hour: list[tuple[int, Figures]]
    peak_hours: list[int]


def queue_statistics(*, center_code: str, start: date, end: date, actor: StaffUser) -> Statistics:
    """Statistics of the tickets issued from `start` to `end` (inclusive), for those allowed to read them."""
    center = active_center(center_code)
    check_statistics(actor, center)
    values = Ticket.objects.filter(center=center, day__gte=start, day__lte=end).values_list(
        "service__code",
        "service__name",
        "counter__number",
        "officer__username",
        "officer__first_name",
        "officer__last_name",
        "status",
        "issued_at",
        "queued_at",
        "first_called_at",
        "started_at",
        "ended_at",
    )
    rows = [
        Row(
            service=f"{code} – {name}",
            counter=str(counter) if counter is not None else "",
            officer=_officer(username, first, last),
            status=status,
            hour=timezone.localtime(issued).hour,
            wait_s=_seconds(queued, first_called),
            service_s=_seconds(started, ended) if status == TicketStatus.DONE else None,
        )
        for code, name, counter, username, first, last, status, issued, queued, first_called, started, ended in values
    ]
    by_hour = _grouped(rows, lambda row: row.hour)
    busiest = sorted(by_hour, key=lambda item: (-item[1].issued, item[0]))[:PEAK_HOURS]
    return Statistics(
        center=center.code,
        start=start,
        end=end,
        total=Figures.of(rows),
        by_service=_grouped(rows, lambda row: row.service),
        by_counter=_grouped((row for row in rows if row.counter), lambda row: row.counter),
        by_officer=_grouped((row for row in rows if row.officer), lambda row: row.officer),
        by_hour=by_hour,
        peak_hours=sorted(hour for hour, figures in busiest if figures.issued),
    )


def _grouped(rows: Iterable[Row], key: Callable[[Row], K]) -> list[tuple[K, Figures]]:
    groups: dict[K, list[Row]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return [(name, Figures.of(group)) for name, group in sorted(groups.items())]


def _seconds(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return max((end - start).total_seconds(), 0.0)


def _officer(username: str | None, first: str | None, last: str | None) -> str:
    if not username:
        return ""
    full = f"{last or ''} {first or ''}".strip()
    return full or username


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)
