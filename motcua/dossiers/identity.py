"""Số định danh cá nhân: the 12-digit personal ID number (Circular 59/2021/TT-BCA Art. 7, domain.md §1.4).

Digits 1–3 are the province of birth registration (001–096), digit 4 encodes century and sex, digits
5–6 the last two digits of the birth year, digits 7–12 are random. There is no checksum, so the
structure and a cross-check with the birth date are all that can be verified offline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from motcua.core.errors import InvalidInput

# ASCII digits only, the whole string: `\d` would take other scripts' digits and `$` a final newline.
_PATTERN = re.compile(r"[0-9]{12}")
_FIRST_PROVINCE, _LAST_PROVINCE = 1, 96
_FIRST_CENTURY = 1900


@dataclass(frozen=True)
class PersonalId:
    number: str
    province_code: str
    female: bool
    birth_year: int


def parse_personal_id(value: str, *, birth_date: date | None = None, today: date | None = None) -> PersonalId:
    """Parse and check `value`; raise `InvalidInput` with a stable code naming the broken rule."""
    if not _PATTERN.fullmatch(value):
        raise _invalid("Số định danh cá nhân phải gồm đúng 12 chữ số.", "personal_id_format")
    province = int(value[:3])
    if not _FIRST_PROVINCE <= province <= _LAST_PROVINCE:
        raise _invalid("Ba chữ số đầu không phải mã tỉnh nơi đăng ký khai sinh.", "personal_id_province")
    century_sex = int(value[3])
    birth_year = _FIRST_CENTURY + 100 * (century_sex // 2) + int(value[4:6])
    if birth_year > (today or timezone.localdate()).year:
        raise _invalid("Mã thế kỷ và năm sinh chỉ một năm chưa tới.", "personal_id_birth_year")
    if birth_date is not None and birth_date.year != birth_year:
        raise _invalid(
            f"Số định danh ghi năm sinh {birth_year}, không khớp ngày sinh {birth_date:%d/%m/%Y}.",
            "personal_id_birth_mismatch",
        )
    return PersonalId(number=value, province_code=value[:3], female=century_sex % 2 == 1, birth_year=birth_year)


def _invalid(message: str, code: str) -> InvalidInput:
    # The number itself is personal data: error details name the rule, never echo the value.
    return InvalidInput(message, code=code, field="personal_id")
