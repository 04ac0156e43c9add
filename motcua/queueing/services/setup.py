"""Setting up a center's queue: its services (queue groups), counters' work profiles, the demo defaults."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from motcua.catalog.models import Field
from motcua.core.reference_cache import reference_changed
from motcua.org.models import Counter, ServiceCenter
from motcua.queueing.errors import UnknownService
from motcua.queueing.models import QueueService, WorkProfileEntry
from motcua.queueing.services.appointments import appointment_slots_create

#: The demo's services: letter, name, and words that pick the catalog's fields (lĩnh vực) they serve.
DEMO_SERVICES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("A", "Hộ tịch – Chứng thực", ("hộ tịch", "chứng thực")),
    ("B", "Đất đai", ("đất đai",)),
    ("C", "Đăng ký kinh doanh", ("doanh nghiệp", "kinh doanh", "hợp tác xã")),
    ("D", "Khác", ()),
)
#: The demo books appointments for these services, this many days ahead.
DEMO_APPOINTMENT_SERVICES = ("A", "B")
DEMO_APPOINTMENT_DAYS = 5


@transaction.atomic
def queue_service_upsert(
    *, center: ServiceCenter, code: str, name: str, position: int, field_words: Sequence[str] = ()
) -> QueueService:
    """Create or rename a service; its fields are the catalog fields whose name contains one of the words."""
    service, created = QueueService.objects.get_or_create(
        center=center, code=code, defaults={"name": name, "position": position}
    )
    if not created and (service.name, service.position) != (name, position):
        # Saved only on a real change, so a re-run of the demo leaves the rows (and updated_at) alone.
        service.name, service.position = name, position
        service.save(update_fields=["name", "position", "updated_at"])
    if field_words:
        condition = Q()
        for word in field_words:
            condition |= Q(name__icontains=word)
        service.fields.set(Field.objects.filter(condition))
    return service


@transaction.atomic
def work_profile_set(*, counter: Counter, service_codes: Sequence[str]) -> list[WorkProfileEntry]:
    """Replace the counter's work profile: the services it calls, the first one first."""
    services = {s.code: s for s in QueueService.objects.filter(center_id=counter.center_id, code__in=service_codes)}
    missing = [code for code in service_codes if code not in services]
    if missing:
        raise UnknownService(services=missing)
    WorkProfileEntry.objects.filter(counter=counter).delete()
    reference_changed()  # call-next memoizes profiles; bulk_create sends no save signal
    return WorkProfileEntry.objects.bulk_create(
        [
            WorkProfileEntry(counter=counter, service=services[code], position=position)
            for position, code in enumerate(service_codes, start=1)
        ]
    )


@transaction.atomic
def queue_setup_demo(*, center: ServiceCenter) -> list[QueueService]:
    """Default services (A Hộ tịch – Chứng thực, B Đất đai, C Đăng ký kinh doanh, D Khác), work profiles
    and appointment slots. Idempotent: profiles that officers already set are kept."""
    services = [
        queue_service_upsert(center=center, code=code, name=name, position=position, field_words=words)
        for position, (code, name, words) in enumerate(DEMO_SERVICES, start=1)
    ]
    codes = [service.code for service in services]
    specialised = codes[:-1]
    counters = Counter.objects.filter(center=center, is_active=True).order_by("number")
    for index, counter in enumerate(counters):
        if WorkProfileEntry.objects.filter(counter=counter).exists():
            continue
        # Each counter leads with one specialised service and then takes every other one, so no queue
        # is left without a counter however few counters the center has.
        primary = specialised[index % len(specialised)]
        work_profile_set(counter=counter, service_codes=[primary, *(c for c in codes if c != primary)])
    today = timezone.localdate()
    for service in services:
        if service.code not in DEMO_APPOINTMENT_SERVICES:
            continue
        for offset in range(DEMO_APPOINTMENT_DAYS):
            day = today + timedelta(days=offset)
            if day.weekday() < 5:
                appointment_slots_create(service=service, day=day, capacity=2)
    return services
