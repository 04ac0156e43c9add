"""Queue pages: kiosk, web ticket, live position, board (with its event stream), counter, rating, booking,
statistics. Thin: parse, call a service or selector, render."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from functools import wraps
from typing import Any, ParamSpec

from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.core.errors import DomainError, InvalidInput
from motcua.org.models import StaffUser
from motcua.queueing.events import QueueEvent, backend
from motcua.queueing.exports import statistics_xlsx
from motcua.queueing.models import PriorityGroup, RatingScore, TicketSource
from motcua.queueing.printing import ticket_print
from motcua.queueing.selectors.appointments import open_slots
from motcua.queueing.selectors.board import active_center, board_for_center, center_services
from motcua.queueing.selectors.counter import counter_desk, counter_for_actor, rating_candidate
from motcua.queueing.selectors.statistics import queue_statistics
from motcua.queueing.selectors.tickets import ticket_by_token, ticket_position
from motcua.queueing.services import counter as counter_services
from motcua.queueing.services.appointments import appointment_book, appointment_check_in
from motcua.queueing.services.ratings import rating_submit
from motcua.queueing.services.tickets import ticket_issue

P = ParamSpec("P")

#: Seconds between keep-alive comments on the board stream; also how soon a closed board is noticed.
HEARTBEAT_S = 5
LOGIN_URL = "queueing:login"


def pages(view: Callable[P, HttpResponseBase]) -> Callable[P, HttpResponseBase]:
    """A business error on a page becomes a page with its Vietnamese message and HTTP status."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        try:
            return view(*args, **kwargs)
        except DomainError as exc:
            request = args[0]
            assert isinstance(request, HttpRequest)
            return render(request, "queueing/error.html", {"error": exc}, status=exc.status)

    return wrapper


def _staff(request: HttpRequest) -> StaffUser:
    user = request.user
    assert isinstance(user, StaffUser)  # login_required ran first
    return user


@pages
@require_http_methods(["GET", "POST"])
def kiosk(request: HttpRequest, center_code: str, source: str = TicketSource.KIOSK) -> HttpResponse:
    """Máy lấy số (touch screen, large type) and the web page of the same (phone, via the center's QR)."""
    center = active_center(center_code)
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("appointment"):
                ticket = appointment_check_in(center_code=center_code, code=request.POST["appointment"])
            else:
                ticket = ticket_issue(
                    center_code=center_code,
                    service_code=request.POST.get("service", ""),
                    source=TicketSource(source),
                    priority_group_code=request.POST.get("priority_group") or None,
                )
        except DomainError as exc:
            error = exc.message
        else:
            url = request.build_absolute_uri(reverse("queueing:ticket", args=[ticket.token]))
            if source == TicketSource.KIOSK:
                ticket_print(position=ticket_position(ticket), url=url)
            return redirect(f"{reverse('queueing:ticket', args=[ticket.token])}?from={source}")
    context = {
        "center": center,
        "services": center_services(center),
        "groups": PriorityGroup.objects.filter(is_active=True),
        "source": source,
        "error": error,
    }
    return render(request, "queueing/kiosk.html", context, status=422 if error else 200)


@pages
def ticket_page(request: HttpRequest, token: str) -> HttpResponse:
    """The citizen's live position page (the QR on the printed ticket)."""
    ticket = ticket_by_token(token)
    position = ticket_position(ticket)
    back = request.GET.get("from")
    return render(
        request,
        "queueing/ticket.html",
        {
            "ticket": ticket,
            "position": position,
            "wait_minutes": -(-position.estimated_wait_s // 60),
            "kiosk_url": reverse("queueing:kiosk", args=[ticket.center.code]) if back == "kiosk" else None,
        },
    )


@pages
def board(request: HttpRequest, center_code: str) -> HttpResponse:
    """Bảng hiển thị (TV): filled from the event stream, rendered once here for a board without JavaScript."""
    return render(request, "queueing/board.html", {"board": board_for_center(center_code)})


@pages
def board_stream(request: HttpRequest, center_code: str) -> StreamingHttpResponse:
    """Server-Sent Events: a `board` snapshot now and after every change, a `call` event to announce."""
    active_center(center_code)
    language = translation.get_language()
    response = StreamingHttpResponse(_board_events(center_code, language), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # a proxy must pass events through, not buffer them
    return response


def _board_events(center_code: str, language: str) -> Iterator[str]:
    with backend().subscribe(center_code) as subscription:
        # Subscribed before the snapshot: a call committed in between arrives as an event, never lost.
        yield "retry: 1000\n\n"
        yield _frame("board", board_for_center(center_code).as_json())
        while True:
            batch = subscription.get(timeout=HEARTBEAT_S)
            if not batch:
                yield ": keep-alive\n\n"
                continue
            with translation.override(language):
                for event in batch:
                    if event.kind == "call":
                        yield _frame("call", _announcement(event))
            yield _frame("board", board_for_center(center_code).as_json())


def _announcement(event: QueueEvent) -> dict[str, Any]:
    text = _("Mời số %(number)s đến quầy số %(counter)s") % {"number": event.number, "counter": event.counter}
    # Spelled out ("A 0 1 2") so the speech engine reads a ticket, not "A twelve".
    spoken = _("Mời số %(number)s đến quầy số %(counter)s") % {
        "number": " ".join(event.number),
        "counter": event.counter,
    }
    return {"number": event.number, "counter": event.counter, "text": text, "speech": spoken}


def _frame(name: str, data: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)}\n\n"


COUNTER_ACTIONS = {
    "call_next": counter_services.ticket_call_next,
    "recall": counter_services.ticket_recall,
    "start": counter_services.ticket_start,
    "no_show": counter_services.ticket_no_show,
    "park": counter_services.ticket_park,
    "break": counter_services.counter_break,
}


@pages
@login_required(login_url=LOGIN_URL)
@require_http_methods(["GET", "POST"])
def counter(request: HttpRequest, counter_id: int) -> HttpResponse:
    """The officer's counter screen: call, recall, start, end (with dossier codes), park, transfer, break."""
    actor = _staff(request)
    error = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action in COUNTER_ACTIONS:
                COUNTER_ACTIONS[action](counter_id=counter_id, actor=actor)
            elif action == "end":
                codes = request.POST.get("dossier_codes", "").replace(",", " ").split()
                counter_services.ticket_end(counter_id=counter_id, actor=actor, dossier_codes=codes)
            elif action == "transfer":
                number = request.POST.get("to_counter", "").strip()
                counter_services.ticket_transfer(
                    counter_id=counter_id,
                    actor=actor,
                    service_code=request.POST.get("to_service") or None,
                    to_counter_number=int(number) if number.isdigit() else None,
                )
            elif action == "call_parked":
                counter_services.ticket_call_parked(
                    counter_id=counter_id, ticket_id=int(request.POST.get("ticket", "0") or 0), actor=actor
                )
            else:
                raise InvalidInput(code="unknown_action", action=action)
        except DomainError as exc:
            error = exc
        else:
            return redirect("queueing:counter", counter_id=counter_id)
    desk = counter_desk(counter_id=counter_id, actor=actor)
    return render(
        request,
        "queueing/counter.html",
        {"desk": desk, "error": error},
        status=error.status if error else 200,
    )


@pages
@login_required(login_url=LOGIN_URL)
@require_http_methods(["GET", "POST"])
def rating(request: HttpRequest, counter_id: int) -> HttpResponse:
    """The tablet at the counter: the citizen just served rates the service."""
    actor = _staff(request)
    # Another center's officer is refused before anything posted is read.
    counter_for_actor(counter_id=counter_id, actor=actor)
    thanks = False
    if request.method == "POST":
        score = request.POST.get("score", "")
        if score not in RatingScore.values:
            raise InvalidInput(code="invalid_score", score=score)
        rating_submit(
            counter_id=counter_id,
            ticket_id=int(request.POST.get("ticket", "0") or 0),
            score=RatingScore(score),
            comment=request.POST.get("comment", ""),
            actor=actor,
        )
        thanks = True
    ticket = rating_candidate(counter_id=counter_id, actor=actor)
    return render(
        request,
        "queueing/rating.html",
        {"ticket": ticket, "thanks": thanks, "scores": RatingScore.choices, "counter_id": counter_id},
    )


@pages
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, center_code: str) -> HttpResponse:
    """Đặt lịch hẹn: choose a slot with places left, leave a name and phone, get a check-in code."""
    center = active_center(center_code)
    error = None
    if request.method == "POST":
        try:
            appointment = appointment_book(
                slot_id=int(request.POST.get("slot", "0") or 0),
                full_name=request.POST.get("full_name", ""),
                phone=request.POST.get("phone", ""),
            )
        except DomainError as exc:
            error = exc.message
        else:
            return render(request, "queueing/booked.html", {"center": center, "appointment": appointment})
    return render(
        request,
        "queueing/book.html",
        {"center": center, "slots": open_slots(center=center), "error": error},
        status=422 if error else 200,
    )


@pages
@login_required(login_url=LOGIN_URL)
def statistics(request: HttpRequest, center_code: str) -> HttpResponse:
    """Thống kê: waiting and service times, no-shows, per service, counter, officer and hour; XLSX."""
    today = timezone.localdate()
    start = _date(request.GET.get("start"), today - timedelta(days=6))
    end = _date(request.GET.get("end"), today)
    stats = queue_statistics(center_code=center_code, start=start, end=end, actor=_staff(request))
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            statistics_xlsx(stats), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="thong-ke-lay-so-{center_code}-{start}-{end}.xlsx"'
        return response
    return render(request, "queueing/statistics.html", {"stats": stats})


def _date(raw: str | None, default: date) -> date:
    try:
        return date.fromisoformat(raw) if raw else default
    except ValueError as exc:
        raise InvalidInput("Ngày không hợp lệ (YYYY-MM-DD).", code="invalid_date", value=raw) from exc
