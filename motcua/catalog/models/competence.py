"""Competence (thẩm quyền) of the province's bodies over procedures, and its delegation.

`SectorAssignment` says which provincial body handles a field's procedures (or pins one procedure to
a body); `Delegation` records a decision on phân cấp / ủy quyền that moves competence to another body
or down to commune level for a period. The rules that combine them live in `catalog.competence`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from motcua.core.models import TimestampedModel
from motcua.org.models import Agency, AgencyKind, Province

from .procedures import Field, Procedure

#: Exactly one of `field` and `procedure` is set.
_FIELD_XOR_PROCEDURE = (Q(field__isnull=False) & Q(procedure__isnull=True)) | (
    Q(field__isnull=True) & Q(procedure__isnull=False)
)


class SectorAssignment(TimestampedModel):
    """Phân công thẩm quyền cấp tỉnh: the body of the province that handles a field's procedures.

    A row for a `field` covers that field's provincial-level procedures (and, through
    `commune_agency_kind`, says which commune body handles its commune-level ones: the commune
    People's Committee, or e.g. the commune police for residence procedures). A row for a `procedure`
    pins that procedure to `agency` even when it also runs at commune level.
    """

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="sector_assignments", verbose_name="tỉnh"
    )
    field = models.ForeignKey(
        Field,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sector_assignments",
        verbose_name="lĩnh vực",
    )
    procedure = models.ForeignKey(
        Procedure,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sector_assignments",
        verbose_name="thủ tục (giao riêng)",
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="sector_assignments", verbose_name="cơ quan giải quyết"
    )
    commune_agency_kind = models.CharField(
        max_length=30,
        choices=AgencyKind.choices,
        default=AgencyKind.COMMUNE_COMMITTEE,
        verbose_name="cơ quan cấp xã giải quyết",
        help_text="Loại cơ quan tại xã, phường giải quyết các thủ tục cấp xã của lĩnh vực.",
    )
    note = models.TextField(blank=True, verbose_name="ghi chú")

    class Meta:
        verbose_name = "phân công thẩm quyền theo lĩnh vực"
        verbose_name_plural = "phân công thẩm quyền theo lĩnh vực"
        ordering = ["province", "field", "procedure"]
        constraints = [
            models.CheckConstraint(condition=_FIELD_XOR_PROCEDURE, name="sector_assignment_field_xor_procedure"),
            models.UniqueConstraint(
                fields=["province", "field"],
                condition=Q(field__isnull=False),
                name="sector_assignment_unique_field",
            ),
            models.UniqueConstraint(
                fields=["province", "procedure"],
                condition=Q(procedure__isnull=False),
                name="sector_assignment_unique_procedure",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure or self.field} → {self.agency}"


class DelegationKind(models.TextChoices):
    DECENTRALIZATION = "decentralization", "Phân cấp"
    AUTHORIZATION = "authorization", "Ủy quyền"


class DelegationTarget(models.TextChoices):
    AGENCY = "agency", "Cơ quan được chỉ định"
    COMMUNE = "commune", "Cơ quan cấp xã nơi phát sinh hồ sơ"


class Delegation(TimestampedModel):
    """Phân cấp / ủy quyền: a decision moving competence over a procedure (or a whole field) to
    `to_agency`, or down to the commune body of the case's unit, from `valid_from` to `valid_to`
    (both inclusive; an open end means until revoked).

    `from_agency` records the body that gave up the competence (None when it is a ministry or another
    body outside the province's organization); it does not restrict when the record applies.
    """

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="delegations", verbose_name="tỉnh")
    kind = models.CharField(
        max_length=20, choices=DelegationKind.choices, default=DelegationKind.AUTHORIZATION, verbose_name="hình thức"
    )
    procedure = models.ForeignKey(
        Procedure, null=True, blank=True, on_delete=models.CASCADE, related_name="delegations", verbose_name="thủ tục"
    )
    field = models.ForeignKey(
        Field, null=True, blank=True, on_delete=models.CASCADE, related_name="delegations", verbose_name="lĩnh vực"
    )
    from_agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="delegations_given",
        verbose_name="cơ quan phân cấp, ủy quyền",
    )
    target = models.CharField(max_length=10, choices=DelegationTarget.choices, verbose_name="chuyển cho")
    to_agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="delegations_received",
        verbose_name="cơ quan được phân cấp, ủy quyền",
    )
    valid_from = models.DateField(verbose_name="hiệu lực từ ngày")
    valid_to = models.DateField(null=True, blank=True, verbose_name="hiệu lực đến hết ngày")
    decision_number = models.CharField(max_length=100, verbose_name="số quyết định")
    decision_date = models.DateField(null=True, blank=True, verbose_name="ngày quyết định")
    note = models.TextField(blank=True, verbose_name="ghi chú")

    class Meta:
        verbose_name = "phân cấp, ủy quyền"
        verbose_name_plural = "phân cấp, ủy quyền"
        ordering = ["province", "-valid_from"]
        indexes = [models.Index(fields=["province", "valid_from"], name="delegation_province_from")]
        constraints = [
            models.CheckConstraint(condition=_FIELD_XOR_PROCEDURE, name="delegation_field_xor_procedure"),
            models.CheckConstraint(
                condition=(Q(target=DelegationTarget.AGENCY) & Q(to_agency__isnull=False))
                | (Q(target=DelegationTarget.COMMUNE) & Q(to_agency__isnull=True)),
                name="delegation_target_matches_agency",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="delegation_period_order",
            ),
        ]

    def __str__(self) -> str:
        target = self.to_agency if self.to_agency_id else self.get_target_display()
        return f"{self.decision_number}: {self.procedure or self.field} → {target}"
