"""Admin pages where officers keep the calendar: overrides of the seeded holidays, and office hours."""

from __future__ import annotations

from django.contrib import admin

from motcua.workcal.models import CalendarOverride, OfficeHours


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin[CalendarOverride]):
    list_display = ("date", "kind", "reason", "decision", "province_code", "updated_at")
    list_filter = ("kind", "province_code")
    search_fields = ("reason", "decision")
    date_hierarchy = "date"
    fields = ("province_code", "date", "kind", "reason", "decision")


@admin.register(OfficeHours)
class OfficeHoursAdmin(admin.ModelAdmin[OfficeHours]):
    list_display = ("province_code", "__str__", "same_day_cutoff", "decision", "updated_at")
    fields = (
        "province_code",
        ("morning_start", "morning_end"),
        ("afternoon_start", "afternoon_end"),
        "same_day_cutoff",
        "decision",
    )
