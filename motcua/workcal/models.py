"""Tables officers edit: changes to the seeded holiday calendar and each province's office hours.

A province is named by its 2-digit statistics code, not a foreign key: `workcal` and `org` are sibling apps
of the same layer and do not import each other.
"""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q

from motcua.core.models import TimestampedModel
from motcua.workcal.build import Override, OverrideKind, build_calendar, override_problem
from motcua.workcal.calendar import DailyHours

PROVINCE_CODE_VALIDATOR = RegexValidator(r"^[0-9]{2}$", "Mã tỉnh gồm 2 chữ số (ví dụ 15).")
PROVINCE_CODE_FORMAT = Q(province_code__regex=r"^[0-9]{2}$")


def default_province_code() -> str:
    return str(settings.MOTCUA_PROVINCE)


class CalendarOverride(TimestampedModel):
    """Điều chỉnh lịch làm việc: a day off, a make-up working day, or a seeded holiday removed."""

    province_code = models.CharField(
        max_length=2, default=default_province_code, validators=[PROVINCE_CODE_VALIDATOR], verbose_name="mã tỉnh"
    )
    date = models.DateField(verbose_name="ngày")
    kind = models.CharField(
        max_length=20, choices=[(kind.value, kind.label) for kind in OverrideKind], verbose_name="loại điều chỉnh"
    )
    reason = models.CharField(max_length=255, verbose_name="lý do")
    decision = models.CharField(
        max_length=255,
        verbose_name="văn bản",
        help_text="Số hiệu văn bản quyết định việc điều chỉnh, ví dụ Công văn 9859/VPCP-KGVX.",
    )

    class Meta:
        verbose_name = "điều chỉnh lịch làm việc"
        verbose_name_plural = "điều chỉnh lịch làm việc"
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["province_code", "date"], name="workcal_override_one_per_day"),
            models.CheckConstraint(
                condition=Q(kind__in=[kind.value for kind in OverrideKind]), name="workcal_override_kind_valid"
            ),
            models.CheckConstraint(condition=PROVINCE_CODE_FORMAT, name="workcal_override_province_code_format"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y}: {self.get_kind_display()}"

    def as_override(self) -> Override:
        return Override(self.date, OverrideKind(self.kind), self.reason, self.decision)

    def clean(self) -> None:
        """Refuse an override that would change nothing (a day off on a day already off...)."""
        if self.date is None or self.kind not in {kind.value for kind in OverrideKind}:
            return  # the field errors are reported on their own
        problem = override_problem(self.as_override(), build_calendar(province_code=self.province_code))
        if problem:
            raise ValidationError({"date": problem})


class OfficeHours(TimestampedModel):
    """Giờ làm việc of a province's offices; without a row the defaults apply (07:30–11:30, 13:30–17:00)."""

    province_code = models.CharField(
        max_length=2,
        unique=True,
        default=default_province_code,
        validators=[PROVINCE_CODE_VALIDATOR],
        verbose_name="mã tỉnh",
    )
    morning_start = models.TimeField(default=time(7, 30), verbose_name="sáng bắt đầu")
    morning_end = models.TimeField(default=time(11, 30), verbose_name="sáng kết thúc")
    afternoon_start = models.TimeField(default=time(13, 30), verbose_name="chiều bắt đầu")
    afternoon_end = models.TimeField(default=time(17, 0), verbose_name="chiều kết thúc")
    same_day_cutoff = models.TimeField(
        default=time(15, 0),
        verbose_name="giờ chốt giải quyết trong ngày",
        help_text="Hồ sơ thủ tục giải quyết trong ngày nhận sau giờ này được hẹn trả vào ngày làm việc tiếp theo.",
    )
    decision = models.CharField(max_length=255, blank=True, verbose_name="văn bản quy định")

    class Meta:
        verbose_name = "giờ làm việc"
        verbose_name_plural = "giờ làm việc"
        ordering = ["province_code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(morning_start__lt=F("morning_end"))
                & Q(morning_end__lte=F("afternoon_start"))
                & Q(afternoon_start__lt=F("afternoon_end")),
                name="workcal_office_hours_ordered",
            ),
            models.CheckConstraint(
                condition=Q(same_day_cutoff__gte=F("morning_start")) & Q(same_day_cutoff__lte=F("afternoon_end")),
                name="workcal_office_hours_cutoff_within",
            ),
            models.CheckConstraint(condition=PROVINCE_CODE_FORMAT, name="workcal_office_hours_province_code_format"),
        ]

    def __str__(self) -> str:
        return f"{self.morning_start:%H:%M}–{self.morning_end:%H:%M}, {self.afternoon_start:%H:%M}–{self.afternoon_end:%H:%M}"

    def daily_hours(self) -> DailyHours:
        return DailyHours(
            intervals=((self.morning_start, self.morning_end), (self.afternoon_start, self.afternoon_end)),
            same_day_cutoff=self.same_day_cutoff,
        )

    def clean(self) -> None:
        try:
            self.daily_hours()
        except (ValueError, TypeError) as exc:  # TypeError: a time left empty
            raise ValidationError(
                "Giờ làm việc phải theo thứ tự sáng rồi chiều, không chồng nhau; giờ chốt nằm trong giờ làm việc."
            ) from exc
