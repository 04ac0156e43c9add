"""The public calendar endpoints: shapes, official dates, and bad input as a stable error code (never a 500)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from motcua.workcal.models import CalendarOverride

pytestmark = pytest.mark.django_db


def get(path: str, **params: str) -> tuple[int, Any]:
    response = Client().get(f"/api/v1/calendar/{path}?{urlencode(params)}")
    assert response["Content-Type"].startswith("application/json")
    return response.status_code, response.json()


def test_due_over_tet_2025() -> None:
    status, body = get("due", start="2025-01-24T09:12:00+07:00", working_days="3")
    assert status == 200
    assert body["due"] == "2025-02-05T09:12:00+07:00"
    assert body["counting_from"] == "2025-01-24T09:12:00+07:00"


def test_due_with_quarter_days_and_a_start_in_utc() -> None:
    status, body = get("due", start="2026-08-28T02:00:00Z", working_days="0.25")
    assert (status, body["due"]) == (200, "2026-08-28T10:52:30+07:00")


def test_due_outside_office_hours_counts_from_the_opening() -> None:
    status, body = get("due", start="2026-02-14T10:00:00+07:00", working_days="1")
    assert status == 200
    assert body["counting_from"] == "2026-02-23T07:30:00+07:00"
    assert body["due"] == "2026-02-24T07:30:00+07:00"


def test_due_in_working_hours_and_same_day() -> None:
    assert get("due", start="2026-02-13T16:00:00+07:00", working_hours="8")[1]["due"] == "2026-02-23T16:30:00+07:00"
    assert get("due", start="2026-02-13T16:00:00+07:00", same_day="true")[1]["due"] == "2026-02-23T17:00:00+07:00"


def test_an_unescaped_plus_in_the_query_string_is_understood() -> None:
    response = Client().get("/api/v1/calendar/due?start=2025-01-24T09:12:00+07:00&working_days=3")
    assert response.status_code == 200
    assert response.json()["due"] == "2025-02-05T09:12:00+07:00"


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"start": "2025-01-24T09:12:00", "working_days": "3"}, "naive_datetime"),
        ({"start": "2025-01-24", "working_days": "3"}, "naive_datetime"),
        ({"start": "yesterday", "working_days": "3"}, "invalid_datetime"),
        ({"start": "2025-13-01T09:00:00+07:00", "working_days": "3"}, "invalid_datetime"),
        ({"start": "", "working_days": "3"}, "invalid_datetime"),
        ({"start": "2025-01-24T09:12:00+07:00", "working_days": "-1"}, "invalid_amount"),
        ({"start": "2025-01-24T09:12:00+07:00", "working_days": "0.3"}, "invalid_amount"),
        ({"start": "2025-01-24T09:12:00+07:00", "working_days": "abc"}, "invalid_amount"),
        ({"start": "2025-01-24T09:12:00+07:00", "working_days": "NaN"}, "invalid_amount"),
        ({"start": "2025-01-24T09:12:00+07:00", "working_days": "Infinity"}, "invalid_amount"),
        ({"start": "2025-01-24T09:12:00+07:00", "working_days": "1e999999"}, "invalid_amount"),
        ({"start": "2025-01-24T09:12:00+07:00", "working_days": "3651"}, "invalid_amount"),
        ({"start": "2025-01-24T09:12:00+07:00", "working_hours": "0.00001"}, "invalid_amount"),
        ({"start": "2025-01-24T09:12:00+07:00", "working_days": "1", "working_hours": "1"}, "invalid_amount"),
        ({"start": "2025-01-24T09:12:00+07:00", "working_days": "1", "same_day": "true"}, "invalid_amount"),
        ({"start": "2025-01-24T09:12:00+07:00"}, "invalid_amount"),
        ({"start": "2019-06-03T09:00:00+07:00", "working_days": "1"}, "calendar_year_out_of_range"),
        ({"start": "0001-01-01T00:00:00+09:00", "working_days": "1"}, "calendar_year_out_of_range"),
        ({"start": "9999-12-31T23:59:59-05:00", "working_days": "1"}, "calendar_year_out_of_range"),
        ({"start": "2035-12-20T09:00:00+07:00", "working_days": "100"}, "calendar_year_out_of_range"),
        ({"working_days": "1"}, "invalid_input"),
        ({"start": "2025-01-24T09:12:00+07:00", "working_days": "1", "same_day": "maybe"}, "invalid_input"),
    ],
    ids=str,
)
def test_bad_due_requests(params: dict[str, str], code: str) -> None:
    status, body = get("due", **params)
    assert status == 422
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    assert isinstance(body["error"]["details"], dict)


@given(start=st.text(max_size=40), working_days=st.text(max_size=20))
def test_garbage_never_gives_a_server_error(start: str, working_days: str) -> None:
    status, body = get("due", start=start, working_days=working_days)
    assert status in (200, 422)
    if status == 422:
        assert body["error"]["code"] in {
            "invalid_datetime",
            "naive_datetime",
            "invalid_amount",
            "invalid_input",
            "calendar_year_out_of_range",
            "invalid_characters",  # a NUL character, refused before the view (core middleware)
        }


@given(
    start=st.datetimes(timezones=st.none() | st.timezones()),
    working_days=st.decimals(allow_nan=True, allow_infinity=True),
)
def test_any_instant_and_amount_gives_a_due_time_or_a_code(start: datetime, working_days: Decimal) -> None:
    status, body = get("due", start=start.isoformat(), working_days=str(working_days))
    assert status in (200, 422)
    if status == 422:
        assert body["error"]["code"] in {"naive_datetime", "invalid_amount", "calendar_year_out_of_range"}


def test_days_of_2026() -> None:
    status, body = get("days", year="2026")
    assert status == 200
    assert body["year"] == 2026
    assert body["province_code"] == "15"
    assert body["working_days"] == 249
    assert body["office_hours"] == [{"start": "07:30:00", "end": "11:30:00"}, {"start": "13:30:00", "end": "17:00:00"}]
    assert body["same_day_cutoff"] == "15:00:00"
    days = {d["date"]: d for d in body["days"]}
    assert len(days) == 365
    assert days["2026-08-22"] == {
        "date": "2026-08-22",
        "working": True,
        "kind": "makeup_working_day",
        "reason": "Làm bù cho ngày nghỉ 31/08/2026",
        "decision": "",
    }
    assert [d for d in days if "2026-02-14" <= d <= "2026-02-22" and days[d]["working"]] == []
    assert days["2026-04-27"]["kind"] == "holiday"


@pytest.mark.parametrize(
    ("year", "code"),
    [
        ("2019", "calendar_year_out_of_range"),
        ("2036", "calendar_year_out_of_range"),
        ("abc", "invalid_input"),
        ("", "invalid_input"),
    ],
)
def test_bad_years(year: str, code: str) -> None:
    status, body = get("days", year=year)
    assert (status, body["error"]["code"]) == (422, code)


def test_overrides_show_in_both_endpoints() -> None:
    CalendarOverride.objects.create(
        date=date(2026, 11, 24), kind="remove_holiday", reason="Chưa áp dụng", decision="CV 12/UBND-VX"
    )
    day = {d["date"]: d for d in get("days", year="2026")[1]["days"]}["2026-11-24"]
    assert (day["working"], day["decision"]) == (True, "CV 12/UBND-VX")
    assert get("due", start="2026-11-23T09:00:00+07:00", working_days="1")[1]["due"] == "2026-11-24T09:00:00+07:00"


def test_the_endpoints_are_in_the_openapi_document() -> None:
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/calendar/due" in paths
    assert "/api/v1/calendar/days" in paths
