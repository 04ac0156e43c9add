"""Counter work: call-next order, recall and no-show, start/end with dossiers, park, transfer, break."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.core.errors import PermissionDenied
from motcua.org.tests.factories import StaffUserFactory
from motcua.queueing import events
from motcua.queueing.errors import CounterBusy, NoTicketAtCounter, UnknownCounter
from motcua.queueing.models import CounterState, Ticket, TicketSource, TicketStatus
from motcua.queueing.services.counter import (
    counter_break,
    ticket_call_next,
    ticket_call_parked,
    ticket_end,
    ticket_no_show,
    ticket_park,
    ticket_recall,
    ticket_start,
    ticket_transfer,
)
from motcua.queueing.services.setup import work_profile_set
from motcua.queueing.services.tickets import ticket_issue
from motcua.queueing.tests.conftest import Hall, build_hall


def issue(hall: Hall, service: str, group: str | None = None) -> Ticket:
    return ticket_issue(
        center_code=hall.center.code, service_code=service, source=TicketSource.KIOSK, priority_group_code=group
    )


def call(hall: Hall, counter: int = 0) -> str | None:
    ticket = ticket_call_next(counter_id=hall.counters[counter].id, actor=None)
    return ticket.label if ticket else None


@pytest.mark.django_db
def test_call_next_follows_work_profile_then_priority_then_arrival() -> None:
    hall = build_hall(counters=1, profiles=[["B", "A"]])
    issue(hall, "A")  # A001
    issue(hall, "B")  # B001
    issue(hall, "A", group="elderly")  # A002, priority
    issue(hall, "B")  # B002
    issue(hall, "B", group="merit")  # B003, higher priority than elderly

    order = [call(hall) for _ in range(6)]

    assert order == ["B003", "B001", "B002", "A002", "A001", None]


@pytest.mark.django_db
def test_counter_calls_only_services_of_its_profile() -> None:
    hall = build_hall(counters=2, profiles=[["A"], ["C"]])
    issue(hall, "C")

    assert call(hall, 0) is None
    assert call(hall, 1) == "C001"


def test_calling_next_ends_the_ticket_the_counter_had(hall: Hall) -> None:
    first = issue(hall, "A")
    issue(hall, "A")

    call(hall)
    call(hall)

    first.refresh_from_db()
    assert first.status == TicketStatus.DONE
    assert first.started_at == first.called_at
    assert first.ended_at is not None


def test_recall_then_no_show_after_the_configured_recalls(hall: Hall, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTCUA_QUEUE_MAX_RECALLS", "2")
    issue(hall, "A")
    counter_id = hall.counters[0].id
    call(hall)

    first = ticket_recall(counter_id=counter_id, actor=None)
    second = ticket_recall(counter_id=counter_id, actor=None)
    third = ticket_recall(counter_id=counter_id, actor=None)

    assert (first.recall_count, second.recall_count) == (1, 2)
    assert third.status == TicketStatus.NO_SHOW
    assert first.first_called_at == third.first_called_at
    with pytest.raises(NoTicketAtCounter):
        ticket_recall(counter_id=counter_id, actor=None)


def test_no_show_frees_the_counter(hall: Hall) -> None:
    issue(hall, "A")
    call(hall)

    ticket = ticket_no_show(counter_id=hall.counters[0].id, actor=None)

    assert ticket.status == TicketStatus.NO_SHOW
    assert CounterState.objects.get(counter=hall.counters[0]).current is None


def test_start_and_end_service_link_the_dossiers_received(hall: Hall) -> None:
    issue(hall, "A")
    counter_id = hall.counters[0].id
    call(hall)

    started = ticket_start(counter_id=counter_id, actor=None)
    ended = ticket_end(
        counter_id=counter_id, actor=None, dossier_codes=["H38.101-260301-0001", " ", "H38.101-260301-0002"]
    )

    assert started.status == TicketStatus.SERVING
    assert ended.status == TicketStatus.DONE
    assert ended.started_at is not None
    assert ended.ended_at is not None
    assert ended.ended_at >= ended.started_at
    assert sorted(ended.dossiers.values_list("dossier_code", flat=True)) == [
        "H38.101-260301-0001",
        "H38.101-260301-0002",
    ]
    with pytest.raises(NoTicketAtCounter):
        ticket_end(counter_id=counter_id, actor=None)


def test_parked_ticket_is_called_back_by_its_counter(hall: Hall) -> None:
    parked = issue(hall, "A")
    issue(hall, "A")
    counter_id = hall.counters[0].id
    call(hall)

    ticket_park(counter_id=counter_id, actor=None)
    assert call(hall) == "A002"
    with pytest.raises(CounterBusy):
        ticket_call_parked(counter_id=counter_id, ticket_id=parked.id, actor=None)
    ticket_end(counter_id=counter_id, actor=None)
    again = ticket_call_parked(counter_id=counter_id, ticket_id=parked.id, actor=None)

    assert again.status == TicketStatus.CALLED
    assert again.label == "A001"


@pytest.mark.django_db
def test_transfer_to_a_service_and_a_named_counter_keeps_the_place() -> None:
    hall = build_hall(counters=3, profiles=[["A"], ["B"], ["C"]])
    moved = issue(hall, "A")
    issue(hall, "B")
    call(hall, 0)

    ticket_transfer(counter_id=hall.counters[0].id, actor=None, service_code="B")
    assert call(hall, 1) == "A001"  # arrived before B001, so it keeps its place in B
    ticket_transfer(counter_id=hall.counters[1].id, actor=None, to_counter_number=3)

    assert call(hall, 0) is None
    assert call(hall, 2) == "A001"  # counter 3 serves C only, but the ticket was sent to it
    moved.refresh_from_db()
    assert moved.service.code == "B"
    assert moved.target_counter is None


def test_break_needs_a_free_counter_and_call_next_resumes(hall: Hall) -> None:
    counter_id = hall.counters[0].id
    issue(hall, "A")
    call(hall)
    with pytest.raises(CounterBusy):
        counter_break(counter_id=counter_id, actor=None)
    ticket_end(counter_id=counter_id, actor=None)

    state = counter_break(counter_id=counter_id, actor=None)
    assert state.state == CounterState.State.ON_BREAK
    call(hall)
    assert CounterState.objects.get(counter_id=counter_id).state == CounterState.State.OPEN


def test_only_officers_of_the_center_work_its_counters(hall: Hall) -> None:
    issue(hall, "A")
    officer = StaffUserFactory.create(center=hall.center)
    stranger = StaffUserFactory.create()

    with pytest.raises(PermissionDenied):
        ticket_call_next(counter_id=hall.counters[0].id, actor=stranger)
    ticket = ticket_call_next(counter_id=hall.counters[0].id, actor=officer)

    assert ticket is not None
    assert ticket.officer == officer


def test_tickets_of_earlier_days_and_appointments_before_their_slot_are_not_called(hall: Hall) -> None:
    stale = issue(hall, "A")
    Ticket.objects.filter(pk=stale.pk).update(day=timezone.localdate() - timedelta(days=1))
    early = issue(hall, "A")
    Ticket.objects.filter(pk=early.pk).update(queued_at=timezone.now() + timedelta(minutes=30))

    assert call(hall) is None


@pytest.mark.django_db
def test_a_changed_work_profile_or_a_closed_counter_takes_effect_at_the_next_call() -> None:
    """Call-next memoizes counters and profiles per process: an edit must still reach the very next call."""
    hall = build_hall(counters=1, profiles=[["A"]])
    issue(hall, "A")
    issue(hall, "B")
    issue(hall, "B")
    assert call(hall) == "A001"

    work_profile_set(counter=hall.counters[0], service_codes=["B"])
    assert call(hall) == "B001"

    hall.counters[0].is_active = False
    hall.counters[0].save()
    with pytest.raises(UnknownCounter):
        call(hall)


@pytest.mark.django_db(transaction=True)
def test_call_next_on_postgresql_is_five_round_trips_and_notifies() -> None:
    """Lock the counter's state, end its ticket, then call, save and notify in one statement: five round
    trips (there were eight); the board still hears the call, sent with the commit."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no data-modifying WITH: it runs the same steps as separate statements")
    hall = build_hall(counters=1)
    issue(hall, "A")
    issue(hall, "A")
    call(hall)  # the counter now holds A001, and its row and profile are memoized
    with events.backend().subscribe(hall.center.code) as board, CaptureQueriesContext(connection) as queries:
        assert call(hall) == "A002"
        heard = board.get(timeout=5)

    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["BEGIN", "SELECT", "UPDATE", "WITH", "COMMIT"]
    assert "FOR UPDATE" in queries.captured_queries[1]["sql"]
    assert [(e.kind, e.number, e.counter) for e in heard] == [("call", "A002", hall.counters[0].number)]
    assert Ticket.objects.get(label="A001").status == TicketStatus.DONE
    assert CounterState.objects.filter(counter=hall.counters[0], current__label="A002").exists()
