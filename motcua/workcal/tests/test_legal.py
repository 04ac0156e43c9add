"""Legal rules on deadlines (domain.md §4), without a database."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from motcua.core.errors import Conflict
from motcua.workcal.errors import ExtensionAlreadyGranted, InvalidAmount, InvalidInterval, NaiveDatetime
from motcua.workcal.legal import (
    SupplementRule,
    due_after_supplement,
    due_time,
    extend_due,
    online_acceptance_deadline,
)
from motcua.workcal.tests.helpers import CALENDAR, vn


def test_due_time_is_the_same_clock_time_n_working_days_later() -> None:
    assert due_time(vn(2025, 1, 6, 9, 12), days=3, calendar=CALENDAR) == vn(2025, 1, 9, 9, 12)
    assert due_time(vn(2025, 1, 24, 9, 12), days=Decimal(3), calendar=CALENDAR) == vn(2025, 2, 5, 9, 12)


def test_due_time_outside_office_hours_counts_from_the_next_opening() -> None:
    assert due_time(vn(2025, 1, 6, 18, 0), days=2, calendar=CALENDAR) == vn(2025, 1, 9, 7, 30)
    assert due_time(vn(2025, 1, 6, 12, 5), days=2, calendar=CALENDAR) == vn(2025, 1, 8, 13, 30)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (vn(2025, 1, 6, 9, 0), vn(2025, 1, 6, 17, 0)),
        (vn(2025, 1, 6, 15, 0), vn(2025, 1, 6, 17, 0)),  # at 15:00 is not after 15:00
        (vn(2025, 1, 6, 15, 0, 1), vn(2025, 1, 7, 17, 0)),
        (vn(2025, 1, 6, 12, 0), vn(2025, 1, 6, 17, 0)),  # lunch: counts from 13:30, before the cutoff
        (vn(2025, 1, 6, 17, 30), vn(2025, 1, 7, 17, 0)),  # after closing: tomorrow's reception
        (vn(2025, 1, 24, 16, 0), vn(2025, 2, 3, 17, 0)),  # after 15:00 before Tết: the first day after
        (vn(2025, 1, 25, 9, 0), vn(2025, 2, 3, 17, 0)),  # received during Tết
        (vn(2025, 4, 25, 16, 0), vn(2025, 4, 26, 17, 0)),  # next working day is the make-up Saturday
    ],
    ids=str,
)
def test_same_day_procedures(received: datetime, due: datetime) -> None:
    assert due_time(received, days=0, calendar=CALENDAR, same_day=True) == due


def test_same_day_procedures_take_no_days() -> None:
    with pytest.raises(InvalidAmount):
        due_time(vn(2025, 1, 6, 9), days=1, calendar=CALENDAR, same_day=True)


@pytest.mark.parametrize(
    ("submitted", "deadline"),
    [
        (vn(2025, 1, 6, 7, 30), vn(2025, 1, 7, 8, 0)),
        (vn(2025, 1, 6, 9, 0), vn(2025, 1, 7, 9, 30)),
        (vn(2025, 1, 24, 10, 0), vn(2025, 2, 3, 10, 30)),  # 5 h before Tết, 3 h after
        (vn(2026, 2, 14, 22, 0), vn(2026, 2, 24, 8, 0)),  # submitted at night during Tết
    ],
    ids=str,
)
def test_online_acceptance_within_8_working_hours(submitted: datetime, deadline: datetime) -> None:
    assert online_acceptance_deadline(submitted, CALENDAR) == deadline


def test_supplement_pause_excludes_the_working_time_waited() -> None:
    # Received Mon 6/1 09:00 with 3 days: due Thu 9/1 09:00. Supplement asked Tue 10:00, supplied Wed 14:00:
    # 9 h 30 waited (Tue 10:00–17:00 is 5 h, Wed 07:30–14:00 is 4 h 30), so the due time moves by 9 h 30.
    due = due_time(vn(2025, 1, 6, 9), days=3, calendar=CALENDAR)
    new_due = due_after_supplement(
        due,
        requested_at=vn(2025, 1, 7, 10),
        supplied_at=vn(2025, 1, 8, 14),
        rule=SupplementRule.PAUSE,
        days=3,
        calendar=CALENDAR,
    )
    assert new_due == vn(2025, 1, 10, 11, 0)


def test_supplement_restart_counts_the_limit_again() -> None:
    due = due_time(vn(2025, 1, 6, 9), days=3, calendar=CALENDAR)
    new_due = due_after_supplement(
        due,
        requested_at=vn(2025, 1, 7, 10),
        supplied_at=vn(2025, 1, 8, 14),
        rule=SupplementRule.RESTART,
        days=3,
        calendar=CALENDAR,
    )
    assert new_due == vn(2025, 1, 13, 14, 0)


def test_supplement_cannot_arrive_before_it_was_asked() -> None:
    with pytest.raises(InvalidInterval) as error:
        due_after_supplement(
            vn(2025, 1, 9, 9),
            requested_at=vn(2025, 1, 7, 12, 10),
            supplied_at=vn(2025, 1, 7, 12, 5),  # the same working instant, but earlier
            rule=SupplementRule.PAUSE,
            days=3,
            calendar=CALENDAR,
        )
    assert error.value.code == "invalid_interval"
    with pytest.raises(NaiveDatetime):
        due_after_supplement(
            vn(2025, 1, 9, 9),
            requested_at=datetime(2025, 1, 7, 12),  # noqa: DTZ001 - the point
            supplied_at=vn(2025, 1, 7, 13),
            rule=SupplementRule.PAUSE,
            days=3,
            calendar=CALENDAR,
        )


def test_extension_once() -> None:
    due = vn(2025, 1, 9, 9)
    assert extend_due(due, extra_days=Decimal(2), already_extended=False, calendar=CALENDAR) == vn(2025, 1, 13, 9)
    with pytest.raises(ExtensionAlreadyGranted) as error:
        extend_due(due, extra_days=2, already_extended=True, calendar=CALENDAR)
    assert isinstance(error.value, Conflict)
    assert error.value.code == "extension_already_granted"
    assert error.value.status == 409


@pytest.mark.parametrize("extra_days", [0, Decimal(0), -1, Decimal("0.1"), Decimal("NaN")], ids=str)
def test_extension_needs_a_positive_amount(extra_days: Decimal) -> None:
    with pytest.raises(InvalidAmount):
        extend_due(vn(2025, 1, 9, 9), extra_days=extra_days, already_extended=False, calendar=CALENDAR)


def test_extending_a_same_day_due_keeps_the_closing_time() -> None:
    due = due_time(vn(2025, 1, 6, 9), days=0, calendar=CALENDAR, same_day=True)
    assert extend_due(due, extra_days=1, already_extended=False, calendar=CALENDAR) == vn(2025, 1, 7, 17, 0)
