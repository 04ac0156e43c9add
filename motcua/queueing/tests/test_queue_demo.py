"""`motcua queue-demo`: default services, work profiles and appointment slots, idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from motcua.org.tests.factories import ServiceCenterFactory
from motcua.queueing.models import AppointmentSlot, QueueService, WorkProfileEntry
from motcua.queueing.tests.factories import CounterFactory


@pytest.mark.django_db
def test_queue_demo_sets_up_every_center_and_runs_twice() -> None:
    center = ServiceCenterFactory.create()
    counters = [CounterFactory.create(center=center, number=n) for n in (1, 2, 3, 4)]

    call_command("queue_demo", stdout=StringIO())
    slots = AppointmentSlot.objects.count()
    call_command("queue_demo", stdout=StringIO())

    assert list(QueueService.objects.filter(center=center).values_list("code", flat=True)) == ["A", "B", "C", "D"]
    first_choice = [WorkProfileEntry.objects.get(counter=counter, position=1).service.code for counter in counters]
    assert first_choice == ["A", "B", "C", "A"]
    assert all(WorkProfileEntry.objects.filter(counter=counter).count() == 4 for counter in counters)
    assert AppointmentSlot.objects.count() == slots
