"""`generate`: simulate a province-year day by day and load it into PostgreSQL with COPY.

Streaming, in constant memory: a working day's reception times are drawn and sorted, then dossiers are
simulated in chunks of `batch`, numbered per handling body in reception order (gap-free, continuing the
day's counter when it already exists), chained, and written by COPY, one transaction per batch with the day
counters it reaches. At most about two batches of rows are held at a time, whatever the total.
"""

from __future__ import annotations

import json
import random
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone
from tqdm import tqdm

from motcua.core.errors import DomainError
from motcua.dossiers.audit import GENESIS, canonical_event, chain_hash
from motcua.dossiers.models import (
    Dossier,
    DossierEvent,
    DossierRating,
    DossierSequence,
    DossierStep,
    PaperTransfer,
    SupplementRequest,
)
from motcua.dossiers.services.events import SYSTEM_ACTOR, SYSTEM_ACTOR_NAME
from motcua.queueing.models import DailySequence, Rating, Ticket, TicketDossier, TicketSource, TicketStatus

from .life import Life, late, simulate
from .world import World, world_load

#: Relative volume by weekday (Monday peak, quieter Friday; a working Saturday is half a day).
WEEKDAY_WEIGHT = (1.25, 1.05, 1.0, 1.0, 0.85, 0.5, 0.5)
#: Morning office hours draw more citizens than the afternoon.
MORNING_SHARE = 0.6


@dataclass
class Summary:
    dossiers: int = 0
    events: int = 0
    steps: int = 0
    supplements: int = 0
    tickets: int = 0
    ratings: int = 0
    late: int = 0
    boundary_free: int = 0
    by_channel: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.dossiers / self.seconds if self.seconds else 0.0


class _Table:
    """COPY rows of one model: the columns the generator fills, then every other column at its default."""

    def __init__(self, model: type[models.Model], given: Sequence[str]) -> None:
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(given) - set(fields)
        assert not unknown, f"{model.__name__}: no field {unknown}"
        self.model = model
        self.given = list(given)
        self.json = {i for i, name in enumerate(self.given) if isinstance(fields[name], models.JSONField)}
        rest = [f for name, f in fields.items() if name not in given and not f.primary_key]
        self.defaults = tuple(_db_default(f) for f in rest)
        self.columns = [fields[name].column for name in self.given] + [f.column for f in rest]
        self.rows: list[tuple[Any, ...]] = []

    def add(self, values: dict[str, Any]) -> None:
        row = [values.get(name) for name in self.given]
        for i in self.json:
            row[i] = json.dumps(row[i], ensure_ascii=False)
        self.rows.append((*row, *self.defaults))

    def copy(self, cursor: Any) -> int:
        if not self.rows:
            return 0
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in self.rows:
                copy.write_row(row)
        written = len(self.rows)
        self.rows = []
        return written


def _db_default(f: models.Field[Any, Any]) -> Any:
    value = f.get_default()
    if isinstance(f, models.JSONField):
        return json.dumps(value)
    return value


_DOSSIER = (
    "id", "code", "procedure_id", "version_id", "channel", "status", "sub_state", "resume_sub_state", "outcome",
    "receiving_center_id", "handling_agency_id", "subject_unit_id", "return_place", "applicant_name",
    "applicant_personal_id", "applicant_phone", "applicant_address_unit_id", "received_at", "clock_started_at",
    "due_at", "original_due_at", "supplement_rounds", "late_by_supplements", "paused_at", "paused_total",
    "finished_at", "returned_at", "tracking_salt", "created_by_id", "vneid_verified", "population_db_linked",
    "event_count", "last_event_hash", "created_at", "updated_at",
)  # fmt: skip
_EVENT = (
    "dossier_id", "seq", "action", "from_status", "to_status", "from_sub_state", "to_sub_state", "actor_id",
    "actor_username", "actor_name", "actor_role", "at", "reason", "payload", "prev_hash", "hash",
)  # fmt: skip
_STEP = ("dossier_id", "order", "name", "role", "budget_days", "due_at", "assignee_id", "started_at", "finished_at")
_SUPPLEMENT = ("dossier_id", "round", "requested_at", "requested_by_id", "items", "reason", "received_at", "waited")
_PAPER = (
    "dossier_id", "transferred_at", "due_at", "sent_at", "sent_by_id", "carrier", "tracking_number", "received_at",
    "late",
)  # fmt: skip
_RATING = ("dossier_id", "officer_id", "satisfaction", "created_at", "updated_at")
_TICKET = (
    "id", "center_id", "service_id", "day", "number", "label", "source", "status", "issued_at", "queued_at",
    "called_at", "first_called_at", "started_at", "ended_at", "counter_id", "officer_id", "token", "created_at",
    "updated_at",
)  # fmt: skip
_TICKET_DOSSIER = ("ticket_id", "dossier_code")
_TICKET_RATING = ("ticket_id", "counter_id", "officer_id", "dossier_code", "score", "created_at", "updated_at")


class _Writer:
    def __init__(self) -> None:
        self.dossiers = _Table(Dossier, _DOSSIER)
        self.events = _Table(DossierEvent, _EVENT)
        self.steps = _Table(DossierStep, _STEP)
        self.supplements = _Table(SupplementRequest, _SUPPLEMENT)
        self.papers = _Table(PaperTransfer, _PAPER)
        self.ratings = _Table(DossierRating, _RATING)
        self.tickets = _Table(Ticket, _TICKET)
        self.ticket_dossiers = _Table(TicketDossier, _TICKET_DOSSIER)
        self.ticket_ratings = _Table(Rating, _TICKET_RATING)
        # Children after their parents: the foreign keys are checked row by row.
        self.order = [
            self.dossiers, self.events, self.steps, self.supplements, self.papers, self.ratings, self.tickets,
            self.ticket_dossiers, self.ticket_ratings,
        ]  # fmt: skip
        # The day counters reached so far, (agency or service, day) → last number: written with each batch,
        # so a batch never commits codes its counter does not cover.
        self.sequences: dict[tuple[int, date], int] = {}
        self.daily: dict[tuple[int, date], int] = {}

    def pending(self) -> int:
        return len(self.dossiers.rows)

    def flush(self) -> None:
        with transaction.atomic(), connection.cursor() as wrapper:
            cursor = wrapper.cursor
            for table in self.order:
                table.copy(cursor)
            # The day counters in one statement each (executemany would send one per row).
            for counter_table, key, rows in (
                (DossierSequence._meta.db_table, "agency_id", self.sequences),
                (DailySequence._meta.db_table, "service_id", self.daily),
            ):
                if rows:
                    keys = [key_ for key_, _ in rows]
                    days = [day for _, day in rows]
                    numbers = list(rows.values())
                    cursor.execute(
                        f"INSERT INTO {counter_table} ({key}, day, last_number) "  # noqa: S608 - model table names
                        "SELECT * FROM unnest(%s::bigint[], %s::date[], %s::integer[]) "
                        f"ON CONFLICT ({key}, day) DO UPDATE SET last_number = EXCLUDED.last_number",
                        [keys, days, numbers],
                    )
        self.sequences, self.daily = {}, {}


def _ids(table: str, count: int) -> Iterator[int]:
    """`count` ids from the table's own sequence, so rows inserted by the application later never clash."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count])
        return iter([row[0] for row in cursor.fetchall()])


def _day_shares(days: list[date], total: int) -> list[int]:
    """`total` dossiers over `days` by weekday weight, exactly (largest remainders)."""
    weights = [WEEKDAY_WEIGHT[day.weekday()] for day in days]
    scale = total / sum(weights)
    raw = [w * scale for w in weights]
    counts = [int(r) for r in raw]
    for i in sorted(range(len(days)), key=lambda i: raw[i] - counts[i], reverse=True)[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _instants(world: World, rng: random.Random, day: date, count: int) -> list[datetime]:
    (morning_open, morning_close), *afternoon = world.calendar.hours.intervals
    tz = world.calendar.tz
    out = []
    for _ in range(count):
        opening, closing = (morning_open, morning_close)
        if afternoon and rng.random() > MORNING_SHARE:
            opening, closing = afternoon[rng.randrange(len(afternoon))]
        start = datetime.combine(day, opening, tzinfo=tz)
        span = (datetime.combine(day, closing) - datetime.combine(day, opening)).total_seconds()
        out.append(start + timedelta(seconds=rng.uniform(0, span)))
    out.sort()
    return out


def generate(
    *,
    dossiers: int,
    year: int,
    seed: int = 1,
    now: datetime | None = None,
    batch: int = 5000,
    province_id: str | None = None,
    progress: bool = True,
) -> Summary:
    """Generate `dossiers` dossiers received in `year` (up to `now` for the current year), with their steps,
    hash-chained events, supplements, paper transfers, ratings and queue tickets; returns what was written."""
    from django.conf import settings

    if connection.vendor != "postgresql":
        raise DomainError(
            "Bộ sinh dữ liệu nạp bằng COPY nên cần PostgreSQL (DATABASE_URL).", code="generate_needs_postgresql"
        )
    if dossiers < 1:
        raise DomainError("Số hồ sơ phải lớn hơn 0.", code="generate_invalid_count")
    now = now or timezone.now()
    world = world_load(province_id=province_id or settings.MOTCUA_PROVINCE, seed=seed)
    first = date(year, 1, 1)
    # Up to the last whole day before `now`, so every reception lies in the past.
    last = min(date(year, 12, 31), timezone.localtime(now, world.calendar.tz).date() - timedelta(days=1))
    days = [d for d in world.calendar.working_dates if first <= d <= last]
    if not days:
        raise DomainError("Năm này chưa có ngày làm việc nào đã qua.", code="generate_no_days", year=year)
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    summary = Summary()
    writer = _Writer()
    began = time.perf_counter()
    with tqdm(total=dossiers, unit=" hồ sơ", disable=not progress, smoothing=0.05) as bar:
        for day, count in zip(days, _day_shares(days, dossiers), strict=True):
            counters = _DayCounters(day)
            instants = _instants(world, rng, day, count)
            # A day in chunks of `batch`, in reception order: memory stays bounded however big a day is.
            for start in range(0, len(instants), batch):
                lives = []
                for at in instants[start : start + batch]:
                    for _ in range(50):
                        life = simulate(world, rng, at, now)
                        if life is not None:
                            lives.append(life)
                            break
                    else:
                        raise DomainError(
                            "Không xác định được cơ quan giải quyết cho hồ sơ sinh ra.", code="generate_no_body"
                        )
                _write_chunk(world, writer, counters, lives, summary)
                bar.update(len(lives))
                if writer.pending() >= batch:
                    writer.flush()
        writer.flush()
    with connection.cursor() as cursor:
        for model in (Dossier, DossierEvent, DossierStep, Ticket):
            cursor.execute(f"ANALYZE {model._meta.db_table}")
    summary.seconds = time.perf_counter() - began
    return summary


def _existing(table: str, key: str, day: date) -> dict[int, int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {key}, last_number FROM {table} WHERE day = %s", [day])  # noqa: S608 - model names
        return dict(cursor.fetchall())


class _DayCounters:
    """A day's last numbers per handling body (codes) and per queue service (tickets), starting from the
    counters already in the database for that day."""

    def __init__(self, day: date) -> None:
        self.day = day
        self.codes = _existing(DossierSequence._meta.db_table, "agency_id", day)
        self.tickets = _existing(DailySequence._meta.db_table, "service_id", day)

    def next_code(self, agency: int) -> int:
        self.codes[agency] = self.codes.get(agency, 0) + 1
        return self.codes[agency]

    def next_ticket(self, service: int) -> int:
        self.tickets[service] = self.tickets.get(service, 0) + 1
        return self.tickets[service]


def _write_chunk(world: World, writer: _Writer, counters: _DayCounters, lives: list[Life], summary: Summary) -> None:
    day = counters.day
    ids = _ids(Dossier._meta.db_table, len(lives))
    tickets = sorted((life for life in lives if life.ticket), key=lambda life: life.ticket["issued_at"])  # type: ignore[index]
    ticket_ids = _ids(Ticket._meta.db_table, len(tickets)) if tickets else iter(())
    yymmdd = f"{day:%y%m%d}"
    for life in lives:
        agency = life.agency_id
        number = counters.next_code(agency)
        writer.sequences[(agency, day)] = number
        code = f"{world.agency_code[agency]}-{yymmdd}-{number:04d}"
        dossier_id = next(ids)
        prev = GENESIS
        for seq, event in enumerate(life.events, start=1):
            username = event.actor.username if event.actor else SYSTEM_ACTOR
            canonical = canonical_event(
                dossier_code=code,
                seq=seq,
                action=event.action,
                from_status=event.from_status,
                to_status=event.to_status,
                from_sub_state=event.from_sub_state,
                to_sub_state=event.to_sub_state,
                actor_username=username,
                at=event.at,
                reason=event.reason,
                payload=event.payload,
            )
            digest = chain_hash(canonical, prev)
            writer.events.add(
                {
                    "dossier_id": dossier_id,
                    "seq": seq,
                    "action": event.action,
                    "from_status": event.from_status,
                    "to_status": event.to_status,
                    "from_sub_state": event.from_sub_state,
                    "to_sub_state": event.to_sub_state,
                    "actor_id": event.actor.id if event.actor else None,
                    "actor_username": username,
                    "actor_name": event.actor.full_name if event.actor else SYSTEM_ACTOR_NAME,
                    "actor_role": event.actor.role if event.actor else "",
                    "at": event.at,
                    "reason": event.reason,
                    "payload": event.payload,
                    "prev_hash": prev,
                    "hash": digest,
                }
            )
            prev = digest
        row = dict(life.dossier, id=dossier_id, code=code, last_event_hash=prev)
        row.setdefault("resume_sub_state", "")
        row.setdefault("outcome", "")
        row.setdefault("supplement_rounds", 0)
        row.setdefault("late_by_supplements", False)
        writer.dossiers.add(row)
        for step in life.steps:
            writer.steps.add(dict(step, dossier_id=dossier_id))
        for request in life.supplements:
            writer.supplements.add(dict(request, dossier_id=dossier_id))
        if life.paper is not None:
            writer.papers.add({"late": False, "tracking_number": "", **life.paper, "dossier_id": dossier_id})
        if life.rating is not None:
            writer.ratings.add(dict(life.rating, dossier_id=dossier_id))
            summary.ratings += 1
        if life.ticket is not None:
            life.ticket["dossier_code"] = code
        summary.dossiers += 1
        summary.events += len(life.events)
        summary.steps += len(life.steps)
        summary.supplements += len(life.supplements)
        summary.late += late(life)
        desk_unit = world.center_unit.get(row["receiving_center_id"])
        summary.boundary_free += desk_unit is not None and desk_unit != row["subject_unit_id"]
        summary.by_channel[row["channel"]] += 1
    _write_tickets(writer, counters, tickets, ticket_ids, summary)


def _write_tickets(
    writer: _Writer, counters: _DayCounters, lives: list[Life], ids: Iterator[int], summary: Summary
) -> None:
    """Queue numbers per service in issue order (within a chunk), continuing the service's counter of the day."""
    day = counters.day
    for life in lives:
        ticket = life.ticket
        assert ticket is not None
        service = ticket["service_id"]
        number = counters.next_ticket(service)
        writer.daily[(service, day)] = number
        ticket_id = next(ids)
        writer.tickets.add(
            dict(
                ticket,
                id=ticket_id,
                day=day,
                number=number,
                label=f"{ticket['letter']}{number:03d}",
                source=TicketSource.KIOSK,
                status=TicketStatus.DONE,
                queued_at=ticket["issued_at"],
                first_called_at=ticket["called_at"],
                created_at=ticket["issued_at"],
                updated_at=ticket["ended_at"],
            )
        )
        writer.ticket_dossiers.add({"ticket_id": ticket_id, "dossier_code": ticket["dossier_code"]})
        if ticket["rating"] is not None and ticket["counter_id"] is not None:
            writer.ticket_ratings.add(
                {
                    "ticket_id": ticket_id,
                    "counter_id": ticket["counter_id"],
                    "officer_id": ticket["officer_id"],
                    "dossier_code": ticket["dossier_code"],
                    "score": ticket["rating"],
                    "created_at": ticket["ended_at"],
                    "updated_at": ticket["ended_at"],
                }
            )
        summary.tickets += 1
