"""The dossier's trail: hash-chained events (QuaTrinhXuLy, feeds Mẫu 06) and personal-data reads."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DossierEvent(models.Model):
    """One step of the dossier's history. Append-only: `hash` = SHA-256 over the canonical JSON of the
    event and `prev_hash`, so `motcua audit-verify` finds an altered, removed or reordered row."""

    # Led by the unique (dossier, seq) index: no index of its own.
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="events", db_index=False, verbose_name="hồ sơ"
    )
    seq = models.PositiveIntegerField(verbose_name="thứ tự")
    action = models.CharField(max_length=30, verbose_name="thao tác")
    from_status = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name="từ trạng thái")
    to_status = models.PositiveSmallIntegerField(verbose_name="sang trạng thái")
    from_sub_state = models.CharField(max_length=30, blank=True, verbose_name="từ bước")
    to_sub_state = models.CharField(max_length=30, verbose_name="sang bước")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name="người xử lý"
    )
    actor_username = models.CharField(max_length=150, verbose_name="tài khoản")
    actor_name = models.CharField(max_length=150, blank=True, verbose_name="họ tên")
    actor_role = models.CharField(max_length=20, blank=True, verbose_name="vai trò")
    at = models.DateTimeField(verbose_name="thời điểm")
    reason = models.TextField(blank=True, verbose_name="lý do, nội dung")
    payload = models.JSONField(default=dict, blank=True, verbose_name="dữ liệu")
    prev_hash = models.CharField(max_length=64, verbose_name="băm trước")
    hash = models.CharField(max_length=64, verbose_name="băm")

    class Meta:
        verbose_name = "sự kiện hồ sơ"
        verbose_name_plural = "sự kiện hồ sơ"
        ordering = ["dossier", "seq"]
        constraints = [models.UniqueConstraint(fields=["dossier", "seq"], name="dossier_event_unique_seq")]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.seq} {self.action}"


class DossierAccessLog(models.Model):
    """A staff read of a dossier's personal data (who, when, which view)."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="access_logs", verbose_name="hồ sơ"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="cán bộ"
    )
    at = models.DateTimeField(verbose_name="thời điểm")
    purpose = models.CharField(max_length=20, verbose_name="màn hình")

    class Meta:
        verbose_name = "lượt xem dữ liệu cá nhân"
        verbose_name_plural = "lượt xem dữ liệu cá nhân"
        indexes = [models.Index(fields=["dossier", "at"], name="dossier_access_at")]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.dossier_id} {self.at:%Y-%m-%d %H:%M}"
