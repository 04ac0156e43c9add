"""The queue pages: kiosk, live position, board and its stream, counter, rating, booking, statistics."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.http import StreamingHttpResponse
from django.test import Client
from django.utils import timezone

from motcua.org.models import StaffUser
from motcua.org.tests.factories import StaffUserFactory
from motcua.queueing.models import AppointmentSlot, Rating, Ticket, TicketSource, TicketStatus
from motcua.queueing.services.tickets import ticket_issue
from motcua.queueing.tests.conftest import Hall

PAGE_LIMIT = 100 * 1024


def officer(client: Client, hall: Hall, **traits: object) -> StaffUser:
    user = StaffUserFactory.create(center=hall.center, **traits)
    client.force_login(user)
    return user


def test_kiosk_issues_a_ticket_and_shows_its_live_page(client: Client, hall: Hall) -> None:
    page = client.get(f"/queue/{hall.center.code}/kiosk/")
    assert page.status_code == 200
    assert len(page.content) < PAGE_LIMIT
    assert "Hộ tịch – Chứng thực" in page.text
    assert 'name="priority_group" value="elderly"' in page.text

    response = client.post(f"/queue/{hall.center.code}/kiosk/", {"service": "B", "priority_group": "elderly"})

    ticket = Ticket.objects.get()
    assert (ticket.label, ticket.source, ticket.priority_group_id is not None) == ("B001", "kiosk", True)
    assert response.status_code == 302
    live = client.get(response["Location"])
    assert "B001" in live.text
    assert "Sắp đến lượt" in live.text  # nobody ahead
    assert f"url=/queue/{hall.center.code}/kiosk/" in live.text  # the kiosk returns to its start page


def test_kiosk_shows_errors_in_vietnamese_and_pages_speak_english_on_request(client: Client, hall: Hall) -> None:
    refused = client.post(f"/queue/{hall.center.code}/kiosk/", {"appointment": "ZZZZZZ"})
    english = client.get(f"/queue/{hall.center.code}/take/", headers={"accept-language": "en"})

    assert refused.status_code == 422
    assert "Không có lịch hẹn với mã này." in refused.text
    assert "Choose a service to take a number" in english.text
    assert client.get("/queue/nowhere/kiosk/").status_code == 404


def test_web_ticket_page_counts_people_ahead(client: Client, hall: Hall) -> None:
    for _ in range(5):
        ticket_issue(center_code=hall.center.code, service_code="A", source=TicketSource.KIOSK)

    response = client.post(f"/queue/{hall.center.code}/take/", {"service": "A"})
    live = client.get(response["Location"])

    assert Ticket.objects.filter(source=TicketSource.WEB).count() == 1
    assert '<dd id="waiting-before">5</dd>' in live.text
    assert "khoảng 50 phút" in live.text
    assert "Sắp đến lượt" not in live.text


def test_board_page_and_its_event_stream_start_with_the_current_board(client: Client, hall: Hall) -> None:
    ticket_issue(center_code=hall.center.code, service_code="C", source=TicketSource.KIOSK)

    page = client.get(f"/queue/{hall.center.code}/board/")
    stream = client.get(f"/queue/{hall.center.code}/board/stream/")

    assert page.status_code == 200
    assert len(page.content) < PAGE_LIMIT
    assert "<td>C – Đăng ký kinh doanh</td><td>1</td>" in page.text
    assert isinstance(stream, StreamingHttpResponse)
    assert stream["Content-Type"] == "text/event-stream"
    chunks = iter(stream.streaming_content)
    assert next(chunks) == b"retry: 1000\n\n"
    name, data = next(chunks).decode().strip().split("\n")
    assert name == "event: board"
    assert json.loads(data.removeprefix("data: "))["services"][2] == {
        "code": "C",
        "name": "Đăng ký kinh doanh",
        "waiting": 1,
    }
    stream.close()


def test_counter_page_needs_a_login_and_works_the_queue(client: Client, hall: Hall) -> None:
    url = f"/queue/counter/{hall.counters[0].id}/"
    assert client.get(url)["Location"].startswith("/queue/login/")
    officer(client, hall)
    ticket_issue(center_code=hall.center.code, service_code="A", source=TicketSource.KIOSK)

    client.post(url, {"action": "call_next"})
    page = client.get(url)
    client.post(url, {"action": "start"})
    client.post(url, {"action": "end", "dossier_codes": "H38.101-260302-0001, H38.101-260302-0002"})

    assert '<p class="number" id="current-number">A001</p>' in page.text
    assert len(page.content) < PAGE_LIMIT
    ticket = Ticket.objects.get()
    assert ticket.status == TicketStatus.DONE
    assert ticket.dossiers.count() == 2
    conflict = client.post(url, {"action": "recall"})
    assert conflict.status_code == 409
    assert "Quầy chưa gọi số nào." in conflict.text


def test_counter_page_of_another_center_is_forbidden(client: Client, hall: Hall) -> None:
    client.force_login(StaffUserFactory.create())

    assert client.get(f"/queue/counter/{hall.counters[0].id}/").status_code == 403


def test_rating_tablet_rates_the_ticket_just_served(client: Client, hall: Hall) -> None:
    officer(client, hall)
    ticket_issue(center_code=hall.center.code, service_code="A", source=TicketSource.KIOSK)
    counter_url = f"/queue/counter/{hall.counters[0].id}/"
    client.post(counter_url, {"action": "call_next"})
    client.post(counter_url, {"action": "end"})
    ticket = Ticket.objects.get()

    page = client.get(f"{counter_url}rating/")
    done = client.post(f"{counter_url}rating/", {"ticket": ticket.id, "score": "satisfied", "comment": "Nhanh"})

    assert "A001" in page.text
    assert "Cảm ơn ông/bà đã đánh giá." in done.text
    assert Rating.objects.get().score == "satisfied"


@pytest.mark.usefixtures("morning_clock")
def test_booking_then_check_in_at_the_kiosk(client: Client, hall: Hall) -> None:
    start = timezone.now() + timedelta(minutes=10)
    slot = AppointmentSlot.objects.create(
        service=hall.services["A"], starts_at=start, ends_at=start + timedelta(minutes=30), capacity=1
    )

    form = client.get(f"/queue/{hall.center.code}/book/")
    booked = client.post(
        f"/queue/{hall.center.code}/book/", {"slot": slot.id, "full_name": "Nguyễn Văn A", "phone": "0912345678"}
    )
    code = booked.text.split('id="booking-code">')[1].split("<")[0]
    checked_in = client.post(f"/queue/{hall.center.code}/kiosk/", {"appointment": code})

    assert "còn 1 chỗ" in form.text
    assert checked_in.status_code == 302
    assert Ticket.objects.get().source == TicketSource.APPOINTMENT


def test_statistics_page_and_xlsx_for_the_center_admin(client: Client, hall: Hall) -> None:
    officer(client, hall, center_admin=True)
    ticket_issue(center_code=hall.center.code, service_code="A", source=TicketSource.KIOSK)

    page = client.get(f"/queue/{hall.center.code}/statistics/")
    xlsx = client.get(f"/queue/{hall.center.code}/statistics/", {"format": "xlsx"})
    bad = client.get(f"/queue/{hall.center.code}/statistics/", {"start": "2026-13-45"})

    assert page.status_code == 200
    assert "A – Hộ tịch – Chứng thực" in page.text
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert xlsx.content[:2] == b"PK"
    assert bad.status_code == 422
