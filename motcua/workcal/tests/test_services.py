"""The cached calendar of a province: rebuilt when overrides or office hours change, here or elsewhere."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from motcua.workcal import services
from motcua.workcal.models import CalendarOverride, OfficeHours
from motcua.workcal.services import get_calendar

pytestmark = pytest.mark.django_db

TET_2026_MONDAY = date(2026, 2, 23)


def test_the_default_province_and_the_cache(django_assert_num_queries: DjangoAssertNumQueries) -> None:
    calendar = get_calendar()
    assert calendar.province_code == "15"
    with django_assert_num_queries(0):
        assert get_calendar() is calendar
        assert get_calendar("15") is calendar
    assert get_calendar("01") is not calendar


def test_a_saved_override_is_seen_at_once_in_this_process() -> None:
    assert get_calendar().is_working_day(TET_2026_MONDAY)
    override = CalendarOverride.objects.create(
        date=TET_2026_MONDAY, kind="day_off", reason="Nghỉ thêm", decision="QĐ 5/QĐ-UBND"
    )
    assert not get_calendar().is_working_day(TET_2026_MONDAY)
    override.delete()
    assert get_calendar().is_working_day(TET_2026_MONDAY)


def test_an_edit_from_another_process_is_seen_after_the_ttl(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(services, "monotonic", lambda: now[0])
    calendar = get_calendar()
    # bulk_create sends no signal: this process learns of the row only through the fingerprint, as another
    # process would.
    CalendarOverride.objects.bulk_create(
        [CalendarOverride(date=TET_2026_MONDAY, kind="day_off", reason="Nghỉ thêm", decision="QĐ 5/QĐ-UBND")]
    )
    now[0] += services.CACHE_TTL_SECONDS / 2
    assert get_calendar() is calendar
    now[0] += services.CACHE_TTL_SECONDS
    assert not get_calendar().is_working_day(TET_2026_MONDAY)


def test_an_unchanged_fingerprint_keeps_the_calendar(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(services, "monotonic", lambda: now[0])
    calendar = get_calendar()
    now[0] += 2 * services.CACHE_TTL_SECONDS
    assert get_calendar() is calendar


def test_office_hours_of_the_province() -> None:
    OfficeHours.objects.create(
        morning_start=time(8), morning_end=time(12), afternoon_start=time(13), afternoon_end=time(17)
    )
    calendar = get_calendar()
    assert calendar.hours.intervals == ((time(8), time(12)), (time(13), time(17)))
    assert calendar.hours.same_day_cutoff == time(15)


def test_the_database_refuses_disordered_office_hours() -> None:
    with pytest.raises(IntegrityError):
        OfficeHours.objects.create(morning_start=time(12), morning_end=time(8))


def test_the_database_refuses_two_overrides_on_one_day() -> None:
    CalendarOverride.objects.create(date=TET_2026_MONDAY, kind="day_off", reason="a", decision="b")
    with pytest.raises(IntegrityError):
        CalendarOverride.objects.create(date=TET_2026_MONDAY, kind="day_off", reason="c", decision="d")


def test_model_validation_explains_a_useless_override() -> None:
    override = CalendarOverride(date=date(2026, 2, 22), kind="day_off", reason="Nghỉ", decision="QĐ 1")
    with pytest.raises(ValidationError, match="vốn đã là ngày nghỉ"):
        override.full_clean()
    with pytest.raises(ValidationError, match="Mã tỉnh"):
        CalendarOverride(
            province_code="1x", date=TET_2026_MONDAY, kind="day_off", reason="a", decision="b"
        ).full_clean()
    with pytest.raises(ValidationError, match="sáng rồi chiều"):
        OfficeHours(morning_start=time(12), morning_end=time(8)).full_clean()


@pytest.fixture
def admin_client() -> Client:
    user = get_user_model().objects.create_superuser("quantri", "quantri@example.vn", "mat-khau-dai-123")
    client = Client()
    client.force_login(user)
    return client


def test_an_override_added_in_the_admin_changes_due_times(admin_client: Client) -> None:
    before = admin_client.get("/api/v1/calendar/due?start=2026-11-20T09:00:00%2B07:00&working_days=1").json()
    assert before["due"] == "2026-11-23T09:00:00+07:00"
    response = admin_client.post(
        "/admin/workcal/calendaroverride/add/",
        {
            "province_code": "15",
            "date": "2026-11-23",
            "kind": "day_off",
            "reason": "Nghỉ lễ hội địa phương",
            "decision": "Quyết định 123/QĐ-UBND",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    after = admin_client.get("/api/v1/calendar/due?start=2026-11-20T09:00:00%2B07:00&working_days=1").json()
    assert after["due"] == "2026-11-25T09:00:00+07:00"  # 23/11 added, 24/11 Ngày Văn hóa Việt Nam


def test_the_admin_refuses_a_useless_override(admin_client: Client) -> None:
    response = admin_client.post(
        "/admin/workcal/calendaroverride/add/",
        {"province_code": "15", "date": "2026-02-22", "kind": "day_off", "reason": "x", "decision": "y"},
    )
    assert response.status_code == 200
    assert "vốn đã là ngày nghỉ" in response.content.decode()
    assert not CalendarOverride.objects.exists()


def test_the_admin_pages_render(admin_client: Client) -> None:
    CalendarOverride.objects.create(date=TET_2026_MONDAY, kind="day_off", reason="a", decision="b")
    OfficeHours.objects.create()
    for url in (
        "/admin/workcal/calendaroverride/",
        "/admin/workcal/calendaroverride/add/",
        "/admin/workcal/officehours/",
        "/admin/workcal/officehours/add/",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert "lịch làm việc" in response.content.decode().lower() or "giờ làm việc" in response.content.decode()
