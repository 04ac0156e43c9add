"""Appointments: slots with a capacity, online booking, check-in at the kiosk."""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from motcua.queueing.errors import AppointmentNotToday, SlotUnavailable, UnknownAppointment, UnknownSlot
from motcua.queueing.models import (
    APPOINTMENT_PRIORITY,
    Appointment,
    AppointmentSlot,
    QueueService,
    Ticket,
    TicketSource,
)
from motcua.queueing.services.tickets import issue_locked
from motcua.queueing.transactions import queue_transaction

#: Office hours that slots cover (the usual 7:30–11:30 and 13:30–17:00 of Vietnamese public offices).
OFFICE_PERIODS = ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 0)))
#: Booking codes avoid look-alike characters (0/O, 1/I, 2/Z, 5/S, 8/B) because citizens type them.
CODE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"
CODE_LENGTH = 6


@queue_transaction
def appointment_slots_create(*, service: QueueService, day: date, capacity: int, minutes: int = 30) -> None:
    """Slots of `minutes` across the office hours of `day`; existing slots are kept as they are."""
    zone = timezone.get_current_timezone()
    slots = []
    for start, end in OFFICE_PERIODS:
        moment = datetime.combine(day, start, tzinfo=zone)
        period_end = datetime.combine(day, end, tzinfo=zone)
        while moment + timedelta(minutes=minutes) <= period_end:
            slots.append(
                AppointmentSlot(
                    service=service, starts_at=moment, ends_at=moment + timedelta(minutes=minutes), capacity=capacity
                )
            )
            moment += timedelta(minutes=minutes)
    AppointmentSlot.objects.bulk_create(slots, ignore_conflicts=True)


@queue_transaction
def appointment_book(*, slot_id: int, full_name: str, phone: str) -> Appointment:
    """Đặt lịch: takes one place of the slot (its row is locked, so the capacity holds under concurrency)."""
    slot = AppointmentSlot.objects.select_for_update().filter(pk=slot_id, service__is_active=True).first()
    if slot is None:
        raise UnknownSlot(slot=slot_id)
    if slot.booked >= slot.capacity or slot.starts_at <= timezone.now():
        raise SlotUnavailable(slot=slot_id)
    slot.booked += 1
    slot.save(update_fields=["booked"])
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return Appointment.objects.create(slot=slot, code=code, full_name=full_name.strip(), phone=phone.strip())


@queue_transaction
def appointment_check_in(*, center_code: str, code: str) -> Ticket:
    """The booked citizen arrives: a ticket that is called first once the slot begins, not before."""
    appointment = (
        Appointment.objects.select_for_update()
        .select_related("slot__service__center")
        .filter(code=code.strip().upper(), slot__service__center__code=center_code)
        .first()
    )
    if appointment is None:
        raise UnknownAppointment(code=code)
    slot = appointment.slot
    now = timezone.now()
    if (
        appointment.status != Appointment.Status.BOOKED
        or timezone.localdate(slot.starts_at) != timezone.localdate(now)
        or now > slot.ends_at
    ):
        raise AppointmentNotToday(code=appointment.code)
    ticket = issue_locked(
        service=slot.service,
        source=TicketSource.APPOINTMENT,
        priority=APPOINTMENT_PRIORITY,
        priority_group=None,
        queued_at=max(now, slot.starts_at),
        now=now,
    )
    appointment.status = Appointment.Status.CHECKED_IN
    appointment.ticket = ticket
    appointment.save(update_fields=["status", "ticket", "updated_at"])
    return ticket
