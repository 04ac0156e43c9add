"""Workflow step instances of a dossier: created from the procedure's template, each with its own due time."""

from __future__ import annotations

from datetime import datetime, timedelta

from motcua.catalog.models import Procedure, WorkflowStep, WorkflowTemplate
from motcua.core.inserts import row_build, rows_insert
from motcua.core.reference_cache import reference_cached
from motcua.dossiers.models import Dossier, DossierStep
from motcua.dossiers.services import deadlines
from motcua.org.models import Role, StaffUser
from motcua.workcal.calendar import WorkCalendar, add_working_time


def workflow_of(procedure: Procedure) -> WorkflowTemplate | None:
    return WorkflowTemplate.objects.filter(procedure=procedure).first()


def workflow_with_steps(procedure: Procedure) -> tuple[WorkflowTemplate | None, list[WorkflowStep]]:
    """The procedure's workflow template and its steps in order: one query when it has steps; memoized per
    process (see `core.reference_cache`)."""

    def load() -> tuple[WorkflowTemplate | None, list[WorkflowStep]]:
        steps = list(
            WorkflowStep.objects.select_related("template").filter(template__procedure=procedure).order_by("order")
        )
        if steps:
            return steps[0].template, steps
        return workflow_of(procedure), []

    return reference_cached("catalog.workflow", procedure.pk, load)


def steps_create(
    *,
    dossier: Dossier,
    template: WorkflowTemplate | None,
    schedule: tuple[datetime, WorkCalendar] | None = None,
    template_steps: list[WorkflowStep] | None = None,
) -> None:
    """The dossier's steps from `template` (its steps in order, `template_steps`, when already read);
    with `schedule` (start, calendar) already scheduled as `steps_schedule` would (one INSERT instead
    of an INSERT, a SELECT and an UPDATE)."""
    if template is None:
        return
    if template_steps is None:
        template_steps = list(template.steps.order_by("order"))
    steps = [
        row_build(DossierStep, dossier=dossier, order=s.order, name=s.name, role=s.role, budget_days=s.budget_days)
        for s in template_steps
    ]
    if schedule is not None:
        start, calendar = schedule
        dues = deadlines.step_dues(start, [step.budget_days for step in steps], calendar)
        for position, (step, due) in enumerate(zip(steps, dues, strict=True)):
            step.due_at = due
            if position == 0:
                step.started_at = start
    rows_insert(steps)


def steps_schedule(*, dossier: Dossier, start: datetime, calendar: WorkCalendar) -> None:
    """(Re)start the count at `start`: due times of the unfinished steps by cumulative budget, and the
    first unfinished step begins."""
    steps = list(dossier.steps.filter(finished_at__isnull=True).order_by("order"))
    dues = deadlines.step_dues(start, [step.budget_days for step in steps], calendar)
    for position, (step, due) in enumerate(zip(steps, dues, strict=True)):
        step.due_at = due
        if position == 0 and step.started_at is None:
            step.started_at = start
    DossierStep.objects.bulk_update(steps, ["due_at", "started_at"])


def steps_shift(*, dossier: Dossier, by: timedelta, calendar: WorkCalendar) -> None:
    """Move the unfinished steps' due times by `by` of working time (the clock stood still that long)."""
    steps = list(dossier.steps.filter(finished_at__isnull=True, due_at__isnull=False))
    for step in steps:
        assert step.due_at is not None
        step.due_at = add_working_time(step.due_at, duration=by, calendar=calendar)
    DossierStep.objects.bulk_update(steps, ["due_at"])


def current_step(dossier: Dossier) -> DossierStep | None:
    return dossier.steps.filter(finished_at__isnull=True).order_by("order").first()


def step_advance(*, dossier: Dossier, at: datetime, actor: StaffUser | None = None) -> DossierStep | None:
    """Finish the current step and start the next one, which is returned (None at the end)."""
    step = current_step(dossier)
    if step is None:
        return None
    step.finished_at = at
    if step.assignee is None and actor is not None:
        step.assignee = actor
    step.save(update_fields=["finished_at", "assignee"])
    following = current_step(dossier)
    if following is not None and following.started_at is None:
        following.started_at = at
        following.save(update_fields=["started_at"])
    return following


def steps_finish_all(*, dossier: Dossier, at: datetime) -> None:
    dossier.steps.filter(finished_at__isnull=True).update(finished_at=at)


def remaining_roles(dossier: Dossier) -> list[Role]:
    return [
        Role(role)
        for role in dossier.steps.filter(finished_at__isnull=True).order_by("order").values_list("role", flat=True)
    ]
