"""The per-process memo of reference rows (core.reference_cache), through the organization's selectors."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.db.models import F

from motcua.core import reference_cache
from motcua.core.models import ReferenceGeneration
from motcua.org.models import ServiceCenter
from motcua.org.selectors import service_center_active
from motcua.org.tests.factories import ServiceCenterFactory

# Saves outside a test transaction, so commits happen as in production.
pytestmark = pytest.mark.django_db(transaction=True)

AssertQueries = Callable[..., Any]


def _other_process_bumps() -> None:
    """What another process's change leaves in the shared row (this process's memo is not told)."""
    ReferenceGeneration.objects.filter(name="reference").update(value=F("value") + 1)


def test_a_read_is_memoized_until_the_recheck(django_assert_num_queries: AssertQueries) -> None:
    center = ServiceCenterFactory.create()
    first = service_center_active(center.code)
    assert first == center
    with django_assert_num_queries(0):
        assert service_center_active(center.code) is first


def test_a_change_in_this_process_is_seen_at_once() -> None:
    center = ServiceCenterFactory.create()
    assert service_center_active(center.code) is not None
    center.is_active = False
    center.save()
    assert service_center_active(center.code) is None


def test_a_change_by_another_process_is_seen_after_the_recheck(monkeypatch: pytest.MonkeyPatch) -> None:
    center = ServiceCenterFactory.create()
    assert service_center_active(center.code) is not None
    # Another process deactivates the center: a bulk write without signals here, plus its bump.
    ServiceCenter.objects.filter(pk=center.pk).update(is_active=False)
    _other_process_bumps()
    assert service_center_active(center.code) is not None, "within RECHECK_S the memo is trusted"

    later = time.monotonic() + reference_cache.RECHECK_S + 0.1
    monkeypatch.setattr(time, "monotonic", lambda: later)
    assert service_center_active(center.code) is None


def test_no_memo_while_this_transaction_changed_reference_rows(django_assert_num_queries: AssertQueries) -> None:
    center = ServiceCenterFactory.create()
    name = center.name
    service_center_active(center.code)
    with transaction.atomic():
        center.name = "Trung tâm mới"
        center.save()
        # The rows may still be rolled back: every read goes to the database, none is memoized.
        with django_assert_num_queries(1):
            assert service_center_active(center.code).name == "Trung tâm mới"  # type: ignore[union-attr]
        transaction.set_rollback(True)
    assert service_center_active(center.code).name == name  # type: ignore[union-attr]


def test_the_generation_is_bumped_once_per_transaction() -> None:
    before = ReferenceGeneration.objects.filter(name="reference").values_list("value", flat=True).first() or 0
    with transaction.atomic():
        ServiceCenterFactory.create()  # saves a province, a unit, an agency and the center
    after = ReferenceGeneration.objects.get(name="reference").value
    assert after == before + 1


@pytest.mark.django_db
def test_a_missing_row_is_not_kept() -> None:
    """Anyone can send unknown codes to public lookups: a miss must not grow the memo (nor hide a row
    created afterwards)."""
    loads = []

    def load() -> None:
        loads.append(1)

    for _ in range(3):
        assert reference_cache.reference_cached("test.missing", "no-such-code", load) is None
    assert len(loads) == 3
