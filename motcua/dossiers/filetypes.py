"""Recognising accepted scans by their first bytes (never by name or declared type), and counting pages.

Accepted: PDF, JPEG, PNG and TIFF (multi-page scans from A3 scanners come as PDF or TIFF).
"""

from __future__ import annotations

import re
import struct

PDF, JPEG, PNG, TIFF = "application/pdf", "image/jpeg", "image/png", "image/tiff"
ACCEPTED = (PDF, JPEG, PNG, TIFF)
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", TIFF: ".tif"}

_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
_MAX_TIFF_PAGES = 100_000


def sniff(head: bytes) -> str | None:
    """The content type of a file starting with `head`, or None when it is not an accepted kind."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return TIFF
    return None


def count_pages(content_type: str, data: bytes) -> int:
    """Pages of a document: PDF page objects, TIFF image directories, 1 for single images."""
    if content_type == PDF:
        return max(1, len(_PAGE.findall(data)))
    if content_type == TIFF:
        return _tiff_pages(data)
    return 1


def _tiff_pages(data: bytes) -> int:
    order = "<" if data[:2] == b"II" else ">"
    try:
        (offset,) = struct.unpack_from(order + "I", data, 4)
        pages = 0
        seen: set[int] = set()
        # Each image file directory (IFD) ends with the offset of the next one; 0 ends the chain.
        while offset and offset not in seen and pages < _MAX_TIFF_PAGES:
            seen.add(offset)
            (entries,) = struct.unpack_from(order + "H", data, offset)
            (offset,) = struct.unpack_from(order + "I", data, offset + 2 + 12 * entries)
            pages += 1
    except struct.error:
        # A truncated chain still holds the pages read so far; the scan itself is kept as uploaded.
        pass
    return max(1, pages)
