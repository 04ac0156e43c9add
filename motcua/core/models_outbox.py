"""The transactional outbox: messages to other agencies' systems, written with the change that causes them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class OutboxState(models.TextChoices):
    PENDING = "pending", "Chờ gửi"
    DELIVERED = "delivered", "Đã gửi"
    DEAD = "dead", "Gửi thất bại (cần xử lý)"


class OutboxMessage(models.Model):
    """One message for one partner. The worker delivers it (`integrations.delivery`); a pending message
    of a dossier waits until the earlier ones of the same dossier and partner are delivered or dead.

    `idempotency_key` is sent to the partner with every attempt, so a retry after a lost reply is not
    applied twice there; it is unique here too, so enqueuing the same fact twice keeps one row.
    """

    partner = models.CharField(max_length=30, verbose_name="đối tác")
    kind = models.CharField(max_length=40, verbose_name="loại tin")
    dossier_code = models.CharField(max_length=60, blank=True, verbose_name="mã hồ sơ")
    payload = models.JSONField(verbose_name="nội dung")
    idempotency_key = models.CharField(max_length=120, verbose_name="khóa chống gửi trùng")
    state = models.CharField(
        max_length=10, choices=OutboxState.choices, default=OutboxState.PENDING, verbose_name="trạng thái"
    )
    attempts = models.PositiveIntegerField(default=0, verbose_name="số lần gửi")
    next_attempt_at = models.DateTimeField(verbose_name="gửi lần tới lúc")
    last_error = models.TextField(blank=True, verbose_name="lỗi gần nhất")
    reply = models.JSONField(null=True, blank=True, verbose_name="trả lời của đối tác")
    created_at = models.DateTimeField(verbose_name="tạo lúc")
    delivered_at = models.DateTimeField(null=True, blank=True, verbose_name="gửi xong lúc")

    class Meta:
        verbose_name = "tin gửi đối tác"
        verbose_name_plural = "tin gửi đối tác"
        indexes = [
            # The worker's scan: due pending messages, oldest first.
            models.Index(fields=["next_attempt_at", "id"], condition=Q(state="pending"), name="outbox_due"),
            # Order per dossier and partner, and the supervisors' list by dossier.
            models.Index(fields=["dossier_code", "partner", "id"], name="outbox_dossier_order"),
            models.Index(fields=["state", "id"], name="outbox_state"),
        ]
        # A constraint, not `unique=True`: the key is only ever compared whole, so no pattern (LIKE) index.
        constraints = [models.UniqueConstraint(fields=["idempotency_key"], name="outbox_unique_idempotency_key")]

    def __str__(self) -> str:
        return f"{self.partner}/{self.kind} {self.dossier_code or '-'} #{self.pk}"
