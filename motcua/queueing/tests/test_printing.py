"""Must-show 3: the printed ticket's ESC/POS bytes, through python-escpos's Dummy printer."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from escpos.printer import Dummy

from motcua.queueing.printing import configured_printer, fold, ticket_print, ticket_render
from motcua.queueing.selectors.tickets import Position
from motcua.queueing.tests.factories import TicketFactory

URL = "http://127.0.0.1:8000/queue/t/abc123/"


def test_fold_removes_vietnamese_diacritics() -> None:
    assert fold("Đất đai – Hộ tịch, chứng thực") == "Dat dai – Ho tich, chung thuc"


@pytest.mark.django_db
def test_ticket_bytes_carry_number_service_center_time_queue_and_qr() -> None:
    ticket = TicketFactory.create(
        service__name="Đất đai",
        service__code="B",
        service__center__name="Trung tâm Phục vụ hành chính công xã Cốc San",
        number=12,
        issued_at=datetime(2026, 3, 2, 9, 5, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
    )
    printer = Dummy()

    ticket_render(printer, position=Position(ticket=ticket, waiting_before=4, estimated_wait_s=1190), url=URL)
    output: bytes = printer.output

    assert b"Trung tam Phuc vu hanh chinh cong xa Coc San\n" in output
    assert b"\x1b!0" in output  # double width and height for the number
    assert b"B012\n" in output
    assert b"Dat dai\n" in output
    assert b"09:05 02/03/2026\n" in output
    assert b"So nguoi dang cho truoc: 4\n" in output
    assert b"Thoi gian cho du kien: 20 phut\n" in output
    assert b"\x1d(k" in output  # native QR code commands
    assert URL.encode() in output
    assert output.endswith(b"\x1dV\x00")  # full cut
    assert output.index(b"B012") < output.index(URL.encode())


@pytest.mark.django_db
def test_printing_is_skipped_without_a_printer_and_a_fault_does_not_raise(monkeypatch: pytest.MonkeyPatch) -> None:
    position = Position(ticket=TicketFactory.create(), waiting_before=0, estimated_wait_s=0)
    monkeypatch.setenv("MOTCUA_QUEUE_PRINTER", "")
    assert configured_printer() is None
    assert ticket_print(position=position, url=URL) is False
    monkeypatch.setenv("MOTCUA_QUEUE_PRINTER", "lpt1")
    assert configured_printer() is None

    class JammedPrinter(Dummy):  # type: ignore[misc]
        def cut(self, *args: object, **kwargs: object) -> None:
            raise OSError("paper jam")

    monkeypatch.setattr("motcua.queueing.printing.configured_printer", JammedPrinter)
    assert ticket_print(position=position, url=URL) is False
