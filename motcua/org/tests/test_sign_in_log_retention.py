"""The staff sign-in log is kept MOTCUA_SIGNIN_LOG_DAYS, then deleted (names typed and addresses are
personal data); a lockout still running is kept whatever its age."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.org.models import SignInEvent, SignInEventKind, SignInScope
from motcua.org.signin import sign_in_events_purge

pytestmark = pytest.mark.django_db


def _event(days_ago: int, **fields: object) -> SignInEvent:
    values: dict[str, object] = {"kind": SignInEventKind.FAILURE, "username": "ai.do", "address": "198.51.100.9"}
    return SignInEvent.objects.create(at=timezone.now() - timedelta(days=days_ago), **(values | fields))


def test_rows_older_than_the_setting_are_deleted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTCUA_SIGNIN_LOG_DAYS", "30")
    old, recent = _event(31), _event(29)
    running = _event(
        40,
        kind=SignInEventKind.LOCKOUT,
        scope=SignInScope.USERNAME,
        locked_until=timezone.now() + timedelta(minutes=5),
    )

    assert sign_in_events_purge() == 1
    assert set(SignInEvent.objects.values_list("pk", flat=True)) == {recent.pk, running.pk}
    assert not SignInEvent.objects.filter(pk=old.pk).exists()


def test_zero_keeps_the_log_and_the_hourly_command_purges(monkeypatch: pytest.MonkeyPatch) -> None:
    _event(5000)
    monkeypatch.setenv("MOTCUA_SIGNIN_LOG_DAYS", "0")
    assert sign_in_events_purge() == 0
    assert SignInEvent.objects.count() == 1

    monkeypatch.setenv("MOTCUA_SIGNIN_LOG_DAYS", "365")
    call_command("personal_data_retention")
    assert SignInEvent.objects.count() == 0
