"""Mẫu 01–06 of one dossier (Circular 03/2025/TT-VPCP Appendix I), printed from its records and events.

| form | from | number |
|---|---|---|
| 01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả | the dossier at reception | `NNNN/TTPVHCC` |
| 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ | the latest supplement request | `NNNN/PBS-TTPVHCC` |
| 03 Phiếu từ chối tiếp nhận giải quyết hồ sơ | the refusal event | `NNNN/PTC-TTPVHCC` |
| 04 Văn bản xin lỗi và đề nghị gia hạn | the extension event (signed by the head of the handling body) | `NNNN/PXL-<agency>` |
| 05 Thông báo dừng giải quyết hồ sơ | the event that stopped the dossier | `NNNN/TB-TTPVHCC` (layout not found, domain.md §5: L) |
| 06 Phiếu kiểm soát quá trình giải quyết hồ sơ | the event trail (`control_sheet`) | `NNNN/PKS-TTPVHCC` |

`NNNN` is the dossier's number of the day. A form whose event has not happened (Mẫu 03 of a dossier
that was not refused) is `form_not_available`. Printing is a read: it logs the personal-data access.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import Any

from motcua.catalog.models import TimeUnit
from motcua.core.errors import DomainError, NotFound
from motcua.dossiers.forms.common import (
    PDF,
    Header,
    RenderedFile,
    agency_header,
    desk_header,
    hhmm_date,
    qr_data_uri,
    render_pdf,
    serial,
)
from motcua.dossiers.forms.control_sheet import control_rows
from motcua.dossiers.models import Dossier, DossierEvent, ReturnPlace
from motcua.dossiers.selectors import dossier_get_for_actor, dossier_history
from motcua.dossiers.services import deadlines
from motcua.dossiers.services.access import access_log_record
from motcua.dossiers.services.tracking import tracking_url
from motcua.dossiers.states import SubState
from motcua.org.models import StaffUser


class DossierForm(StrEnum):
    MAU01 = "mau01"
    MAU02 = "mau02"
    MAU03 = "mau03"
    MAU04 = "mau04"
    MAU05 = "mau05"
    MAU06 = "mau06"


Context = dict[str, Any]


def dossier_form_render(*, actor: StaffUser, dossier_code: str, form: str) -> RenderedFile:
    """The PDF of `form` for a dossier `actor` may see (the same 404 as the detail otherwise)."""
    try:
        chosen = DossierForm(form)
    except ValueError:
        raise NotFound(
            f"Không có biểu mẫu '{form}'.", code="unknown_form", allowed=[f.value for f in DossierForm]
        ) from None
    dossier = dossier_get_for_actor(actor, dossier_code)
    context = _BUILDERS[chosen](dossier, dossier_history(dossier))
    access_log_record(actor=actor, dossiers=[dossier], purpose=chosen.value)
    content = render_pdf(f"dossiers/forms/{chosen.value}.html", context)
    return RenderedFile(f"{chosen.value}-{dossier.code}.pdf", PDF, content)


def _receipt(dossier: Dossier, events: list[DossierEvent]) -> Context:
    center = dossier.receiving_center
    field = dossier.procedure.field
    return {
        **_base(dossier, desk_header(center, number=serial(dossier), symbol="", at=dossier.received_at)),
        "qr": qr_data_uri(dossier),
        "tracking_url": tracking_url(dossier),
        "components": [
            {"name": component.name, "form": _component_form(component.digitized, component.reused)}
            for component in dossier.components.order_by("id")
        ],
        "legal_time": _legal_time(dossier),
        "received": hhmm_date(dossier.received_at),
        "due": hhmm_date(dossier.original_due_at) or "Hẹn sau khi hồ sơ trực tuyến được kiểm tra, tiếp nhận",
        "return_place": _return_place(dossier),
        "register_book": f"lĩnh vực {field.name}" if field is not None else "chung",
        "serial": serial(dossier),
        # An online dossier was filed by the citizen: no officer received it at a desk.
        "receiver": _staff_name(dossier.created_by) if dossier.created_by else "",
    }


def _supplement_request(dossier: Dossier, events: list[DossierEvent]) -> Context:
    request = dossier.supplement_requests.select_related("requested_by").order_by("-round").first()
    if request is None:
        raise _not_available(DossierForm.MAU02)
    header = desk_header(dossier.receiving_center, number=serial(dossier), symbol="PBS", at=request.requested_at)
    return {
        **_base(dossier, header),
        "request": request,
        "requested": hhmm_date(request.requested_at),
        "officer": _staff_name(request.requested_by),
    }


def _refusal(dossier: Dossier, events: list[DossierEvent]) -> Context:
    event = _last(events, DossierForm.MAU03, lambda e: e.action == "refuse")
    header = desk_header(dossier.receiving_center, number=serial(dossier), symbol="PTC", at=event.at)
    return {**_base(dossier, header), "event": event, "at": hhmm_date(event.at), "officer": _event_actor(event)}


def _apology(dossier: Dossier, events: list[DossierEvent]) -> Context:
    event = _last(events, DossierForm.MAU04, lambda e: e.action == "extend")
    header = agency_header(dossier.handling_agency, number=serial(dossier), symbol="PXL", at=event.at)
    return {
        **_base(dossier, header),
        "event": event,
        "received": hhmm_date(dossier.received_at),
        "previous_due": hhmm_date(_payload_time(event, "previous_due_at")),
        "new_due": hhmm_date(_payload_time(event, "due_at")),
        "signer": _event_actor(event),
    }


def _stop_notice(dossier: Dossier, events: list[DossierEvent]) -> Context:
    event = _last(events, DossierForm.MAU05, lambda e: e.to_sub_state == SubState.STOPPED)
    header = desk_header(dossier.receiving_center, number=serial(dossier), symbol="TB", at=event.at)
    return {
        **_base(dossier, header),
        "event": event,
        "at": hhmm_date(event.at),
        "received": hhmm_date(dossier.received_at),
        "officer": _event_actor(event),
    }


def _control_sheet(dossier: Dossier, events: list[DossierEvent]) -> Context:
    header = desk_header(dossier.receiving_center, number=serial(dossier), symbol="PKS", at=dossier.received_at)
    return {
        **_base(dossier, header),
        "cooperating": dossier.version.cooperating_body,
        "received": hhmm_date(dossier.received_at),
        "due": hhmm_date(dossier.due_at),
        "rows": control_rows(dossier, events),
    }


_BUILDERS: dict[DossierForm, Callable[[Dossier, list[DossierEvent]], Context]] = {
    DossierForm.MAU01: _receipt,
    DossierForm.MAU02: _supplement_request,
    DossierForm.MAU03: _refusal,
    DossierForm.MAU04: _apology,
    DossierForm.MAU05: _stop_notice,
    DossierForm.MAU06: _control_sheet,
}


def _base(dossier: Dossier, header: Header) -> Context:
    unit = dossier.applicant_address_unit
    address = ", ".join(part for part in (dossier.applicant_address, unit.name if unit else "") if part)
    return {"dossier": dossier, "header": header, "address": address or "……"}


def _last(events: list[DossierEvent], form: DossierForm, matches: Callable[[DossierEvent], bool]) -> DossierEvent:
    for event in reversed(events):
        if matches(event):
            return event
    raise _not_available(form)


def _not_available(form: DossierForm) -> DomainError:
    return NotFound("Hồ sơ chưa có sự việc để lập biểu mẫu này.", code="form_not_available", form=form.value)


def _payload_time(event: DossierEvent, key: str) -> datetime | None:
    value = event.payload.get(key)
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def _legal_time(dossier: Dossier) -> str:
    workflow = getattr(dossier.procedure, "workflow", None)
    try:
        limit = deadlines.limit_of(dossier.version, dossier.channel, workflow.limit_days if workflow else None)
    except DomainError:
        return "theo quy định của thủ tục"
    if limit.same_day:
        return "trong ngày làm việc"
    return f"{limit.amount.normalize():f} {TimeUnit(limit.unit).label.lower()}"


def _return_place(dossier: Dossier) -> str:
    if dossier.return_place == ReturnPlace.DESK:
        return f"{ReturnPlace.DESK.label}: {dossier.receiving_center.name}"
    return ReturnPlace(dossier.return_place).label


def _component_form(digitized: bool, reused: bool) -> str:
    if reused:
        return "Tái sử dụng từ kho dữ liệu"
    return "Bản giấy, đã số hóa" if digitized else "Bản giấy"


def _staff_name(user: StaffUser) -> str:
    return user.get_full_name() or user.username


def _event_actor(event: DossierEvent) -> str:
    return event.actor_name or event.actor_username
