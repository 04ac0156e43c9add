"""Internal workflow templates (quy trình nội bộ): the default split of a legal time limit into
steps, the budget check officers' edits must pass, and the services that write templates.

Default rule (every imported procedure gets one, so each has an electronic workflow from day one):

- The legal limit is converted to working days in quarter days, never exceeding it: working days as
  they are; calendar days × 5/7; months × 30 × 5/7; hours ÷ 8 (a working day has 8 hours); each
  rounded down to 0.25 with 0.25 as the least.
- 1 working day or more: reception at the desk 0.25; the specialist of the competent body the rest;
  the leader's approval 0.25 (below 3 days), 0.5 (below 10) or 1; the clerk numbers, seals and sends
  the result back to the desk 0.25.
- 0.75: reception, handling, and approval with issuance (0.25 each). 0.5: reception, then handling,
  approval and issuance together. 0.25 (same-day or hour limits): one step at the desk.
- Unknown limit: a nominal one-day split, no total, flagged `needs_review` for the officers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from django.db import transaction

from motcua.catalog.models import (
    Level,
    Procedure,
    StepRole,
    TimeLimit,
    TimeUnit,
    UnitKind,
    WorkflowStep,
    WorkflowTemplate,
)
from motcua.catalog.models.workflow import BUDGET_STEP
from motcua.core.errors import InvalidInput
from motcua.core.reference_cache import reference_changed

WORKING_HOURS_PER_DAY = Decimal(8)
WORKING_DAYS_PER_WEEK = Decimal(5)
DAYS_PER_MONTH = Decimal(30)
NOMINAL_BUDGET = BUDGET_STEP


@dataclass(frozen=True)
class StepSpec:
    name: str
    role: str
    unit_kind: str
    budget_days: Decimal
    output: str = ""


def quarter_floor(value: Decimal) -> Decimal:
    return (value / BUDGET_STEP).to_integral_value(rounding=ROUND_FLOOR) * BUDGET_STEP


def limit_in_working_days(limit: TimeLimit | None) -> Decimal | None:
    """The legal limit as working days for internal budgets (see the module docstring)."""
    if limit is None or limit.amount <= 0:
        return None
    amount = limit.amount
    if limit.unit == TimeUnit.WORKING_DAYS:
        days = amount
    elif limit.unit == TimeUnit.DAYS:
        days = amount * WORKING_DAYS_PER_WEEK / 7
    elif limit.unit == TimeUnit.MONTHS:
        days = amount * DAYS_PER_MONTH * WORKING_DAYS_PER_WEEK / 7
    elif limit.unit == TimeUnit.HOURS:
        days = amount / WORKING_HOURS_PER_DAY
    else:
        return None
    return max(quarter_floor(days), BUDGET_STEP)


def _leader_step(levels: Sequence[str]) -> str:
    if Level.PROVINCE in levels:
        return "Lãnh đạo cơ quan chuyên môn cấp tỉnh xem xét, ký duyệt kết quả"
    if Level.COMMUNE in levels:
        return "Chủ tịch hoặc Phó Chủ tịch UBND xã xem xét, ký duyệt kết quả"
    return "Lãnh đạo cơ quan có thẩm quyền xem xét, ký duyệt kết quả"


RECEIVE = "Tiếp nhận, kiểm tra, số hóa hồ sơ; chuyển cơ quan giải quyết"
HANDLE = "Thẩm định, xử lý hồ sơ; dự thảo kết quả"
ISSUE = "Vào số, đóng dấu, phát hành kết quả; chuyển kết quả về bộ phận một cửa"


def default_steps(limit_days: Decimal | None, levels: Sequence[str]) -> list[StepSpec]:
    """The default steps for a limit in working days (None: unknown limit, nominal budgets)."""
    q = BUDGET_STEP
    receive = StepSpec(RECEIVE, StepRole.RECEPTION, UnitKind.RECEIVING_DESK, q, "Giấy tiếp nhận hồ sơ (Mẫu 01)")
    if limit_days is None:
        limit_days = 4 * NOMINAL_BUDGET
    if limit_days <= q:
        return [
            StepSpec(
                "Tiếp nhận, giải quyết và trả kết quả trong ngày",
                StepRole.RECEPTION,
                UnitKind.RECEIVING_DESK,
                q,
                "Kết quả giải quyết",
            )
        ]
    if limit_days <= 2 * q:
        handle_all = "Xử lý, trình ký, ký duyệt và phát hành kết quả"
        return [receive, StepSpec(handle_all, StepRole.SPECIALIST, UnitKind.COMPETENT_BODY, q, "Kết quả giải quyết")]
    if limit_days <= 3 * q:
        return [
            receive,
            StepSpec(HANDLE, StepRole.SPECIALIST, UnitKind.COMPETENT_BODY, q, "Dự thảo kết quả"),
            StepSpec(_leader_step(levels) + "; phát hành", StepRole.LEADER, UnitKind.LEADER, q, "Kết quả đã ký"),
        ]
    leader = q if limit_days < 3 else (2 * q if limit_days < 10 else 4 * q)
    handle = limit_days - q - leader - q
    return [
        receive,
        StepSpec(HANDLE, StepRole.SPECIALIST, UnitKind.COMPETENT_BODY, handle, "Dự thảo kết quả"),
        StepSpec(_leader_step(levels), StepRole.LEADER, UnitKind.LEADER, leader, "Kết quả đã ký"),
        StepSpec(ISSUE, StepRole.CLERK, UnitKind.CLERK, q, "Kết quả đã vào số"),
    ]


def limit_basis(limit: TimeLimit | None, limit_days: Decimal | None) -> str:
    if limit is None or limit_days is None:
        return "Chưa xác định được thời hạn giải quyết theo quy định"
    text = f"{limit.amount.normalize():f} {TimeUnit(limit.unit).label.lower()}"
    if limit.unit != TimeUnit.WORKING_DAYS:
        text += f" ≈ {limit_days.normalize():f} ngày làm việc"
    return text


def build_default_workflow(
    procedure: Procedure, limit: TimeLimit | None, levels: Sequence[str]
) -> tuple[WorkflowTemplate, list[WorkflowStep]]:
    """Unsaved template and steps (the importer writes them in bulk)."""
    limit_days = limit_in_working_days(limit)
    template = WorkflowTemplate(
        procedure=procedure,
        limit_days=limit_days,
        limit_basis=limit_basis(limit, limit_days),
        is_default=True,
        needs_review=limit_days is None,
    )
    steps = [
        WorkflowStep(
            template=template,
            order=index,
            name=spec.name,
            role=spec.role,
            unit_kind=spec.unit_kind,
            budget_days=spec.budget_days,
            output=spec.output,
        )
        for index, spec in enumerate(default_steps(limit_days, levels), start=1)
    ]
    return template, steps


def check_step_budgets(*, limit_days: Decimal | None, budgets: Sequence[Decimal]) -> None:
    """Budgets are positive multiples of 0.25 that add up exactly to the limit (when it is known)."""
    if not budgets:
        raise InvalidInput("Quy trình phải có ít nhất một bước.", code="workflow_no_steps")
    for budget in budgets:
        if budget <= 0 or budget % BUDGET_STEP:
            raise InvalidInput(
                f"Thời gian của mỗi bước phải là bội số dương của 0,25 ngày làm việc (đang là {budget}).",
                code="workflow_step_budget",
                budget=str(budget),
            )
    total = sum(budgets, Decimal(0))
    if limit_days is not None and total != limit_days:
        raise InvalidInput(
            f"Tổng thời gian các bước ({total.normalize():f} ngày làm việc) phải bằng thời hạn giải quyết "
            f"theo quy định ({limit_days.normalize():f} ngày làm việc).",
            code="workflow_budget_mismatch",
            total=str(total),
            limit=str(limit_days),
        )


@transaction.atomic
def workflow_template_reset(*, procedure: Procedure) -> WorkflowTemplate:
    """Replace the procedure's template with the default one for its current version's time limit."""
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    reference_changed()  # the steps are written in bulk, without signals
    version = procedure.current_version
    limit = version.time_limit() if version is not None else None
    WorkflowTemplate.objects.filter(procedure=procedure).delete()
    template, steps = build_default_workflow(procedure, limit, procedure.levels)
    template.save()
    WorkflowStep.objects.bulk_create(steps)
    return template


@transaction.atomic
def workflow_template_mark_edited(*, template: WorkflowTemplate) -> None:
    """An officer saved the template: it is no longer the default and has been reviewed."""
    check_step_budgets(limit_days=template.limit_days, budgets=[step.budget_days for step in template.steps.all()])
    WorkflowTemplate.objects.filter(pk=template.pk).update(is_default=False, needs_review=False)
    reference_changed()
