"""django-tasks: the worker (`motcua db_worker`) drains the outbox after each commit that fills it."""

from __future__ import annotations

from django_tasks import task

from motcua.integrations.delivery import outbox_drain


@task()
def outbox_drain_task() -> int:
    return outbox_drain().delivered


def wake_worker() -> None:
    outbox_drain_task.enqueue()
