"""Issuing numbers: letter + number per service and day, priority groups, staff tickets, errors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.core.errors import PermissionDenied
from motcua.org.tests.factories import StaffUserFactory
from motcua.queueing import events
from motcua.queueing.errors import UnknownCenter, UnknownPriorityGroup, UnknownService
from motcua.queueing.models import ORDINARY_PRIORITY, DailySequence, TicketSource, TicketStatus
from motcua.queueing.services.setup import queue_service_upsert
from motcua.queueing.services.tickets import ticket_issue
from motcua.queueing.tests.conftest import Hall, build_hall


def issue(hall: Hall, service: str = "A", **kwargs: object) -> str:
    ticket = ticket_issue(
        center_code=hall.center.code,
        service_code=service,
        source=TicketSource.KIOSK,
        **kwargs,  # type: ignore[arg-type]
    )
    return ticket.label


def test_numbers_run_per_service_with_the_service_letter(hall: Hall) -> None:
    labels = [issue(hall, "A"), issue(hall, "A"), issue(hall, "B"), issue(hall, "A")]

    assert labels == ["A001", "A002", "B001", "A003"]


def test_numbers_restart_each_day(hall: Hall) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    DailySequence.objects.create(service=hall.services["A"], day=yesterday, last_number=57)

    assert issue(hall) == "A001"


def test_a_ticket_waits_with_ordinary_priority_unless_a_group_is_named(hall: Hall) -> None:
    ordinary = ticket_issue(center_code=hall.center.code, service_code="A", source=TicketSource.WEB)
    elderly = ticket_issue(
        center_code=hall.center.code, service_code="A", source=TicketSource.KIOSK, priority_group_code="elderly"
    )

    assert ordinary.status == TicketStatus.WAITING
    assert ordinary.priority == ORDINARY_PRIORITY
    assert elderly.priority_group is not None
    assert elderly.priority == elderly.priority_group.rank < ORDINARY_PRIORITY


def test_unknown_center_service_or_group_are_refused(hall: Hall) -> None:
    with pytest.raises(UnknownCenter):
        ticket_issue(center_code="nowhere", service_code="A", source=TicketSource.KIOSK)
    with pytest.raises(UnknownService):
        issue(hall, "Z")
    with pytest.raises(UnknownPriorityGroup):
        issue(hall, priority_group_code="vip")


def test_staff_tickets_need_an_officer_of_the_center(hall: Hall) -> None:
    own = StaffUserFactory.create(center=hall.center)
    other = StaffUserFactory.create()

    assert ticket_issue(center_code=hall.center.code, service_code="A", source=TicketSource.STAFF, actor=own)
    with pytest.raises(PermissionDenied):
        ticket_issue(center_code=hall.center.code, service_code="A", source=TicketSource.STAFF, actor=other)


@pytest.mark.django_db(transaction=True)
def test_issue_on_postgresql_is_one_statement_and_the_boards_hear_it() -> None:
    """The kiosk's number, the day's counter and the boards' notification in one autocommit statement; a
    renamed service is read afresh (the memo of services is dropped by the edit)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite numbers under its writer lock in separate statements")
    hall = build_hall(counters=1)
    issue(hall)  # the service is memoized
    with events.backend().subscribe(hall.center.code) as board, CaptureQueriesContext(connection) as queries:
        assert issue(hall) == "A002"
        heard = board.get(timeout=5)

    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["WITH"]
    assert [(e.kind, e.center) for e in heard] == [("queue", hall.center.code)]
    queue_service_upsert(center=hall.center, code="A", name="Hộ tịch", position=1)
    ticket = ticket_issue(center_code=hall.center.code, service_code="A", source=TicketSource.KIOSK)
    assert ticket.service.name == "Hộ tịch"
