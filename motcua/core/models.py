"""Base model shared by every app, and the counters of the request rate limiter."""

from __future__ import annotations

from django.db import models


class TimestampedModel(models.Model):
    """Integer primary key (compact indexes, keyset paging) plus creation and update times."""

    created_at = models.DateTimeField(auto_now_add=True, verbose_name="tạo lúc")
    updated_at = models.DateTimeField(auto_now=True, verbose_name="cập nhật lúc")

    class Meta:
        abstract = True


class RateLimitBucket(models.Model):
    """Hits of one client or one target in one fixed time window (see `core.ratelimit`).

    `bucket` is a hash, so addresses and dossier codes are not kept in clear.
    """

    bucket = models.CharField(max_length=80, verbose_name="nhóm")
    window = models.BigIntegerField(verbose_name="cửa sổ thời gian")
    hits = models.PositiveIntegerField(default=0, verbose_name="số lần")
    expires_at = models.DateTimeField(db_index=True, verbose_name="hết hạn lúc")

    class Meta:
        verbose_name = "bộ đếm giới hạn truy cập"
        verbose_name_plural = "bộ đếm giới hạn truy cập"
        constraints = [models.UniqueConstraint(fields=["bucket", "window"], name="ratelimit_unique_window")]

    def __str__(self) -> str:
        return f"{self.bucket}@{self.window}: {self.hits}"


class ReferenceGeneration(models.Model):
    """A counter bumped by every change of reference data (catalog, organization): processes compare it
    with the one their memo was built at (see `core.reference_cache`)."""

    name = models.CharField(max_length=40, primary_key=True, verbose_name="tên")
    value = models.BigIntegerField(default=0, verbose_name="thế hệ")

    class Meta:
        verbose_name = "thế hệ dữ liệu tham chiếu"
        verbose_name_plural = "thế hệ dữ liệu tham chiếu"

    def __str__(self) -> str:
        return f"{self.name}: {self.value}"


# The outbox lives in its own module; importing it here registers the model with the core app.
from motcua.core.models_outbox import OutboxMessage, OutboxState  # noqa: E402, F401
