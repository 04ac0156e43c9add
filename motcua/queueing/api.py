"""Queue endpoints (api-contract.md): issue a ticket, counter actions, the board, a ticket's position."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Router, Schema
from ninja.responses import Status

from motcua.core.schemas import RowId
from motcua.org.auth import staff_auth
from motcua.org.models import StaffUser
from motcua.queueing.models import Ticket, TicketSource
from motcua.queueing.selectors.board import board_for_center
from motcua.queueing.selectors.tickets import ticket_by_token, ticket_position
from motcua.queueing.services import counter as counter_services
from motcua.queueing.services.tickets import ticket_issue

router = Router(tags=["queue"])


class TicketIn(Schema):
    center: str
    service: str
    priority_group: str | None = None
    source: Literal["kiosk", "web"] = "kiosk"


class TicketOut(Schema):
    id: int
    number: str
    center: str
    service: str
    status: str
    issued_at: datetime
    waiting_before: int
    estimated_wait_s: int
    counter: int | None
    called_at: datetime | None
    position_url: str


class EndIn(Schema):
    dossier_codes: list[str] = []


class TransferIn(Schema):
    service: str | None = None
    counter: int | None = None


class BoardCallOut(Schema):
    counter: int
    number: str
    called_at: datetime


class BoardServiceOut(Schema):
    code: str
    name: str
    waiting: int


class BoardOut(Schema):
    center: str
    center_name: str
    current: list[BoardCallOut]
    calls: list[BoardCallOut]
    services: list[BoardServiceOut]


def _local(moment: datetime | None) -> datetime | None:
    return timezone.localtime(moment) if moment else None


def ticket_out(request: HttpRequest, ticket: Ticket) -> TicketOut:
    position = ticket_position(ticket)
    return TicketOut(
        id=ticket.id,
        number=ticket.label,
        center=ticket.center.code,
        service=ticket.service.code,
        status=ticket.status,
        issued_at=timezone.localtime(ticket.issued_at),
        waiting_before=position.waiting_before,
        estimated_wait_s=position.estimated_wait_s,
        counter=ticket.counter.number if ticket.counter else None,
        called_at=_local(ticket.called_at),
        position_url=request.build_absolute_uri(reverse("queueing:ticket", args=[ticket.token])),
    )


def _actor(request: HttpRequest) -> StaffUser:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, StaffUser)
    return user


@router.post("/queue/tickets", response={201: TicketOut}, auth=None, summary="Lấy số (kiosk, web)")
def issue_ticket(request: HttpRequest, payload: TicketIn) -> Status[TicketOut]:
    ticket = ticket_issue(
        center_code=payload.center,
        service_code=payload.service,
        source=TicketSource(payload.source),
        priority_group_code=payload.priority_group,
    )
    return Status(201, ticket_out(request, ticket))


@router.get("/queue/tickets/{token}", response=TicketOut, auth=None, summary="Vị trí của một số")
def ticket_detail(request: HttpRequest, token: str) -> TicketOut:
    return ticket_out(request, ticket_by_token(token))


@router.post(
    "/queue/counters/{counter_id}/call-next",
    response={200: TicketOut, 204: None},
    auth=staff_auth,
    summary="Gọi số tiếp theo",
)
def call_next(request: HttpRequest, counter_id: RowId) -> Status[TicketOut | None]:
    ticket = counter_services.ticket_call_next(counter_id=counter_id, actor=_actor(request))
    if ticket is None:
        return Status(204, None)
    return Status(200, ticket_out(request, ticket))


@router.post("/queue/counters/{counter_id}/recall", response=TicketOut, auth=staff_auth, summary="Gọi lại")
def recall(request: HttpRequest, counter_id: RowId) -> TicketOut:
    return ticket_out(request, counter_services.ticket_recall(counter_id=counter_id, actor=_actor(request)))


@router.post("/queue/counters/{counter_id}/start", response=TicketOut, auth=staff_auth, summary="Bắt đầu phục vụ")
def start(request: HttpRequest, counter_id: RowId) -> TicketOut:
    return ticket_out(request, counter_services.ticket_start(counter_id=counter_id, actor=_actor(request)))


@router.post("/queue/counters/{counter_id}/end", response=TicketOut, auth=staff_auth, summary="Kết thúc phục vụ")
def end(request: HttpRequest, counter_id: RowId, payload: EndIn) -> TicketOut:
    ticket = counter_services.ticket_end(
        counter_id=counter_id, actor=_actor(request), dossier_codes=payload.dossier_codes
    )
    return ticket_out(request, ticket)


@router.post("/queue/counters/{counter_id}/no-show", response=TicketOut, auth=staff_auth, summary="Vắng mặt")
def no_show(request: HttpRequest, counter_id: RowId) -> TicketOut:
    return ticket_out(request, counter_services.ticket_no_show(counter_id=counter_id, actor=_actor(request)))


@router.post("/queue/counters/{counter_id}/park", response=TicketOut, auth=staff_auth, summary="Tạm gác")
def park(request: HttpRequest, counter_id: RowId) -> TicketOut:
    return ticket_out(request, counter_services.ticket_park(counter_id=counter_id, actor=_actor(request)))


@router.post("/queue/counters/{counter_id}/transfer", response=TicketOut, auth=staff_auth, summary="Chuyển số")
def transfer(request: HttpRequest, counter_id: RowId, payload: TransferIn) -> TicketOut:
    ticket = counter_services.ticket_transfer(
        counter_id=counter_id, actor=_actor(request), service_code=payload.service, to_counter_number=payload.counter
    )
    return ticket_out(request, ticket)


@router.post("/queue/counters/{counter_id}/break", response={204: None}, auth=staff_auth, summary="Tạm nghỉ")
def take_break(request: HttpRequest, counter_id: RowId) -> HttpResponse:
    counter_services.counter_break(counter_id=counter_id, actor=_actor(request))
    return HttpResponse(status=204)


@router.get("/queue/centers/{code}/board", response=BoardOut, auth=None, summary="Bảng hiển thị của trung tâm")
def board(request: HttpRequest, code: str) -> BoardOut:
    return BoardOut.model_validate(board_for_center(code).as_json())
