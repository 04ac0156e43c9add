"""The lifecycle service: the full path, supplements and the clock, extension, disallowed actions."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from motcua.core.errors import DomainError
from motcua.dossiers.models import Dossier, DossierEvent, Outcome, PaperTransfer, SupplementRequest
from motcua.dossiers.states import Status, SubState
from motcua.dossiers.tests.factories import DossierFactory, World, act, receive
from motcua.workcal.calendar import add_working_time, working_time_between
from motcua.workcal.services import get_calendar

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY_0912 = datetime(2026, 3, 2, 9, 12, tzinfo=HCM)


def _handling(world: World) -> Dossier:
    dossier = receive(world, received_at=MONDAY_0912)
    act(world, dossier, "transfer", "reception", at=MONDAY_0912 + timedelta(minutes=5))
    return act(world, dossier, "assign", "specialist", at=MONDAY_0912 + timedelta(minutes=10))


def test_the_whole_path_to_the_returned_result(world: World) -> None:
    dossier = DossierFactory.create(world=world, returned=True)

    assert (dossier.status, dossier.sub_state) == (Status.RETURNED, SubState.RETURNED)
    assert dossier.outcome == Outcome.APPROVED
    assert dossier.finished_at is not None
    assert dossier.returned_at is not None
    assert list(DossierEvent.objects.filter(dossier=dossier).values_list("action", flat=True)) == [
        "receive", "transfer", "assign", "forward", "approve", "issue-result", "return-result",
    ]  # fmt: skip
    assert not dossier.steps.filter(finished_at__isnull=True).exists()
    assert dossier.steps.get(role="specialist").assignee == world.staff["specialist"]
    # Received elsewhere than the handling commune: the paper dossier follows within 1 working day.
    assert PaperTransfer.objects.get(dossier=dossier).due_at > dossier.received_at


def test_a_supplement_moves_the_due_time_by_exactly_the_working_time_waited(world: World) -> None:
    dossier = _handling(world)
    requested = datetime(2026, 3, 3, 10, 0, tzinfo=HCM)
    supplied = datetime(2026, 3, 5, 14, 0, tzinfo=HCM)

    paused = act(
        world,
        dossier,
        "request-supplement",
        "specialist",
        at=requested,
        reason="Thiếu bản sao",
        payload={"items": ["Giấy chứng sinh"]},
    )
    assert (paused.status, paused.paused_at) == (Status.SUPPLEMENT_REQUESTED, requested)
    resumed = act(world, dossier, "supplement", "reception", at=supplied)

    calendar = get_calendar()
    waited = working_time_between(requested, supplied, calendar)
    assert waited == timedelta(hours=17)  # Tue 10:00–17:00 (5 h), Wed (7 h 30), Thu to 14:00 (4 h 30)
    assert resumed.due_at == add_working_time(MONDAY_0912.replace(day=9), duration=waited, calendar=calendar)
    assert resumed.due_at == datetime(2026, 3, 11, 11, 12, tzinfo=HCM)
    assert resumed.original_due_at == datetime(2026, 3, 9, 9, 12, tzinfo=HCM)
    assert (resumed.sub_state, resumed.paused_total, resumed.late_by_supplements) == (
        SubState.IN_HANDLING,
        waited,
        False,
    )
    assert SupplementRequest.objects.get(dossier=dossier).waited == waited


def test_a_second_supplement_request_flags_the_dossier_late(world: World) -> None:
    dossier = _handling(world)
    for day in (3, 5):
        act(
            world, dossier, "request-supplement", "specialist", at=datetime(2026, 3, day, 8, tzinfo=HCM), reason="Thiếu"
        )
        dossier = act(world, dossier, "supplement", "reception", at=datetime(2026, 3, day, 9, tzinfo=HCM))

    assert (dossier.supplement_rounds, dossier.late_by_supplements) == (2, True)


def test_extension_once_and_not_within_the_last_working_day(world: World) -> None:
    dossier = _handling(world)
    extended = act(
        world,
        dossier,
        "extend",
        "leader",
        at=MONDAY_0912 + timedelta(hours=1),
        reason="Cần xác minh",
        payload={"working_days": 2},
    )
    assert extended.extended
    assert extended.due_at == datetime(2026, 3, 11, 9, 12, tzinfo=HCM)

    with pytest.raises(DomainError) as twice:
        act(world, dossier, "extend", "leader", reason="Lần nữa", payload={"working_days": 1})
    assert (twice.value.code, twice.value.status) == ("extension_already_granted", 409)

    late = _handling(world)
    # Friday 10:00 before a Monday 09:12 due time: 7 h 12 of working time left, under one day (7 h 30).
    with pytest.raises(DomainError) as too_late:
        act(
            world,
            late,
            "extend",
            "leader",
            at=datetime(2026, 3, 6, 10, tzinfo=HCM),
            reason="Muộn",
            payload={"working_days": 1},
        )
    assert (too_late.value.code, too_late.value.status) == ("extension_too_late", 409)


@pytest.mark.parametrize(
    ("setup", "action", "role"),
    [
        ("refused", "approve", "leader"),
        ("handling", "return-result", "reception"),
        ("handling", "issue-result", "clerk"),
        ("returned", "withdraw", "reception"),
    ],
)
def test_disallowed_actions_are_conflicts_and_write_nothing(world: World, setup: str, action: str, role: str) -> None:
    if setup == "refused":
        dossier = receive(world, channel="online")
        dossier = act(world, dossier, "refuse", "reception", reason="Không thuộc thẩm quyền")
    else:
        dossier = DossierFactory.create(world=world, stage=setup)
    events = DossierEvent.objects.filter(dossier=dossier).count()

    with pytest.raises(DomainError) as caught:
        act(world, dossier, action, role, reason="x")

    assert (caught.value.code, caught.value.status) == ("transition_not_allowed", 409)
    assert DossierEvent.objects.filter(dossier=dossier).count() == events


@pytest.mark.parametrize(
    ("role", "code", "status"),
    [
        ("specialist", "action_not_permitted", 403),  # wrong role in the right body
        ("other_leader", "dossier_not_found", 404),  # another commune does not even see it
        ("other_reception", "dossier_not_found", 404),
        ("supervisor", "action_not_permitted", 403),  # sees the province, changes nothing
    ],
)
def test_actors_outside_role_or_scope_are_refused(world: World, role: str, code: str, status: int) -> None:
    dossier = DossierFactory.create(world=world, signing=True)

    with pytest.raises(DomainError) as caught:
        act(world, dossier, "approve", role)

    assert (caught.value.code, caught.value.status) == (code, status)


def test_online_dossier_incomplete_then_supplemented_is_accepted_and_its_clock_starts(world: World) -> None:
    dossier = receive(world, channel="online", received_at=MONDAY_0912)
    act(
        world,
        dossier,
        "request-supplement",
        "reception",
        at=MONDAY_0912 + timedelta(hours=1),
        reason="Thiếu giấy chứng sinh",
    )
    supplied_at = datetime(2026, 3, 4, 8, 0, tzinfo=HCM)

    dossier = act(world, dossier, "supplement", "reception", at=supplied_at)

    assert (dossier.status, dossier.clock_started_at) == (Status.ACCEPTED, supplied_at)
    assert dossier.due_at == datetime(2026, 3, 11, 8, 0, tzinfo=HCM)


def test_reason_is_required_where_the_form_needs_one(world: World) -> None:
    dossier = receive(world, channel="online")
    with pytest.raises(DomainError) as caught:
        act(world, dossier, "refuse", "reception", reason="  ")
    assert caught.value.code == "reason_required"


def test_overdue_trait_gives_a_dossier_past_its_due_time(world: World) -> None:
    dossier = DossierFactory.create(world=world, overdue=True)
    assert dossier.due_at is not None
    assert dossier.due_at < datetime.now(tz=HCM)
    assert dossier.sub_state == SubState.IN_HANDLING
