"""Default internal workflows: limits in working days, splits that add up, the budget check."""

from __future__ import annotations

from decimal import Decimal

import pytest

from motcua.catalog.models import Level, TimeLimit, TimeUnit, WorkflowStep
from motcua.catalog.services.workflow import (
    check_step_budgets,
    default_steps,
    limit_in_working_days,
    workflow_template_mark_edited,
    workflow_template_reset,
)
from motcua.catalog.tests.factories import procedure_with_version
from motcua.core.errors import InvalidInput

D = Decimal


@pytest.mark.parametrize(
    ("amount", "unit", "days"),
    [
        ("5", TimeUnit.WORKING_DAYS, "5"),
        ("0.5", TimeUnit.WORKING_DAYS, "0.5"),
        ("30", TimeUnit.DAYS, "21.25"),
        ("1", TimeUnit.DAYS, "0.5"),
        ("1", TimeUnit.MONTHS, "21.25"),
        ("4", TimeUnit.HOURS, "0.5"),
        ("1", TimeUnit.HOURS, "0.25"),
    ],
)
def test_limits_convert_to_quarter_working_days_never_above_the_law(amount: str, unit: str, days: str) -> None:
    assert limit_in_working_days(TimeLimit(amount=D(amount), unit=unit)) == D(days)


def test_unknown_or_zero_limit_has_no_working_days() -> None:
    assert limit_in_working_days(None) is None
    assert limit_in_working_days(TimeLimit(amount=D(0), unit=TimeUnit.WORKING_DAYS)) is None


@pytest.mark.parametrize("quarters", range(1, 200))
def test_default_steps_add_up_to_the_limit_in_quarter_days(quarters: int) -> None:
    limit = D(quarters) * D("0.25")
    steps = default_steps(limit, [Level.PROVINCE])

    assert sum(s.budget_days for s in steps) == limit
    assert all(s.budget_days > 0 and s.budget_days % D("0.25") == 0 for s in steps)
    assert steps[0].unit_kind == "receiving_desk"


def test_short_limits_merge_steps() -> None:
    assert [s.role for s in default_steps(D("0.25"), [Level.COMMUNE])] == ["reception"]
    assert [s.role for s in default_steps(D("0.5"), [Level.COMMUNE])] == ["reception", "specialist"]
    assert [s.role for s in default_steps(D("0.75"), [Level.COMMUNE])] == ["reception", "specialist", "leader"]
    assert [s.budget_days for s in default_steps(D(15), [Level.COMMUNE])] == [D("0.25"), D("13.5"), D(1), D("0.25")]


def test_budget_check_names_the_totals_in_vietnamese() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_step_budgets(limit_days=D(5), budgets=[D("0.25"), D(4)])

    assert caught.value.code == "workflow_budget_mismatch"
    assert "phải bằng thời hạn giải quyết" in caught.value.message
    with pytest.raises(InvalidInput, match="bội số dương của 0,25"):
        check_step_budgets(limit_days=None, budgets=[D("0.3")])


@pytest.mark.django_db
def test_reset_then_officer_edit_marks_the_template_reviewed() -> None:
    procedure = procedure_with_version()
    template = workflow_template_reset(procedure=procedure)
    assert template.is_default is True

    WorkflowStep.objects.filter(template=template, order=2).update(budget_days=D("3.25"))
    WorkflowStep.objects.filter(template=template, order=3).update(budget_days=D("1.25"))
    workflow_template_mark_edited(template=template)
    template.refresh_from_db()

    assert (template.is_default, template.needs_review) == (False, False)
    WorkflowStep.objects.filter(template=template, order=2).update(budget_days=D(4))
    with pytest.raises(InvalidInput):
        workflow_template_mark_edited(template=template)
