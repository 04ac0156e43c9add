"""`{{ value|cell }}`: one table cell as text — numbers to at most two decimals in the reader's locale,
times in local time to the minute, nothing as an en dash."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django import template
from django.utils import formats, timezone

register = template.Library()


@register.filter
def cell(value: object) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%H:%M %d/%m/%Y")
    if isinstance(value, float | Decimal):
        number = round(float(value), 2)
        return str(formats.number_format(number, decimal_pos=0 if number == int(number) else 2, use_l10n=True))
    if isinstance(value, int):
        return str(formats.number_format(value, use_l10n=True, force_grouping=True))
    return str(value)
