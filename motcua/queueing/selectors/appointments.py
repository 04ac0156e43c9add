"""Appointment slots a citizen can still book."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import F, QuerySet
from django.utils import timezone

from motcua.org.models import ServiceCenter
from motcua.queueing.models import AppointmentSlot

#: How far ahead citizens may book.
BOOKING_HORIZON = timedelta(days=14)


def open_slots(*, center: ServiceCenter) -> QuerySet[AppointmentSlot]:
    now = timezone.now()
    return (
        AppointmentSlot.objects.select_related("service")
        .filter(
            service__center=center,
            service__is_active=True,
            starts_at__gt=now,
            starts_at__lte=now + BOOKING_HORIZON,
            booked__lt=F("capacity"),
        )
        .order_by("starts_at", "service__position")
    )
