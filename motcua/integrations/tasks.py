"""django-tasks: the worker (`motcua db_worker`) drains the outbox soon after each commit that fills it."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks import task

from motcua.integrations.delivery import outbox_drain

#: A process asks for at most one drain per this interval: a burst of receptions (hundreds a second at
#: peak) shares one drain instead of queueing a task, and a drain, per dossier.
WAKE_INTERVAL = timedelta(seconds=1)

_lock = threading.Lock()
#: When this process's latest wake-up was asked to run; every message committed before then is covered.
_latest_run_after: list[datetime | None] = [None]


@task()
def outbox_drain_task() -> int:
    return outbox_drain().delivered


def wake_worker(now: datetime | None = None) -> None:
    """Ask the worker to drain after a commit that enqueued messages (see `core.outbox`).

    A drain that starts after the commit delivers the message. So when this process already asked for
    a drain that cannot have started yet (its `run_after` is still ahead), nothing is enqueued; else a
    drain is asked for now or, within `WAKE_INTERVAL` of the previous one, for the end of that interval.
    """
    at = now or timezone.now()
    with _lock:
        latest = _latest_run_after[0]
        if latest is not None and latest > at:
            return
        run_after = None if latest is None or at - latest >= WAKE_INTERVAL else latest + WAKE_INTERVAL
        _latest_run_after[0] = run_after or at
    (outbox_drain_task.using(run_after=run_after) if run_after else outbox_drain_task).enqueue()
