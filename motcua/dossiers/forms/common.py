"""What every printed form shares (Circular 03/2025/TT-VPCP Appendix I): the header, the number, the
date line, the QR code to the public tracking page, and the rendering to PDF with WeasyPrint.

Forms are read models: they are built from the dossier, its events and its records each time they are
printed, so a reprint gives the same paper. Vietnamese text needs a font with its glyphs; the style
sheet asks for Liberation Serif or DejaVu Serif (Debian `fonts-liberation`, `fonts-dejavu-core`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import segno
import weasyprint
from django.template.loader import render_to_string
from django.utils import timezone

from motcua.dossiers.models import Dossier
from motcua.dossiers.services.tracking import tracking_url
from motcua.org.models import Agency, AgencyKind, ServiceCenter

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The issuer's abbreviation in form numbers: a public administrative service center, or a reception
#: and result desk (bộ phận tiếp nhận và trả kết quả) elsewhere.
CENTER_ABBREVIATION, DESK_ABBREVIATION = "TTPVHCC", "BPTNTKQ"


@dataclass(frozen=True)
class Header:
    """The two header columns: the parent body and the issuer, the number; the motto and the date line."""

    parent: str
    issuer: str
    number: str
    place: str
    day: date


@dataclass(frozen=True)
class RenderedFile:
    filename: str
    content_type: str
    content: bytes


def local(value: datetime | None) -> datetime | None:
    return timezone.localtime(value) if value is not None else None


def hhmm_date(value: datetime | None) -> str:
    """`14 giờ 05 phút, ngày 02/03/2026`: times are printed to the minute (domain.md §4.1)."""
    at = local(value)
    return f"{at:%H} giờ {at:%M} phút, ngày {at:%d/%m/%Y}" if at is not None else ""


def short_time(value: datetime | None) -> str:
    at = local(value)
    return f"{at:%H:%M %d/%m/%Y}" if at is not None else ""


def serial(dossier: Dossier) -> str:
    """The dossier's number of the day (the code's last group): the form's serial and the register's."""
    return dossier.code.rsplit("-", 1)[-1]


def center_abbreviation(center: ServiceCenter) -> str:
    return CENTER_ABBREVIATION if center.name.lower().startswith("trung tâm phục vụ") else DESK_ABBREVIATION


def desk_header(center: ServiceCenter, *, number: str, symbol: str, at: datetime) -> Header:
    """Header of a form the receiving desk issues (Mẫu 01, 02, 03, 05, 06, 07): `…/PBS-TTPVHCC`."""
    owner = center.agency
    parent = owner.parent if owner.kind == AgencyKind.SERVICE_CENTER and owner.parent else owner
    issuer = "Trung tâm Phục vụ hành chính công" if center_abbreviation(center) == CENTER_ABBREVIATION else center.name
    suffix = f"{symbol}-{center_abbreviation(center)}" if symbol else center_abbreviation(center)
    place = center.unit.name if center.unit is not None else center.province.name
    return Header(parent.name, issuer, f"{number}/{suffix}", place, timezone.localdate(at))


def agency_header(agency: Agency, *, number: str, symbol: str, at: datetime) -> Header:
    """Header of a form the handling body issues (Mẫu 04, signed by its head): `…/PXL-<agency code>`."""
    parent = agency.parent.name if agency.parent is not None else agency.province.name
    place = agency.unit.name if agency.unit is not None else agency.province.name
    return Header(parent, agency.name, f"{number}/{symbol}-{agency.code}", place, timezone.localdate(at))


def qr_data_uri(dossier: Dossier) -> str:
    """The QR code of the public tracking page, as a PNG data URI the PDF embeds."""
    return str(segno.make(tracking_url(dossier), error="m").png_data_uri(scale=3, border=1))


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    html = render_to_string(template, context)
    return bytes(weasyprint.HTML(string=html).write_pdf())
