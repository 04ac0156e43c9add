"""Appointments (lịch hẹn) booked online in time slots with a capacity."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from motcua.core.models import TimestampedModel
from motcua.queueing.models.setup import QueueService
from motcua.queueing.models.tickets import Ticket


class AppointmentSlot(models.Model):
    """A time slot of a service with how many citizens may book it. Its row is the lock for booking."""

    service = models.ForeignKey(QueueService, on_delete=models.CASCADE, related_name="slots", verbose_name="dịch vụ")
    starts_at = models.DateTimeField(verbose_name="bắt đầu")
    ends_at = models.DateTimeField(verbose_name="kết thúc")
    capacity = models.PositiveSmallIntegerField(verbose_name="số lượt tối đa")
    booked = models.PositiveSmallIntegerField(default=0, verbose_name="đã đặt")

    class Meta:
        verbose_name = "khung giờ hẹn"
        verbose_name_plural = "khung giờ hẹn"
        ordering = ["service", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["service", "starts_at"], name="slot_unique_start"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_start"),
            models.CheckConstraint(condition=Q(booked__lte=F("capacity")), name="slot_within_capacity"),
        ]

    def __str__(self) -> str:
        return f"{self.service}: {self.starts_at:%d/%m %H:%M}"

    @property
    def free(self) -> int:
        return self.capacity - self.booked


class Appointment(TimestampedModel):
    """A booking; the citizen checks in at the kiosk with `code` and gets a ticket served at the slot."""

    class Status(models.TextChoices):
        BOOKED = "booked", "Đã đặt"
        CHECKED_IN = "checked_in", "Đã đến"
        CANCELLED = "cancelled", "Đã hủy"

    slot = models.ForeignKey(
        AppointmentSlot, on_delete=models.PROTECT, related_name="appointments", verbose_name="khung giờ"
    )
    code = models.CharField(max_length=8, unique=True, verbose_name="mã đặt lịch")
    full_name = models.CharField(max_length=120, verbose_name="họ và tên")
    phone = models.CharField(max_length=20, verbose_name="số điện thoại")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.BOOKED, verbose_name="trạng thái")
    ticket = models.OneToOneField(
        Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="appointment", verbose_name="phiếu"
    )

    class Meta:
        verbose_name = "lịch hẹn"
        verbose_name_plural = "lịch hẹn"
        ordering = ["slot", "id"]

    def __str__(self) -> str:
        return f"{self.code} ({self.full_name})"
