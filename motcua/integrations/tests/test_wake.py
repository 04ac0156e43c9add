"""Waking the worker after commits that fill the outbox: every message is covered by a drain that starts
after its commit, and a burst shares one drain instead of queueing a task per dossier."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from motcua.core.outbox import outbox_enqueue
from motcua.integrations import tasks

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tasks, "_latest_run_after", [None])


def wake_ups() -> list[datetime | None]:
    return [r.task.run_after for r in DBTaskResult.objects.order_by("enqueued_at", "id")]


def test_a_commit_that_fills_the_outbox_wakes_the_worker_now() -> None:
    outbox_enqueue(partner="sms", kind="status.notice", payload={"to": "1", "text": "x"}, idempotency_key="k1")

    assert wake_ups() == [None]
    assert DBTaskResult.objects.get().task_path.endswith("outbox_drain_task")


def test_a_burst_shares_one_drain_and_the_last_message_is_still_covered() -> None:
    start = timezone.now()
    for millisecond in range(0, 600, 10):  # 60 commits in 0.6 s
        tasks.wake_worker(now=start + timedelta(milliseconds=millisecond))

    # The first asked for a drain now; the second for the end of the interval, which covers the other 58.
    assert wake_ups() == [None, start + tasks.WAKE_INTERVAL]

    tasks.wake_worker(now=start + tasks.WAKE_INTERVAL + timedelta(milliseconds=1))  # after that drain may start
    assert wake_ups()[-1] == start + 2 * tasks.WAKE_INTERVAL

    tasks.wake_worker(now=start + timedelta(seconds=10))  # quiet since: at once again
    assert wake_ups()[-1] is None
    assert len(wake_ups()) == 4


def test_the_hourly_housekeeping_prunes_drains_finished_two_weeks_ago() -> None:
    """A busy server asks for up to one drain a second per process: their finished rows would grow the
    task table for ever. The housekeeping (`scripts/run.sh`, `scripts/run-prod.sh`) prunes them."""
    for _ in range(3):
        tasks.outbox_drain_task.enqueue()
    old, recent, waiting = DBTaskResult.objects.order_by("id")
    done = TaskResultStatus.SUCCESSFUL
    DBTaskResult.objects.filter(pk=old.pk).update(status=done, finished_at=timezone.now() - timedelta(days=15))
    DBTaskResult.objects.filter(pk=recent.pk).update(status=done, finished_at=timezone.now() - timedelta(days=13))

    call_command("prune_db_task_results", min_age_days=14, verbosity=0)

    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
