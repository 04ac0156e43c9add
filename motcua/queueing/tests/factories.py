# mypy: disallow-untyped-calls=False
"""Factories of the queue, with traits for ticket states: `TicketFactory(called=True)`, `(done=True)`, ..."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.utils import timezone
from factory.declarations import LazyAttribute, LazyFunction, SelfAttribute, Sequence, SubFactory, Trait
from factory.django import DjangoModelFactory

from motcua.org.models import Counter
from motcua.org.tests.factories import ServiceCenterFactory
from motcua.queueing.models import QueueService, Ticket, TicketSource, TicketStatus


class CounterFactory(DjangoModelFactory[Counter]):
    class Meta:
        model = Counter

    center = SubFactory(ServiceCenterFactory)
    number = Sequence(lambda n: n + 1)


class QueueServiceFactory(DjangoModelFactory[QueueService]):
    class Meta:
        model = QueueService

    center = SubFactory(ServiceCenterFactory)
    code = Sequence(lambda n: chr(ord("A") + n % 26))
    name = Sequence(lambda n: f"Dịch vụ {n}")


class TicketFactory(DjangoModelFactory[Ticket]):
    """A waiting ticket issued now; traits move it along: called, serving, done, no_show, parked."""

    class Meta:
        model = Ticket

    service = SubFactory(QueueServiceFactory)
    center = SelfAttribute("service.center")
    day = LazyAttribute(lambda o: timezone.localdate(o.issued_at))
    number = Sequence(lambda n: n + 1)
    label = LazyAttribute(lambda o: f"{o.service.code}{o.number:03d}")
    source = TicketSource.KIOSK
    issued_at = LazyFunction(timezone.now)
    queued_at = SelfAttribute("issued_at")
    token = LazyFunction(lambda: secrets.token_urlsafe(12))

    class Params:
        called = Trait(
            status=TicketStatus.CALLED,
            counter=SubFactory(CounterFactory, center=SelfAttribute("..center")),
            called_at=LazyAttribute(lambda o: o.queued_at + timedelta(minutes=5)),
            first_called_at=SelfAttribute("called_at"),
        )
        serving = Trait(
            called=True,
            status=TicketStatus.SERVING,
            started_at=LazyAttribute(lambda o: o.called_at + timedelta(minutes=1)),
        )
        done = Trait(
            serving=True,
            status=TicketStatus.DONE,
            ended_at=LazyAttribute(lambda o: o.started_at + timedelta(minutes=10)),
        )
        no_show = Trait(called=True, status=TicketStatus.NO_SHOW)
        parked = Trait(called=True, status=TicketStatus.PARKED)
