"""Any instant and any amount a caller may pass to the legal-time functions gives a time or one of the
documented errors, never another exception (hypothesis, no database); the API likewise never answers 500."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.core.errors import DomainError
from motcua.workcal.calendar import add_working_time, next_working_instant, working_time_between
from motcua.workcal.errors import CalendarYearOutOfRange, InvalidAmount, NaiveDatetime
from motcua.workcal.legal import due_time
from motcua.workcal.tests.helpers import CALENDAR
from motcua.workcal.tests.test_api import get

DOCUMENTED = InvalidAmount | CalendarYearOutOfRange | NaiveDatetime
instants = st.datetimes(timezones=st.none() | st.timezones())
# Signalling NaN included: comparing one with `==` raises decimal.InvalidOperation.
amounts = st.decimals(allow_nan=True, allow_infinity=True) | st.sampled_from(
    [Decimal("sNaN"), Decimal("-sNaN"), Decimal("1e999999"), Decimal("-0"), Decimal("1e-999999")]
)


def _outcome(call: object) -> object:
    assert callable(call)
    try:
        return call()
    except DomainError as error:
        return error


@given(start=instants, days=amounts | st.integers(-(10**20), 10**20), same_day=st.booleans())
def test_due_time_gives_a_time_or_a_documented_error(start: datetime, days: Decimal | int, same_day: bool) -> None:
    outcome = _outcome(lambda: due_time(start, days=days, calendar=CALENDAR, same_day=same_day))
    assert isinstance(outcome, datetime | DOCUMENTED), outcome
    if isinstance(outcome, datetime):
        assert outcome.tzinfo is not None
        assert outcome >= start


@given(
    start=instants,
    hours=st.none() | amounts,
    duration=st.none() | st.timedeltas(),
    days=st.none() | amounts,
)
def test_add_working_time_gives_a_time_or_a_documented_error(
    start: datetime, hours: Decimal | None, duration: timedelta | None, days: Decimal | None
) -> None:
    outcome = _outcome(lambda: add_working_time(start, days=days, hours=hours, duration=duration, calendar=CALENDAR))
    assert isinstance(outcome, datetime | DOCUMENTED), outcome


@given(a=instants, b=instants)
def test_between_and_next_opening_give_a_value_or_a_documented_error(a: datetime, b: datetime) -> None:
    assert isinstance(_outcome(lambda: working_time_between(a, b, CALENDAR)), timedelta | DOCUMENTED)
    assert isinstance(_outcome(lambda: next_working_instant(a, CALENDAR)), datetime | DOCUMENTED)


@pytest.mark.django_db
@given(start=instants, days=amounts, same_day=st.booleans())
def test_the_due_endpoint_never_answers_a_server_error(start: datetime, days: Decimal, same_day: bool) -> None:
    status, body = get("due", start=start.isoformat(), working_days=str(days), same_day=str(same_day).lower())
    assert status in (200, 422)
    if status == 422:
        assert body["error"]["code"] in {"naive_datetime", "invalid_amount", "calendar_year_out_of_range"}
