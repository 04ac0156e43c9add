"""Base model shared by every app."""

from __future__ import annotations

from django.db import models


class TimestampedModel(models.Model):
    """Integer primary key (compact indexes, keyset paging) plus creation and update times."""

    created_at = models.DateTimeField(auto_now_add=True, verbose_name="tạo lúc")
    updated_at = models.DateTimeField(auto_now=True, verbose_name="cập nhật lúc")

    class Meta:
        abstract = True
