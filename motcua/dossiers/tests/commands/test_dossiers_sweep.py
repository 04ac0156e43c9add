"""`motcua dossiers-sweep`: a dossier waiting for a supplement longer than its procedure allows is closed
by the system, once."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from motcua.core.errors import DomainError
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services.sweep import dossiers_close_unsupplied
from motcua.dossiers.states import Status, SubState
from motcua.dossiers.tests.api.helpers import StaffClient
from motcua.dossiers.tests.factories import World, act, receive
from motcua.dossiers.tests.forms.helpers import pdf_text

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY_0912 = datetime(2026, 3, 2, 9, 12, tzinfo=HCM)
REQUESTED = datetime(2026, 3, 2, 10, 0, tzinfo=HCM)
FIFTEEN_WORKING_DAYS_LATER = datetime(2026, 3, 23, 10, 0, tzinfo=HCM)


def _waiting(world: World) -> Dossier:
    dossier = receive(world, received_at=MONDAY_0912)
    act(world, dossier, "transfer", "reception", at=MONDAY_0912 + timedelta(minutes=5))
    act(world, dossier, "assign", "specialist", at=MONDAY_0912 + timedelta(minutes=10))
    return act(world, dossier, "request-supplement", "specialist", at=REQUESTED, reason="Thiếu giấy chứng sinh")


@pytest.fixture
def closing_after_15(world: World) -> World:
    world.procedure.supplement_close_days = 15
    world.procedure.save(update_fields=["supplement_close_days"])
    return world


def test_closed_after_fifteen_working_days_once(closing_after_15: World) -> None:
    world = closing_after_15
    dossier = _waiting(world)

    assert dossiers_close_unsupplied(now=FIFTEEN_WORKING_DAYS_LATER) == []
    closed = dossiers_close_unsupplied(now=FIFTEEN_WORKING_DAYS_LATER + timedelta(minutes=1))
    again = dossiers_close_unsupplied(now=FIFTEEN_WORKING_DAYS_LATER + timedelta(days=30))

    assert (closed, again) == ([dossier.code], [])
    dossier.refresh_from_db()
    assert (dossier.status, dossier.sub_state) == (Status.STOPPED, SubState.STOPPED)
    assert dossier.finished_at == FIFTEEN_WORKING_DAYS_LATER + timedelta(minutes=1)
    assert not dossier.steps.filter(finished_at__isnull=True).exists()
    event = DossierEvent.objects.filter(dossier=dossier).order_by("seq").last()
    assert event is not None
    assert (event.action, event.actor, event.actor_username, event.from_status, event.to_status) == (
        "close-unsupplied",
        None,
        "system",
        Status.SUPPLEMENT_REQUESTED,
        Status.STOPPED,
    )
    notice = StaffClient(world.staff["reception"]).get(f"/api/v1/dossiers/{dossier.code}/forms/mau05")
    assert "Quá 15 ngày làm việc" in pdf_text(notice.content)
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "every audit chain is intact" in out.getvalue()


def test_never_closed_without_the_procedure_setting(world: World) -> None:
    dossier = _waiting(world)

    assert dossiers_close_unsupplied(now=REQUESTED + timedelta(days=120)) == []
    dossier.refresh_from_db()
    assert dossier.sub_state == SubState.WAITING_SUPPLEMENT


def test_supplied_in_time_is_not_closed(closing_after_15: World) -> None:
    world = closing_after_15
    dossier = _waiting(world)
    act(world, dossier, "supplement", "reception", at=FIFTEEN_WORKING_DAYS_LATER - timedelta(hours=1))

    assert dossiers_close_unsupplied(now=FIFTEEN_WORKING_DAYS_LATER + timedelta(days=10)) == []


def test_staff_cannot_take_the_system_action(closing_after_15: World) -> None:
    world = closing_after_15
    dossier = _waiting(world)

    with pytest.raises(DomainError) as caught:
        act(world, dossier, "close-unsupplied", "reception", reason="x")

    assert (caught.value.code, caught.value.status) == ("action_not_permitted", 403)


def test_the_command_reports_and_is_idempotent(closing_after_15: World) -> None:
    world = closing_after_15
    dossier = _waiting(world)  # requested in March 2026: long overdue by now
    first, second = StringIO(), StringIO()

    call_command("dossiers_sweep", stdout=first)
    call_command("dossiers_sweep", stdout=second)

    assert "Đã đóng 1 hồ sơ" in first.getvalue()
    assert dossier.code in first.getvalue()
    assert "Đã đóng 0 hồ sơ" in second.getvalue()
