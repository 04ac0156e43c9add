"""Internal workflow templates (quy trình nội bộ, quy trình điện tử) of procedures.

A template is the ordered list of steps a dossier of the procedure goes through (who does what, in
how many working days); the budgets add up to the legal time limit converted to working days.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q

from motcua.core.models import TimestampedModel
from motcua.org.models import Role

from .procedures import Procedure


class StepRole(models.TextChoices):
    """The staff role doing a step; values are those of `org.models.Role` so routing can match them."""

    RECEPTION = Role.RECEPTION.value, Role.RECEPTION.label
    SPECIALIST = Role.SPECIALIST.value, Role.SPECIALIST.label
    LEADER = Role.LEADER.value, Role.LEADER.label
    CLERK = Role.CLERK.value, Role.CLERK.label


class UnitKind(models.TextChoices):
    """Where a step happens."""

    RECEIVING_DESK = "receiving_desk", "Bộ phận tiếp nhận và trả kết quả"
    COMPETENT_BODY = "competent_body", "Cơ quan chuyên môn giải quyết"
    LEADER = "leader", "Lãnh đạo cơ quan có thẩm quyền"
    CLERK = "clerk", "Văn thư"


BUDGET_STEP = Decimal("0.25")


class WorkflowTemplate(TimestampedModel):
    """Quy trình nội bộ of one procedure.

    `limit_days` is the legal time limit in working days the steps must add up to (None when the
    limit could not be read; such templates are flagged `needs_review`). `is_default` stays true
    until an officer edits the template, so re-imports may regenerate default templates only.
    """

    procedure = models.OneToOneField(
        Procedure, on_delete=models.CASCADE, related_name="workflow", verbose_name="thủ tục"
    )
    limit_days = models.DecimalField(
        max_digits=7, decimal_places=2, null=True, blank=True, verbose_name="tổng thời hạn (ngày làm việc)"
    )
    limit_basis = models.CharField(max_length=255, blank=True, verbose_name="căn cứ tính thời hạn")
    is_default = models.BooleanField(default=True, verbose_name="quy trình mặc định")
    needs_review = models.BooleanField(default=False, verbose_name="cần rà soát")

    class Meta:
        verbose_name = "quy trình nội bộ"
        verbose_name_plural = "quy trình nội bộ"
        ordering = ["procedure"]
        constraints = [
            models.CheckConstraint(
                condition=Q(limit_days__isnull=True) | Q(limit_days__gt=0), name="workflow_limit_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Quy trình {self.procedure_id}"


class WorkflowStep(models.Model):
    """Bước xử lý: task, role, unit and budget in working days (multiples of 0.25)."""

    template = models.ForeignKey(
        WorkflowTemplate, on_delete=models.CASCADE, related_name="steps", verbose_name="quy trình"
    )
    order = models.PositiveSmallIntegerField(verbose_name="thứ tự")
    name = models.CharField(max_length=255, verbose_name="công việc")
    role = models.CharField(max_length=20, choices=StepRole.choices, verbose_name="vai trò")
    unit_kind = models.CharField(max_length=20, choices=UnitKind.choices, verbose_name="đơn vị thực hiện")
    budget_days = models.DecimalField(max_digits=6, decimal_places=2, verbose_name="thời gian (ngày làm việc)")
    output = models.CharField(max_length=255, blank=True, verbose_name="kết quả, biểu mẫu")

    class Meta:
        verbose_name = "bước xử lý"
        verbose_name_plural = "bước xử lý"
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "order"], name="workflow_step_unique_order"),
            models.CheckConstraint(condition=Q(budget_days__gt=0), name="workflow_step_budget_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"
