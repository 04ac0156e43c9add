"""`motcua generate` on PostgreSQL: a few thousand dossiers that the rest of the system accepts as its own.

The organization of Lào Cai, a slice of the national catalog (every 8th procedure handled at commune or
province level) and the centers' queue services, then 2,500 dossiers of 2026 and 500 more with another seed
(the second run continues the day counters). Skipped on SQLite: the generator loads with COPY.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F

from motcua.catalog.data import DATA_DIR
from motcua.catalog.demo import competence_demo_seed
from motcua.catalog.services.imports import import_procedure_files
from motcua.demo.generate import generate
from motcua.dossiers.models import Dossier, DossierEvent, DossierSequence, DossierStep, SupplementRequest
from motcua.dossiers.selectors import dossier_work_queue, dossiers_visible_to
from motcua.dossiers.services.tracking import tracking_token
from motcua.dossiers.tracking_selectors import dossier_track
from motcua.org.demo import demo_organization_seed
from motcua.org.models import Role, ServiceCenter, StaffUser
from motcua.queueing.models import DailySequence, Rating, Ticket, TicketDossier
from motcua.queueing.services.setup import queue_setup_demo
from motcua.reports.models import DossierFact
from motcua.reports.refresh import reports_refresh

NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
FIRST, SECOND = 2500, 500
_CODE = re.compile(r"^(?P<agency>.+)-(?P<day>\d{6})-(?P<number>\d{4,})$")


def _catalog_slice(folder: Path) -> Path:
    lines = []
    with gzip.open(DATA_DIR / "national-portal-2026-07.jsonl.gz", "rt", encoding="utf-8") as source:
        for line in source:
            if re.search(r"Cấp (tỉnh|xã)", json.loads(line)["cap_thuc_hien"]):
                lines.append(line)
    path = folder / "slice.jsonl"
    path.write_text("".join(lines[::8]), encoding="utf-8")
    return path


@pytest.fixture
def generated(tmp_path: Path) -> dict[str, object]:
    if connection.vendor != "postgresql":
        pytest.skip("the generator loads with PostgreSQL's COPY")
    organization = demo_organization_seed(province_code="15")
    import_procedure_files([_catalog_slice(tmp_path)])
    competence_demo_seed(province=organization.province)
    for center in ServiceCenter.objects.filter(province_id="15").order_by("code")[:40]:
        queue_setup_demo(center=center)
    first = generate(dossiers=FIRST, year=2026, seed=5, now=NOW, progress=False, batch=700)
    second = generate(dossiers=SECOND, year=2026, seed=6, now=NOW, progress=False)
    return {"first": first, "second": second}


@pytest.mark.django_db(transaction=True)
def test_generated_dossiers_are_valid_skewed_gap_free_and_usable(generated: dict[str, object]) -> None:
    dossiers = Dossier.objects.all()
    assert dossiers.count() == FIRST + SECOND
    assert not dossiers.filter(received_at__gte=NOW).exists()

    # Every event counted on its dossier, every step and supplement belongs to a dossier that has them.
    assert DossierEvent.objects.count() == sum(dossiers.values_list("event_count", flat=True))
    assert DossierStep.objects.count() > 3 * dossiers.count()
    assert not dossiers.filter(due_at__lt=F("clock_started_at")).exists()
    assert SupplementRequest.objects.count() == sum(dossiers.values_list("supplement_rounds", flat=True))

    # Popularity is skewed: the top tenth of the procedures used receives more than half of the dossiers.
    per_procedure = sorted(Counter(dossiers.values_list("procedure_id", flat=True)).values(), reverse=True)
    top = per_procedure[: max(1, len(per_procedure) // 10)]
    assert sum(top) > 0.5 * dossiers.count()
    assert per_procedure[0] > 10 * per_procedure[len(per_procedure) // 2]

    total = dossiers.count()
    channels = Counter(dossiers.values_list("channel", flat=True))
    assert 0.50 < channels["direct"] / total < 0.70
    assert 0.24 < channels["online"] / total < 0.44
    assert 0.02 < channels["post"] / total < 0.10
    centers = dict(ServiceCenter.objects.values_list("pk", "unit_id"))
    elsewhere = sum(
        1
        for center, unit in dossiers.values_list("receiving_center_id", "subject_unit_id")
        if centers[center] is not None and centers[center] != unit
    )
    assert 0.05 < elsewhere / total < 0.20
    finished = dossiers.filter(finished_at__isnull=False, due_at__isnull=False)
    late = finished.filter(finished_at__gt=F("due_at")).count()
    assert 0.005 < late / finished.count() < 0.12
    assert dossiers.filter(supplement_rounds__gt=1, late_by_supplements=True).exists()
    assert dossiers.filter(status=4).exists()
    assert dossiers.filter(status=10).exists()

    # Gap-free codes per handling body and day, across both runs, and the counters agree.
    numbers: dict[tuple[int, str], list[int]] = defaultdict(list)
    for agency, code in dossiers.values_list("handling_agency_id", "code"):
        match = _CODE.match(code)
        assert match is not None, code
        numbers[(agency, match["day"])].append(int(match["number"]))
    counters = {(s.agency_id, f"{s.day:%y%m%d}"): s.last_number for s in DossierSequence.objects.all()}
    assert counters.keys() == numbers.keys()
    for key, used in numbers.items():
        assert sorted(used) == list(range(1, len(used) + 1)), key
        assert counters[key] == len(used)

    # Queue tickets: one per desk reception at a center with queue services, numbered per service and day.
    tickets = Ticket.objects.all()
    assert tickets.count() == TicketDossier.objects.count() > 0
    assert Rating.objects.exists()
    per_service: dict[tuple[int, date], list[int]] = defaultdict(list)
    for service, day, number in tickets.values_list("service_id", "day", "number"):
        per_service[(service, day)].append(number)
    for service_day, issued in per_service.items():
        assert sorted(issued) == list(range(1, len(issued) + 1)), service_day
    assert {(d.service_id, d.day): d.last_number for d in DailySequence.objects.all()} == {
        service_day: len(issued) for service_day, issued in per_service.items()
    }

    # One generation serves both halves (it takes most of the test's time).
    _staff_pages_reports_and_audit_work()


def _staff_pages_reports_and_audit_work() -> None:
    # The busiest specialist's inbox lists its open dossiers, most urgent first, and pages on.
    open_by_agency = Counter(
        Dossier.objects.filter(status=4, sub_state__in=["waiting_assignment", "in_handling"]).values_list(
            "handling_agency_id", flat=True
        )
    )
    agency, waiting = open_by_agency.most_common(1)[0]
    specialist = StaffUser.objects.get(role=Role.SPECIALIST, agency_id=agency)
    _, rows, _ = dossier_work_queue(specialist, limit=50, now=NOW)
    assert len(rows) == min(waiting, 50)
    dues = [row.dossier.due_at for row in rows]
    assert dues == sorted(dues)  # type: ignore[type-var]
    assert dossiers_visible_to(specialist).filter(pk=rows[0].dossier.pk).exists()

    # A citizen tracks a returned dossier with the token of its receipt.
    returned = Dossier.objects.filter(status=10).order_by("pk").first()
    assert returned is not None
    tracked = dossier_track(code=returned.code, client="203.0.113.9", token=tracking_token(returned))
    assert tracked.dossier.pk == returned.pk

    assert reports_refresh(full=True, now=NOW) == FIRST + SECOND
    assert DossierFact.objects.count() == FIRST + SECOND

    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert f"{FIRST + SECOND} dossiers checked" in out.getvalue()
