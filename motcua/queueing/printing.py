"""Printing tickets on ESC/POS thermal printers (python-escpos), over the network or USB.

Text is printed without Vietnamese diacritics: the code pages of the cheap thermal printers centers buy
rarely include Vietnamese, and a folded "Ho tich" reads better than "H? t?ch". The number and the QR code
(the live position page) are what matter.
"""

from __future__ import annotations

import logging
import math
import unicodedata
from contextlib import suppress
from typing import Any
from urllib.parse import urlsplit

from django.utils import timezone

from motcua.config import env
from motcua.queueing.selectors.tickets import Position

logger = logging.getLogger("motcua.queueing.printing")

#: Seconds to wait for a network printer before giving up (the screen still shows the number).
NETWORK_TIMEOUT_S = 5


def fold(text: str) -> str:
    """Vietnamese without diacritics: "Đất đai" -> "Dat dai"."""
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def ticket_render(printer: Any, *, position: Position, url: str) -> None:
    """Write one ticket to an `escpos.escpos.Escpos` printer: center, number, service, time, people
    waiting, estimated wait and a QR code of the live position page; then cut."""
    ticket = position.ticket
    printer.set(align="center", bold=True)
    printer.textln(fold(ticket.center.name))
    printer.set(align="center", bold=True, double_width=True, double_height=True)
    printer.textln(ticket.label)
    printer.set(align="center", bold=False, normal_textsize=True)
    printer.textln(fold(ticket.service.name))
    printer.textln(timezone.localtime(ticket.issued_at).strftime("%H:%M %d/%m/%Y"))
    printer.textln(f"So nguoi dang cho truoc: {position.waiting_before}")
    printer.textln(f"Thoi gian cho du kien: {math.ceil(position.estimated_wait_s / 60)} phut")
    printer.qr(url, native=True, size=6)
    printer.textln("Quet ma QR de theo doi luot cua ban")
    printer.cut()


def configured_printer() -> Any | None:
    """The kiosk printer of `MOTCUA_QUEUE_PRINTER` (`tcp://host:9100` or `usb://0x04b8:0x0202`), or None."""
    value = env("MOTCUA_QUEUE_PRINTER").strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme == "tcp" and parts.hostname:
        from escpos.printer import Network

        return Network(parts.hostname, port=parts.port or 9100, timeout=NETWORK_TIMEOUT_S)
    if parts.scheme == "usb":
        from escpos.printer import Usb

        vendor, _, product = parts.netloc.partition(":")
        return Usb(int(vendor, 16), int(product, 16))
    logger.error("MOTCUA_QUEUE_PRINTER=%r is neither tcp://host:port nor usb://vendor:product", value)
    return None


def ticket_print(*, position: Position, url: str) -> bool:
    """Print on the configured printer. A printer fault is logged, not raised: the kiosk shows the number."""
    printer = configured_printer()
    if printer is None:
        return False
    try:
        ticket_render(printer, position=position, url=url)
    except Exception:
        logger.exception("ticket %s was not printed", position.ticket.label)
        return False
    finally:
        with suppress(Exception):  # closing a printer that never opened fails too; nothing left to do
            printer.close()
    return True
