"""Officers configure services, work profiles, priority groups and appointment slots in the admin."""

from __future__ import annotations

from django.contrib import admin

from motcua.queueing.models import (
    Appointment,
    AppointmentSlot,
    PriorityGroup,
    QueueService,
    Rating,
    Ticket,
    WorkProfileEntry,
)


@admin.register(QueueService)
class QueueServiceAdmin(admin.ModelAdmin[QueueService]):
    list_display = ("center", "code", "name", "position", "is_active")
    list_filter = ("is_active", "center")
    search_fields = ("name", "center__name")
    filter_horizontal = ("fields",)


@admin.register(WorkProfileEntry)
class WorkProfileEntryAdmin(admin.ModelAdmin[WorkProfileEntry]):
    list_display = ("counter", "position", "service")
    list_filter = ("counter__center",)


@admin.register(PriorityGroup)
class PriorityGroupAdmin(admin.ModelAdmin[PriorityGroup]):
    list_display = ("name", "code", "rank", "is_active")


@admin.register(AppointmentSlot)
class AppointmentSlotAdmin(admin.ModelAdmin[AppointmentSlot]):
    list_display = ("service", "starts_at", "ends_at", "capacity", "booked")
    list_filter = ("service__center",)


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin[Appointment]):
    list_display = ("code", "full_name", "slot", "status")
    search_fields = ("code", "full_name", "phone")


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin[Ticket]):
    """Read-only: tickets change only through the counter services."""

    list_display = ("label", "center", "service", "day", "status", "counter", "issued_at", "called_at")
    list_filter = ("status", "center", "day")
    search_fields = ("label", "token")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin[Rating]):
    list_display = ("ticket", "counter", "officer", "score", "created_at")
    list_filter = ("score", "counter__center")
