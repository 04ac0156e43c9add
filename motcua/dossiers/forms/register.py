"""Mẫu 07, Sổ theo dõi hồ sơ: the register of dossiers received in a period, one book per field.

The rows are the dossiers the actor may see (their center's, their handling body's, the province's),
received between `start` and `end` inclusive, in reception order. An electronic book is allowed, so the
register is served as PDF (to print and sign) or XLSX. Reading it logs the personal-data access.
"""

from __future__ import annotations

import io
from dataclasses import astuple, dataclass, fields
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from openpyxl import Workbook

from motcua.catalog.models import Field
from motcua.core.errors import InvalidInput
from motcua.dossiers.forms.common import (
    PDF,
    XLSX,
    Header,
    RenderedFile,
    agency_header,
    desk_header,
    render_pdf,
    short_time,
)
from motcua.dossiers.models import Dossier, ReturnPlace
from motcua.dossiers.selectors import dossiers_visible_to
from motcua.dossiers.services.access import access_log_record
from motcua.org.models import StaffUser

#: A register longer than this is asked for in shorter periods (a PDF of it would take minutes).
MAX_ROWS = 5000
#: Periods a register may cover. Dates far outside (year 1 or 9999) would overflow the local-midnight
#: arithmetic; no dossier of this system predates 2000.
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)
FORMATS = ("pdf", "xlsx")


@dataclass(frozen=True)
class RegisterRow:
    number: int
    code: str
    procedure: str
    applicant: str
    contact: str
    lead_body: str
    received: str
    due: str
    returned: str
    delivery: str


COLUMN_TITLES = (
    "STT",
    "Mã hồ sơ",
    "Tên thủ tục hành chính",
    "Tên cá nhân, tổ chức",
    "Địa chỉ, số điện thoại",
    "Cơ quan chủ trì giải quyết",
    "Nhận hồ sơ",
    "Hẹn trả kết quả",
    "Ngày trả kết quả",
    "Phương thức nhận kết quả",
)
assert len(COLUMN_TITLES) == len(fields(RegisterRow))


@dataclass(frozen=True)
class Register:
    field: Field | None
    start: date
    end: date
    rows: list[RegisterRow]


def register_rows(*, actor: StaffUser, field_code: str | None, start: date, end: date) -> Register:
    """The register of `field_code` (every field when empty) for `start`..`end`, within the actor's scope."""
    if end < start:
        raise InvalidInput("Ngày cuối kỳ trước ngày đầu kỳ.", code="invalid_period", start=start, end=end)
    if start < EARLIEST or end > LATEST:
        raise InvalidInput(
            f"Kỳ của sổ phải nằm trong các năm {EARLIEST.year}–{LATEST.year}.",
            code="invalid_period",
            start=start,
            end=end,
        )
    field = None
    dossiers = dossiers_visible_to(actor).filter(
        received_at__gte=_midnight(start), received_at__lt=_midnight(end + timedelta(days=1))
    )
    if field_code:
        field = Field.objects.filter(code=field_code).first()
        if field is None:
            raise InvalidInput(f"Không có lĩnh vực '{field_code}'.", code="unknown_field", field=field_code)
        dossiers = dossiers.filter(procedure__field=field)
    chosen = list(
        dossiers.select_related("procedure", "handling_agency", "applicant_address_unit").order_by("received_at", "id")[
            : MAX_ROWS + 1
        ]
    )
    if len(chosen) > MAX_ROWS:
        raise InvalidInput("Sổ có quá nhiều hồ sơ; hãy chọn kỳ ngắn hơn.", code="register_too_large", max_rows=MAX_ROWS)
    access_log_record(actor=actor, dossiers=chosen, purpose="mau07")
    return Register(field, start, end, [_row(number, d) for number, d in enumerate(chosen, start=1)])


def register_render(*, actor: StaffUser, field_code: str | None, start: date, end: date, fmt: str) -> RenderedFile:
    if fmt not in FORMATS:
        raise InvalidInput("Định dạng phải là pdf hoặc xlsx.", code="invalid_format", allowed=list(FORMATS))
    register = register_rows(actor=actor, field_code=field_code, start=start, end=end)
    name = f"mau07-{register.field.code if register.field else 'tat-ca'}-{start:%Y%m%d}-{end:%Y%m%d}"
    if fmt == "xlsx":
        return RenderedFile(f"{name}.xlsx", XLSX, _xlsx(register))
    return RenderedFile(f"{name}.pdf", PDF, _pdf(actor, register))


def _row(number: int, dossier: Dossier) -> RegisterRow:
    unit = dossier.applicant_address_unit
    contact = ", ".join(
        part for part in (dossier.applicant_address, unit.name if unit else "", dossier.applicant_phone) if part
    )
    return RegisterRow(
        number=number,
        code=dossier.code,
        procedure=dossier.procedure.name,
        applicant=dossier.applicant_name,
        contact=contact,
        lead_body=dossier.handling_agency.name,
        received=short_time(dossier.received_at),
        due=short_time(dossier.due_at),
        returned=short_time(dossier.returned_at),
        delivery=ReturnPlace(dossier.return_place).label,
    )


def _pdf(actor: StaffUser, register: Register) -> bytes:
    context = {
        "header": _header(actor, f"{register.start:%Y}"),
        "field_name": register.field.name if register.field else "tất cả lĩnh vực",
        "start": register.start,
        "end": register.end,
        "rows": register.rows,
    }
    return render_pdf("dossiers/forms/mau07.html", context)


def _header(actor: StaffUser, number: str) -> Header:
    """The book's keeper: the actor's center, handling body, or the province for a supervisor."""
    now = timezone.now()
    if actor.center is not None:
        return desk_header(actor.center, number=number, symbol="STD", at=now)
    if actor.agency is not None:
        return agency_header(actor.agency, number=number, symbol="STD", at=now)
    province = actor.province.name if actor.province is not None else ""
    return Header(province, "Sổ theo dõi hồ sơ điện tử", f"{number}/STD", province, timezone.localdate(now))


def _xlsx(register: Register) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Sổ theo dõi hồ sơ")
    field_name = register.field.name if register.field else "tất cả lĩnh vực"
    sheet.append([f"SỔ THEO DÕI HỒ SƠ — {field_name} — {register.start:%d/%m/%Y} đến {register.end:%d/%m/%Y}"])
    sheet.append([*COLUMN_TITLES, "Ký nhận"])
    for row in register.rows:
        sheet.append([*astuple(row), ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
