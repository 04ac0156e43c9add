"""Records kept beside the lifecycle: supplement rounds (Mẫu 02) and paper-dossier transfers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class SupplementRequest(models.Model):
    """Yêu cầu bổ sung, hoàn thiện hồ sơ: one round; `waited` is the working time the clock stood still."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="supplement_requests", verbose_name="hồ sơ"
    )
    round = models.PositiveSmallIntegerField(verbose_name="lần")
    requested_at = models.DateTimeField(verbose_name="yêu cầu lúc")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="người yêu cầu"
    )
    items = models.JSONField(default=list, verbose_name="nội dung cần bổ sung")
    reason = models.TextField(verbose_name="lý do")
    received_at = models.DateTimeField(null=True, blank=True, verbose_name="nhận bổ sung lúc")
    waited = models.DurationField(null=True, blank=True, verbose_name="thời gian chờ (giờ làm việc)")

    class Meta:
        verbose_name = "yêu cầu bổ sung"
        verbose_name_plural = "yêu cầu bổ sung"
        ordering = ["dossier", "round"]
        constraints = [models.UniqueConstraint(fields=["dossier", "round"], name="supplement_unique_round")]

    def __str__(self) -> str:
        return f"{self.dossier_id} lần {self.round}"


class PaperTransfer(models.Model):
    """The paper dossier's trip from the receiving desk to the handling body (domain.md §7).

    Opened when the e-dossier is transferred (`transferred_at`); the paper must reach the handling
    body within 1 working day of it (`due_at`). The desk records when it handed the paper to a carrier
    (courier or public post, with its tracking number); the handling body records its arrival, and
    `late` is set when that was after `due_at`. A transfer still not received after `due_at` is late too
    (see `paper_selectors`).
    """

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="paper_transfer", verbose_name="hồ sơ"
    )
    transferred_at = models.DateTimeField(verbose_name="chuyển hồ sơ điện tử lúc")
    due_at = models.DateTimeField(verbose_name="phải đến trước")
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name="gửi hồ sơ giấy lúc")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name="người gửi"
    )
    carrier = models.CharField(max_length=100, blank=True, verbose_name="đơn vị vận chuyển")
    tracking_number = models.CharField(max_length=50, blank=True, verbose_name="số vận đơn")
    received_at = models.DateTimeField(null=True, blank=True, verbose_name="nhận lúc")
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name="người nhận"
    )
    late = models.BooleanField(default=False, verbose_name="chuyển muộn")

    class Meta:
        verbose_name = "chuyển hồ sơ giấy"
        verbose_name_plural = "chuyển hồ sơ giấy"
        indexes = [
            models.Index(fields=["due_at"], condition=Q(received_at__isnull=True), name="paper_transfer_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.transferred_at:%Y-%m-%d}"
