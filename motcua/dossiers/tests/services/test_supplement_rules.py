"""Per-procedure supplement rules (domain.md §4.4): restart the count when the catalog says so."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from motcua.catalog.models import SupplementRule
from motcua.dossiers.tests.factories import World, act, receive

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY_0912 = datetime(2026, 3, 2, 9, 12, tzinfo=HCM)


def test_restart_counts_the_whole_limit_again_from_the_complete_dossier(world: World) -> None:
    world.procedure.supplement_rule = SupplementRule.RESTART
    world.procedure.save(update_fields=["supplement_rule"])
    dossier = receive(world, received_at=MONDAY_0912)
    act(world, dossier, "transfer", "reception", at=MONDAY_0912 + timedelta(minutes=5))
    act(world, dossier, "assign", "specialist", at=MONDAY_0912 + timedelta(minutes=10))
    act(
        world,
        dossier,
        "request-supplement",
        "specialist",
        at=datetime(2026, 3, 3, 10, tzinfo=HCM),
        reason="Thiếu bản sao",
        payload={"items": ["Giấy chứng sinh"]},
    )

    supplied = datetime(2026, 3, 5, 14, 0, tzinfo=HCM)
    resumed = act(world, dossier, "supplement", "reception", at=supplied)

    # 5 working days from Thursday 14:00, not the original Monday 9 March moved by the wait.
    assert resumed.due_at == datetime(2026, 3, 12, 14, 0, tzinfo=HCM)
    assert resumed.original_due_at == datetime(2026, 3, 9, 9, 12, tzinfo=HCM)
    open_steps = list(resumed.steps.filter(finished_at__isnull=True).order_by("order"))
    # The unfinished steps are scheduled again from the supplement, within the new due time.
    assert all(step.due_at is not None and supplied < step.due_at <= resumed.due_at for step in open_steps)


def test_pause_is_the_default(world: World) -> None:
    assert world.procedure.supplement_rule == SupplementRule.PAUSE
