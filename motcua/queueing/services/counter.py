"""Counter work: call next, recall, no-show, start, end, park, transfer, break.

Every action locks the counter's state row first, so one counter's actions run one at a time; calling
next also locks the chosen ticket (skipping tickets another counter holds), so a ticket is called by
exactly one counter. On SQLite, writers run one at a time (`queue_write`), which gives the same result.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import connection
from django.utils import timezone

from motcua.config import env
from motcua.org.models import Counter, StaffUser
from motcua.queueing.errors import CounterBusy, NoTicketAtCounter, TicketNotCallable, UnknownCounter, UnknownService
from motcua.queueing.events import QueueEvent, pg_notify_sql, publish_on_commit
from motcua.queueing.models import (
    AT_COUNTER,
    CounterState,
    QueueService,
    Ticket,
    TicketDossier,
    TicketStatus,
    ticket_columns,
    ticket_returning,
)
from motcua.queueing.permissions import check_counter
from motcua.queueing.selectors.counter import CounterWork, counter_work
from motcua.queueing.transactions import queue_transaction

#: The fields `_call` sets.
CALL_FIELDS = ["status", "called_at", "first_called_at", "counter", "officer", "updated_at"]


def max_recalls() -> int:
    return int(env("MOTCUA_QUEUE_MAX_RECALLS"))


@queue_transaction
def ticket_call_next(*, counter_id: int, actor: StaffUser | None) -> Ticket | None:
    """Gọi số tiếp theo: first tickets transferred to this counter, then by the work profile's order,
    then priority group, then arrival. Ends the ticket the counter had. None when nobody waits.

    The busiest write of the queue, so it reads the counter and its profile from the process's memo and
    writes in plain SQL (compiling ORM queries cost more than running them): on PostgreSQL five round
    trips (BEGIN, lock the counter's state, end its ticket, one statement that calls, saves the state and
    notifies the boards, COMMIT).
    """
    work = counter_work(counter_id)
    if work is None:
        raise UnknownCounter(counter=counter_id)
    check_counter(actor, work.counter)
    current_id, officer_id = _lock_state(counter_id)
    ticket = _call_next_waiting(
        work, current_id=current_id, officer_id=actor.pk if actor else officer_id, now=timezone.now()
    )
    if ticket is not None:
        # The memo's rows, so reading the called ticket's center, counter or service costs no query.
        ticket.center, ticket.counter = work.counter.center, work.counter
        service = next((s for s in work.services if s.pk == ticket.service_id), None)
        if service is not None:  # else a ticket transferred here from a service outside the profile
            ticket.service = service
    return ticket


@queue_transaction
def ticket_call_parked(*, counter_id: int, ticket_id: int, actor: StaffUser | None) -> Ticket:
    """Call back a ticket this counter parked (tạm gác), when the counter is free."""
    state = _lock_counter(counter_id, actor)
    if state.current_id is not None:
        raise CounterBusy(counter=counter_id)
    ticket = Ticket.objects.select_for_update().filter(pk=ticket_id, counter_id=counter_id).first()
    if ticket is None or ticket.status != TicketStatus.PARKED:
        raise TicketNotCallable(ticket=ticket_id)
    now = timezone.now()
    _call(ticket, state, now)
    ticket.save(update_fields=CALL_FIELDS)
    state.current = ticket
    state.state = CounterState.State.OPEN
    state.save(update_fields=["current", "state"])
    return ticket


@queue_transaction
def ticket_recall(*, counter_id: int, actor: StaffUser | None) -> Ticket:
    """Gọi lại the called number; after `MOTCUA_QUEUE_MAX_RECALLS` recalls the next one marks it absent."""
    state = _lock_counter(counter_id, actor)
    ticket = _current(state, TicketStatus.CALLED)
    if ticket.recall_count >= max_recalls():
        return _no_show(state, ticket)
    ticket.recall_count += 1
    _call(ticket, state, timezone.now())
    ticket.save(update_fields=[*CALL_FIELDS, "recall_count"])
    return ticket


@queue_transaction
def ticket_no_show(*, counter_id: int, actor: StaffUser | None) -> Ticket:
    """Vắng mặt: the called citizen did not come."""
    state = _lock_counter(counter_id, actor)
    return _no_show(state, _current(state, TicketStatus.CALLED))


@queue_transaction
def ticket_start(*, counter_id: int, actor: StaffUser | None) -> Ticket:
    """Bắt đầu phục vụ: the citizen is at the counter."""
    state = _lock_counter(counter_id, actor)
    ticket = _current(state, TicketStatus.CALLED)
    ticket.status = TicketStatus.SERVING
    ticket.started_at = timezone.now()
    ticket.save(update_fields=["status", "started_at", "updated_at"])
    return ticket


@queue_transaction
def ticket_end(*, counter_id: int, actor: StaffUser | None, dossier_codes: Sequence[str] = ()) -> Ticket:
    """Kết thúc phục vụ, linking the dossiers (hồ sơ) received from this ticket."""
    state = _lock_counter(counter_id, actor)
    ticket = _current(state, *AT_COUNTER)
    _finish_ticket(state.current_id, timezone.now())
    ticket.refresh_from_db()
    state.current = None
    state.save(update_fields=["current"])
    ticket_link_dossiers(ticket=ticket, dossier_codes=dossier_codes)
    return ticket


def ticket_link_dossiers(*, ticket: Ticket, dossier_codes: Sequence[str]) -> None:
    """Record the dossiers received from a ticket (inside the caller's transaction)."""
    codes = sorted({code.strip() for code in dossier_codes if code.strip()})
    TicketDossier.objects.bulk_create(
        [TicketDossier(ticket=ticket, dossier_code=code) for code in codes], ignore_conflicts=True
    )


@queue_transaction
def ticket_park(*, counter_id: int, actor: StaffUser | None) -> Ticket:
    """Tạm gác: the citizen must fetch a paper; the counter serves others and calls this ticket back later."""
    state = _lock_counter(counter_id, actor)
    ticket = _current(state, *AT_COUNTER)
    ticket.status = TicketStatus.PARKED
    ticket.save(update_fields=["status", "updated_at"])
    state.current = None
    state.save(update_fields=["current"])
    return ticket


@queue_transaction
def ticket_transfer(
    *, counter_id: int, actor: StaffUser | None, service_code: str | None = None, to_counter_number: int | None = None
) -> Ticket:
    """Chuyển: back to the queue of another service and/or for a named counter, keeping its place (arrival)."""
    state = _lock_counter(counter_id, actor)
    ticket = _current(state, *AT_COUNTER)
    counter = state.counter
    if service_code:
        service = QueueService.objects.filter(center_id=counter.center_id, code=service_code, is_active=True).first()
        if service is None:
            raise UnknownService(service=service_code)
        ticket.service = service
    ticket.target_counter = None
    if to_counter_number is not None:
        target = Counter.objects.filter(center_id=counter.center_id, number=to_counter_number, is_active=True).first()
        if target is None:
            raise UnknownCounter(counter=to_counter_number)
        ticket.target_counter = target
    ticket.status = TicketStatus.WAITING
    ticket.called_at = ticket.started_at = None
    ticket.counter = None
    ticket.recall_count = 0
    ticket.save()
    state.current = None
    state.save(update_fields=["current"])
    publish_on_commit(QueueEvent(center=counter.center.code, kind="queue"))
    return ticket


@queue_transaction
def counter_break(*, counter_id: int, actor: StaffUser | None) -> CounterState:
    """Tạm nghỉ; the next call-next resumes work."""
    state = _lock_counter(counter_id, actor)
    if state.current_id is not None:
        raise CounterBusy(counter=counter_id)
    state.state = CounterState.State.ON_BREAK
    state.since = timezone.now()
    state.save(update_fields=["state", "since"])
    return state


def _lock_counter(counter_id: int, actor: StaffUser | None) -> CounterState:
    state = (
        CounterState.objects.select_for_update(of=("self",))
        .select_related("counter__center")
        .filter(counter_id=counter_id, counter__is_active=True)
        .first()
    )
    if state is None:
        counter = Counter.objects.filter(pk=counter_id, is_active=True).first()
        if counter is None:
            raise UnknownCounter(counter=counter_id)
        # The counter's first action ever: concurrent first actions insert once, then all take the lock.
        CounterState.objects.bulk_create([CounterState(counter=counter)], ignore_conflicts=True)
        state = (
            CounterState.objects.select_for_update(of=("self",)).select_related("counter__center").get(counter=counter)
        )
    check_counter(actor, state.counter)
    return state


def _current(state: CounterState, *statuses: TicketStatus) -> Ticket:
    ticket = Ticket.objects.select_for_update().filter(pk=state.current_id).first() if state.current_id else None
    if ticket is None or ticket.status not in statuses:
        raise NoTicketAtCounter(counter=state.counter_id)
    return ticket


def _lock_state(counter_id: int) -> tuple[int | None, int | None]:
    """Lock the counter's state row (its current ticket and officer) until commit; create it on the
    counter's first action ever (concurrent first actions insert once, then all take the lock)."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    sql = f"SELECT current_id, officer_id FROM {CounterState._meta.db_table} WHERE counter_id = %s{lock}"  # noqa: S608 - names from the model
    with connection.cursor() as cursor:
        cursor.execute(sql, [counter_id])
        row = cursor.fetchone()
        if row is None:
            CounterState.objects.bulk_create([CounterState(counter_id=counter_id)], ignore_conflicts=True)
            cursor.execute(sql, [counter_id])
            row = cursor.fetchone()
    return row[0], row[1]


def _call_next_waiting(
    work: CounterWork, *, current_id: int | None, officer_id: int | None, now: datetime
) -> Ticket | None:
    """End the counter's current ticket, call the first waiting ticket sent to this counter, else of each
    service of the work profile in its order, and save the counter's state; on PostgreSQL the call and
    the save in one statement that also sends the boards' notification (delivered at commit, as
    `publish_on_commit` would).

    The call is UPDATE … WHERE id = COALESCE(head of queue 1, head of queue 2, …) RETURNING. Each head is
    read from `ticket_waiting_idx` in (priority, arrival, id) order, one queue at a time rather than one
    query sorted by the profile's order, which would sort every waiting ticket of the day. COALESCE
    evaluates its arguments left to right and stops at the first that is not null, so a queue is read
    (and its head locked) only when the queues before it had nobody. On PostgreSQL another counter's
    transaction may hold the best ticket: SKIP LOCKED takes the next one instead of waiting (SQLite runs
    one writer at a time).
    """
    counter = work.counter
    lock = " FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    # Raw SQL: values adapted as the ORM would (SQLite stores datetimes as text in UTC).
    at = connection.ops.adapt_datetimefield_value(now)
    day = connection.ops.adapt_datefield_value(timezone.localdate(now))
    table, states = Ticket._meta.db_table, CounterState._meta.db_table
    head = (
        f"(SELECT id FROM {table} WHERE status = %s AND day = %s AND queued_at <= %s AND {{}} "  # noqa: S608 - names from the model
        f"ORDER BY priority, queued_at, id LIMIT 1{lock})"
    )
    heads = [head.format("target_counter_id = %s")]
    head_params: list[Any] = [TicketStatus.WAITING, day, at, counter.id]
    for service in work.services:
        heads.append(head.format("service_id = %s AND target_counter_id IS NULL"))
        head_params += [TicketStatus.WAITING, day, at, service.id]
    call = (
        f"UPDATE {table} SET status = %s, called_at = %s, first_called_at = COALESCE(first_called_at, %s), "  # noqa: S608 - names from the model
        "counter_id = %s, officer_id = %s, target_counter_id = NULL, updated_at = %s "
        f"WHERE id = COALESCE({', '.join(heads)}) RETURNING {ticket_columns()}"
    )
    call_params = [TicketStatus.CALLED, at, at, counter.id, officer_id, at, *head_params]
    save = f"UPDATE {states} SET state = %s, officer_id = %s, current_id = {{}}, since = %s WHERE counter_id = %s"  # noqa: S608 - names from the model
    save_params = [CounterState.State.OPEN, officer_id, at, counter.id]
    # Its own statement, before the call: a call statement's head scan may lock a ticket another counter
    # called since that statement's snapshot (the lock outlives the failed recheck), so ending the
    # current ticket inside the call statement could wait on a counter that waits on us.
    _finish_ticket(current_id, now)
    if connection.vendor == "postgresql":
        notify, notify_params = pg_notify_sql(
            QueueEvent(center=counter.center.code, kind="call", counter=counter.number), number_sql="label"
        )
        return ticket_returning(
            f"WITH called AS ({call}), "  # noqa: S608 - names from the model
            f"saved AS ({save.format('(SELECT id FROM called)')}) "
            f"SELECT {ticket_columns()}, {notify} FROM called",
            [*call_params, *save_params, *notify_params],
        )
    ticket = ticket_returning(call, call_params)
    with connection.cursor() as cursor:
        cursor.execute(save.format("%s"), [*save_params[:2], ticket.pk if ticket else None, *save_params[2:]])
    if ticket is not None:
        publish_on_commit(
            QueueEvent(center=counter.center.code, kind="call", number=ticket.label, counter=counter.number)
        )
    return ticket


def _call(ticket: Ticket, state: CounterState, now: datetime) -> None:
    ticket.status = TicketStatus.CALLED
    ticket.called_at = now
    ticket.first_called_at = ticket.first_called_at or now
    ticket.counter = state.counter
    ticket.officer = state.officer
    publish_on_commit(
        QueueEvent(center=state.counter.center.code, kind="call", number=ticket.label, counter=state.counter.number)
    )


def _finish_ticket(ticket_id: int | None, now: datetime) -> None:
    """End the ticket a counter holds: a called ticket never started counts as served from its call."""
    if ticket_id is not None:
        at = connection.ops.adapt_datetimefield_value(now)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Ticket._meta.db_table} SET status = %s, started_at = COALESCE(started_at, called_at), "  # noqa: S608 - names from the model
                "ended_at = %s, updated_at = %s WHERE id = %s AND status IN (%s, %s)",
                [TicketStatus.DONE, at, at, ticket_id, *AT_COUNTER],
            )


def _no_show(state: CounterState, ticket: Ticket) -> Ticket:
    ticket.status = TicketStatus.NO_SHOW
    ticket.save(update_fields=["status", "updated_at"])
    state.current = None
    state.save(update_fields=["current"])
    publish_on_commit(QueueEvent(center=state.counter.center.code, kind="queue"))
    return ticket
