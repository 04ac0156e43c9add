"""Appointments (capacity, check-in, served at the slot) and ratings at the counter."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.queueing.errors import AppointmentNotToday, RatingNotAllowed, SlotUnavailable
from motcua.queueing.models import APPOINTMENT_PRIORITY, AppointmentSlot, RatingScore, TicketSource
from motcua.queueing.services.appointments import appointment_book, appointment_check_in
from motcua.queueing.services.counter import ticket_call_next, ticket_end
from motcua.queueing.services.ratings import rating_submit
from motcua.queueing.services.tickets import ticket_issue
from motcua.queueing.tests.conftest import Hall


def slot(hall: Hall, starts_in: timedelta, capacity: int = 1) -> AppointmentSlot:
    start = timezone.now() + starts_in
    return AppointmentSlot.objects.create(
        service=hall.services["A"], starts_at=start, ends_at=start + timedelta(minutes=30), capacity=capacity
    )


def test_a_slot_takes_no_more_bookings_than_its_capacity(hall: Hall) -> None:
    later = slot(hall, timedelta(hours=1), capacity=1)

    appointment = appointment_book(slot_id=later.id, full_name=" Nguyễn Văn A ", phone="0912345678")
    with pytest.raises(SlotUnavailable):
        appointment_book(slot_id=later.id, full_name="Trần Thị B", phone="0987654321")

    assert appointment.full_name == "Nguyễn Văn A"
    assert len(appointment.code) == 6


@pytest.mark.usefixtures("morning_clock")
def test_checked_in_citizen_is_called_first_but_not_before_the_slot(hall: Hall) -> None:
    later = slot(hall, timedelta(minutes=20))
    booked = appointment_book(slot_id=later.id, full_name="Lê Văn C", phone="0900000000")
    walk_in = ticket_issue(center_code=hall.center.code, service_code="A", source=TicketSource.KIOSK)

    ticket = appointment_check_in(center_code=hall.center.code, code=booked.code.lower())
    first = ticket_call_next(counter_id=hall.counters[0].id, actor=None)

    assert ticket.source == TicketSource.APPOINTMENT
    assert ticket.priority == APPOINTMENT_PRIORITY
    assert ticket.queued_at == later.starts_at
    assert first == walk_in  # the slot has not begun
    with pytest.raises(AppointmentNotToday):
        appointment_check_in(center_code=hall.center.code, code=booked.code)  # used once


@pytest.mark.usefixtures("morning_clock")
def test_checked_in_citizen_goes_ahead_once_the_slot_began(hall: Hall) -> None:
    current = slot(hall, timedelta(minutes=1))
    booked = appointment_book(slot_id=current.id, full_name="Lê Văn C", phone="0900000000")
    AppointmentSlot.objects.filter(pk=current.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    ticket_issue(center_code=hall.center.code, service_code="A", source=TicketSource.KIOSK)

    ticket = appointment_check_in(center_code=hall.center.code, code=booked.code)

    assert ticket_call_next(counter_id=hall.counters[0].id, actor=None) == ticket


def test_rating_is_tied_to_the_ticket_officer_and_first_dossier(hall: Hall) -> None:
    issued = ticket_issue(center_code=hall.center.code, service_code="A", source=TicketSource.KIOSK)
    counter_id = hall.counters[0].id
    with pytest.raises(RatingNotAllowed):
        rating_submit(counter_id=counter_id, ticket_id=issued.id, score=RatingScore.SATISFIED, actor=None)
    ticket_call_next(counter_id=counter_id, actor=None)
    with pytest.raises(RatingNotAllowed):  # not served yet
        rating_submit(counter_id=counter_id, ticket_id=issued.id, score=RatingScore.SATISFIED, actor=None)
    ticket_end(counter_id=counter_id, actor=None, dossier_codes=["H38.101-260302-0001"])

    rating = rating_submit(
        counter_id=counter_id, ticket_id=issued.id, score=RatingScore.DISSATISFIED, comment=" Chờ lâu ", actor=None
    )

    assert (rating.ticket, rating.counter, rating.dossier_code) == (issued, hall.counters[0], "H38.101-260302-0001")
    assert rating.comment == "Chờ lâu"
    with pytest.raises(RatingNotAllowed):
        rating_submit(counter_id=counter_id, ticket_id=issued.id, score=RatingScore.SATISFIED, actor=None)
