"""How a center's queue is set up: services (queue groups), work profiles, priority groups, daily sequences."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from motcua.catalog.models import Field
from motcua.core.models import TimestampedModel
from motcua.org.models import Counter, ServiceCenter

#: `Ticket.priority` of an ordinary citizen; priority groups rank below it and are called first.
ORDINARY_PRIORITY = 100
#: `Ticket.priority` of a booked citizen once the slot has begun: served at the slot, before everyone.
APPOINTMENT_PRIORITY = 0


class QueueService(TimestampedModel):
    """Dịch vụ lấy số: a queue group of a center (Hộ tịch – Chứng thực, Đất đai, ...) with its letter."""

    center = models.ForeignKey(
        ServiceCenter, on_delete=models.CASCADE, related_name="queue_services", verbose_name="trung tâm"
    )
    code = models.CharField(max_length=2, verbose_name="chữ cái", help_text="In trước số thứ tự: A001.")
    name = models.CharField(max_length=120, verbose_name="tên dịch vụ")
    fields = models.ManyToManyField(Field, blank=True, related_name="queue_services", verbose_name="lĩnh vực thủ tục")
    position = models.PositiveSmallIntegerField(default=0, verbose_name="thứ tự hiển thị")
    default_service_s = models.PositiveIntegerField(
        default=600,
        verbose_name="thời gian phục vụ mặc định (giây)",
        help_text="Dùng để ước tính thời gian chờ khi chưa đủ số liệu thực tế.",
    )
    is_active = models.BooleanField(default=True, verbose_name="đang hoạt động")

    class Meta:
        verbose_name = "dịch vụ lấy số"
        verbose_name_plural = "dịch vụ lấy số"
        ordering = ["center", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["center", "code"], name="queue_service_unique_code"),
            models.CheckConstraint(condition=Q(code__regex=r"^[A-Z]{1,2}$"), name="queue_service_code_letters"),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class WorkProfileEntry(models.Model):
    """One line of a counter's work profile: a service it serves, and in which priority order."""

    counter = models.ForeignKey(Counter, on_delete=models.CASCADE, related_name="work_profile", verbose_name="quầy")
    service = models.ForeignKey(
        QueueService, on_delete=models.CASCADE, related_name="profile_entries", verbose_name="dịch vụ"
    )
    position = models.PositiveSmallIntegerField(verbose_name="thứ tự ưu tiên", help_text="1 được gọi trước.")

    class Meta:
        verbose_name = "dịch vụ của quầy"
        verbose_name_plural = "hồ sơ công việc của quầy"
        ordering = ["counter", "position"]
        constraints = [
            models.UniqueConstraint(fields=["counter", "service"], name="work_profile_unique_service"),
            models.UniqueConstraint(fields=["counter", "position"], name="work_profile_unique_position"),
        ]

    def __str__(self) -> str:
        return f"{self.counter}: {self.position}. {self.service}"


class PriorityGroup(TimestampedModel):
    """Đối tượng ưu tiên (người cao tuổi, người khuyết tật, ...). A lower rank is called earlier."""

    code = models.SlugField(max_length=40, unique=True, verbose_name="mã")
    name = models.CharField(max_length=120, verbose_name="tên")
    rank = models.PositiveSmallIntegerField(
        default=10,
        verbose_name="mức ưu tiên",
        help_text=f"Nhỏ hơn được gọi trước; người thường là {ORDINARY_PRIORITY}.",
    )
    is_active = models.BooleanField(default=True, verbose_name="đang áp dụng")

    class Meta:
        verbose_name = "đối tượng ưu tiên"
        verbose_name_plural = "đối tượng ưu tiên"
        ordering = ["rank", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rank__gt=APPOINTMENT_PRIORITY, rank__lt=ORDINARY_PRIORITY), name="priority_group_rank_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DailySequence(models.Model):
    """The last number issued for a service on a day. Its row is the lock that keeps numbers gap-free."""

    service = models.ForeignKey(QueueService, on_delete=models.CASCADE, related_name="sequences")
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "bộ đếm số thứ tự"
        verbose_name_plural = "bộ đếm số thứ tự"
        constraints = [models.UniqueConstraint(fields=["service", "day"], name="daily_sequence_unique_day")]

    def __str__(self) -> str:
        return f"{self.service}: {self.day} → {self.last_number}"
