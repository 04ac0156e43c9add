"""Citizens' ratings of a returned dossier (đánh giá mức độ hài lòng, domain.md §9; Decision 766 index 6)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from motcua.core.models import TimestampedModel

from .dossiers import Dossier


class Satisfaction(models.TextChoices):
    """The scale of Decree 118 was not found (domain.md §9, L): at least satisfied / dissatisfied."""

    SATISFIED = "satisfied", "Hài lòng"
    NEUTRAL = "neutral", "Bình thường"
    DISSATISFIED = "dissatisfied", "Không hài lòng"


class DossierRating(TimestampedModel):
    """One rating per dossier, of the dossier and of the officer who returned its result; changeable for a
    few days (`MOTCUA_RATING_CHANGE_DAYS`), then fixed for the index."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="rating", verbose_name="hồ sơ")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="cán bộ được đánh giá",
    )
    satisfaction = models.CharField(max_length=12, choices=Satisfaction.choices, verbose_name="mức độ hài lòng")
    comment = models.TextField(blank=True, max_length=2000, verbose_name="góp ý")
    changes = models.PositiveSmallIntegerField(default=0, verbose_name="số lần sửa")

    class Meta:
        verbose_name = "đánh giá hồ sơ"
        verbose_name_plural = "đánh giá hồ sơ"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(satisfaction__in=["satisfied", "neutral", "dissatisfied"]),
                name="rating_known_satisfaction",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.satisfaction}"
