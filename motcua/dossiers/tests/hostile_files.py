"""Hostile uploads generated in code, each with the refusal code it must get; and benign files of every
accepted kind, which must still be taken (so a check that refuses everything fails the tests)."""

from __future__ import annotations

import io
import random
import struct
import zlib
from base64 import a85encode
from dataclasses import dataclass

from PIL import Image

LIMIT_MB = 1
LIMIT = LIMIT_MB * 1024 * 1024


@dataclass(frozen=True)
class Hostile:
    id: str
    name: str
    content: bytes
    code: str
    #: False when Django's multipart parser rewrites the name before any view sees it (it keeps only the
    #: last path segment and printable characters): the name case is then checked on the service alone.
    over_http: bool = True


# --- builders -----------------------------------------------------------------------------------------


def pdf(*extra_objects: bytes, catalog: bytes = b"", version: bytes = b"1.7") -> bytes:
    """A well-formed PDF of one page; `catalog` adds entries to the catalog, `extra_objects` follow."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        *extra_objects,
    ]
    out = b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def stream(data: bytes, filters: bytes = b"", extra: bytes = b"") -> bytes:
    head = b"<< /Length %d " % len(data) + (b"/Filter " + filters + b" " if filters else b"") + extra + b">>"
    return head + b"\nstream\n" + data + b"\nendstream"


def object_stream(objects: bytes, filters: bytes = b"/FlateDecode") -> bytes:
    encoded = objects
    for name in reversed(filters.replace(b"[", b"").replace(b"]", b"").split()):
        if name == b"/FlateDecode":
            encoded = zlib.compress(encoded)
        elif name == b"/ASCIIHexDecode":
            encoded = encoded.hex().encode() + b">"
        elif name == b"/ASCII85Decode":
            encoded = a85encode(encoded) + b"~>"
    return stream(encoded, filters, extra=b"/Type /ObjStm /N 1 /First 6 ")


def image(kind: str, size: tuple[int, int] = (64, 48), **options: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (180, 30, 30)).save(out, kind, **options)
    return out.getvalue()


def tiff_pages(count: int) -> bytes:
    out = io.BytesIO()
    pages = [Image.new("L", (32, 32), 40 * page) for page in range(count)]
    pages[0].save(out, "TIFF", save_all=True, append_images=pages[1:])
    return out.getvalue()


def png_with_size(width: int, height: int) -> bytes:
    """A PNG whose header claims `width` × `height` (valid CRCs), with a few bytes of pixel data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def png_with_chunk(kind: bytes, data: bytes) -> bytes:
    """A real PNG with one more chunk (valid CRC) before its image data."""
    png = image("PNG")
    extra = struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    at = png.index(b"IDAT") - 4
    return png[:at] + extra + png[at:]


def tiff_with_size(width: int, height: int, *, second_page: bool = False) -> bytes:
    """An uncompressed grey TIFF whose tags claim `width` × `height`; optionally after a sane first page."""
    entries = [(256, 4, width), (257, 4, height), (258, 3, 8), (259, 3, 1), (262, 3, 1), (277, 3, 1)]

    def ifd(at: int, strip_at: int, following: int, tags: list[tuple[int, int, int]]) -> bytes:
        rows = [*tags, (273, 4, strip_at), (278, 4, 1), (279, 4, 16)]
        body = struct.pack("<H", len(rows))
        for tag, kind, value in sorted(rows):
            body += (
                struct.pack("<HHII", tag, kind, 1, value)
                if kind == 4
                else struct.pack("<HHIHH", tag, kind, 1, value, 0)
            )
        return body + struct.pack("<I", following)

    strip = b"\x80" * 16
    size = 2 + (len(entries) + 3) * 12 + 4
    if not second_page:
        return b"II*\x00" + struct.pack("<I", 8) + ifd(8, 8 + size, 0, entries) + strip
    sane = [(256, 4, 4), (257, 4, 4), *entries[2:]]
    first_at, second_at = 8, 8 + size
    strips_at = second_at + size
    return (
        b"II*\x00"
        + struct.pack("<I", first_at)
        + ifd(first_at, strips_at, second_at, sane)
        + ifd(second_at, strips_at, 0, entries)
        + strip
    )


def jpeg_with_size(width: int, height: int) -> bytes:
    """A real JPEG whose frame header (SOF0) is rewritten to claim `width` × `height`."""
    data = bytearray(image("JPEG"))
    at = data.index(b"\xff\xc0")
    struct.pack_into(">HH", data, at + 5, height, width)
    return bytes(data)


def jpeg_with_comment(text: bytes) -> bytes:
    data = image("JPEG")
    return data[:2] + b"\xff\xfe" + struct.pack(">H", len(text) + 2) + text + data[2:]


def zip_archive() -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.html", "<script>alert(1)</script>")
    return out.getvalue()


# --- the cases ----------------------------------------------------------------------------------------


def benign() -> list[tuple[str, str, bytes, str, int]]:
    """(id, name, content, content type, pages) of files every entry must accept."""
    flate = stream(zlib.compress(b"BT /F1 12 Tf 72 712 Td (Giay khai sinh) Tj ET"), b"/FlateDecode")
    packed = object_stream(b"4 0 5 0 << /Type /Page /Parent 2 0 R >>")
    return [
        ("pdf", "to-khai.pdf", pdf(), "application/pdf", 1),
        ("pdf-flate", "to-khai.PDF", pdf(flate), "application/pdf", 1),
        ("pdf-object-stream", "scan", pdf(packed), "application/pdf", 2),
        ("jpeg", "IMG_0001.JPG", image("JPEG"), "image/jpeg", 1),
        ("png", "anh.png", image("PNG"), "image/png", 1),
        ("tiff", "scan.tif", tiff_pages(3), "image/tiff", 3),
    ]


def hostile() -> list[Hostile]:
    good_pdf, good_jpeg, good_png, good_tiff = pdf(), image("JPEG"), image("PNG"), tiff_pages(2)
    rng = random.Random(10)
    cases: list[Hostile] = []

    def add(case_id: str, name: str, content: bytes, code: str, *, over_http: bool = True) -> None:
        cases.append(Hostile(case_id, name, content, code, over_http))

    # Wrong magic bytes: other kinds, whatever their name says.
    for case_id, name, content in [
        ("exe", "to-khai.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200)),
        ("elf", "scan.pdf", b"\x7fELF\x02\x01\x01" + bytes(200)),
        ("zip", "scan.pdf", zip_archive()),
        ("gif", "anh.png", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
        ("bmp", "anh.jpg", b"BM" + bytes(60)),
        ("webp", "anh.jpg", b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(30)),
        ("heic", "anh.jpg", b"\x00\x00\x00\x18ftypheic" + bytes(30)),
        ("rtf", "don.pdf", b"{\\rtf1\\ansi Don de nghi}"),
        ("text", "don.pdf", "Đơn đề nghị cấp giấy khai sinh".encode()),
        ("shell", "scan.pdf", b"#!/bin/sh\nrm -rf /\n"),
        ("php", "anh.jpg", b"<?php system($_GET['c']); ?>"),
        ("html", "anh.jpg", b"<!doctype html><script>alert(1)</script>"),
        ("html-upper", "scan.png", b"<HTML><BODY onload=alert(1)>"),
        ("svg", "anh.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        (
            "svg-prolog",
            "anh.jpg",
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>',
        ),
        ("xml", "scan.tif", b'<?xml version="1.0"?><root/>'),
        ("json", "scan.pdf", b'{"personal_id": "001090000001"}'),
        ("space-before-pdf", "scan.pdf", b" " + good_pdf),
        ("bom-before-pdf", "scan.pdf", b"\xef\xbb\xbf" + good_pdf),
        ("gzip", "scan.pdf", b"\x1f\x8b\x08\x00" + bytes(30)),
        ("7z", "scan.pdf", b"7z\xbc\xaf\x27\x1c" + bytes(30)),
        ("rar", "scan.pdf", b"Rar!\x1a\x07\x00" + bytes(30)),
        ("ico", "anh.png", b"\x00\x00\x01\x00\x01\x00" + bytes(30)),
        ("postscript", "scan.pdf", b"%!PS-Adobe-3.0\n(x) show\n"),
        ("jpeg-two-bytes", "anh.jpg", b"\xff\xd8\x00\x10JFIF" + bytes(30)),
        ("png-bad-signature", "anh.png", b"\x89PNG\r\n\x1a" + bytes(30)),
        ("bigtiff", "scan.tif", b"II+\x00\x08\x00\x00\x00" + bytes(30)),
        ("javascript", "scan.pdf", b"alert(document.cookie)"),
        ("nul-bytes", "scan.pdf", bytes(512)),
        ("whitespace", "scan.pdf", b" \n\t\r\n"),
        *[(f"random-{n}", "scan.pdf", rng.randbytes(1000 + n)) for n in range(4)],
    ]:
        add(case_id, name, content, "unsupported_file_type")

    add("empty", "scan.pdf", b"", "empty_file")

    # Over the limit (the tests run with a 1 MB limit).
    add("oversize-pdf", "scan.pdf", good_pdf + b"%" + b"0" * LIMIT, "file_too_large")
    add("oversize-jpeg", "anh.jpg", good_jpeg + bytes(LIMIT), "file_too_large")
    add("oversize-by-one", "scan.bin", b"%PDF-1.4\n" + b"0" * (LIMIT - 8), "file_too_large")

    # Polyglots: valid as the accepted kind and as something else.
    archive = zip_archive()
    add("pdf-zip", "scan.pdf", good_pdf + archive, "polyglot_file")
    add("jpeg-zip", "anh.jpg", good_jpeg + archive, "polyglot_file")
    add("png-zip", "anh.png", good_png + archive, "polyglot_file")
    add("tiff-zip", "scan.tif", good_tiff + archive, "polyglot_file")
    add("jpeg-html-comment", "anh.jpg", jpeg_with_comment(b"<html><script>alert(1)</script></html>"), "polyglot_file")
    add("jpeg-script-comment", "anh.jpg", jpeg_with_comment(b"*/=1;<SCRIPT src=//x></SCRIPT>"), "polyglot_file")
    add("jpeg-javascript-url", "anh.jpg", jpeg_with_comment(b"javascript:alert(1)"), "polyglot_file")
    add("png-text-script", "anh.png", png_with_chunk(b"tEXt", b"Comment\x00<script>alert(1)</script>"), "polyglot_file")
    add("png-iframe", "anh.png", png_with_chunk(b"tEXt", b"Comment\x00<iframe src=x>"), "polyglot_file")
    add("pdf-html-comment", "scan.pdf", good_pdf.replace(b"%\xe2", b"%<html><body onload=x>%\xe2", 1), "polyglot_file")
    add(
        "pdf-html-stream",
        "scan.pdf",
        pdf(stream(zlib.compress(b"<svg onload=alert(1)>"), b"/FlateDecode")),
        "polyglot_file",
    )
    add("tiff-svg", "scan.tif", good_tiff + b"<svg onload=alert(1)>", "polyglot_file")
    add("php-in-jpeg", "anh.jpg", jpeg_with_comment(b"<?php system($_GET[c]); ?>"), "polyglot_file")
    add("png-after-iend", "anh.png", good_png + b"MZ payload after the image", "polyglot_file")
    add("jpeg-after-eoi", "anh.jpg", good_jpeg + b"payload after the image", "polyglot_file")

    # Decompression bombs: small files that expand far past any scan.
    for width, height in [(100_000, 100_000), (65_535, 65_535), (20_000, 10_000), (1, 2**31 - 1)]:
        add(f"png-{width}x{height}", "anh.png", png_with_size(width, height), "decompression_bomb")
    for width, height in [(100_000, 100_000), (50_000, 4_000), (2**31 - 1, 1)]:
        add(f"tiff-{width}x{height}", "scan.tif", tiff_with_size(width, height), "decompression_bomb")
    add("tiff-second-page-bomb", "scan.tif", tiff_with_size(60_000, 60_000, second_page=True), "decompression_bomb")
    add("jpeg-65500x65500", "anh.jpg", jpeg_with_size(65_500, 65_500), "decompression_bomb")
    add("jpeg-65500x2000", "anh.jpg", jpeg_with_size(65_500, 2_000), "decompression_bomb")
    zeros = b"\x00" * (12 * LIMIT)
    add("pdf-flate-bomb", "scan.pdf", pdf(stream(zlib.compress(zeros, 9), b"/FlateDecode")), "decompression_bomb")
    add(
        "pdf-nested-flate-bomb",
        "scan.pdf",
        pdf(stream(zlib.compress(zlib.compress(zeros * 3, 9), 9), b"[/FlateDecode /FlateDecode]")),
        "decompression_bomb",
    )
    add("pdf-object-stream-bomb", "scan.pdf", pdf(object_stream(b"4 0 << >>" + zeros)), "decompression_bomb")
    many = [stream(zlib.compress(bytes(LIMIT), 9), b"/FlateDecode") for _ in range(12)]
    add("pdf-many-streams-bomb", "scan.pdf", pdf(*many), "decompression_bomb")

    # Names that climb out of their folder, carry control characters or hide their kind.
    for case_id, name in [
        ("dot-dot-slash", "../../etc/cron.d/scan.pdf"),
        ("dot-dot-backslash", "..\\..\\Windows\\System32\\scan.pdf"),
        ("absolute", "/var/lib/motcua/documents/scan.pdf"),
        ("drive", "C:\\scan.pdf"),
        ("nested", "ho-so/scan.pdf"),
        ("nul", "scan.pdf\x00.html"),
        ("newline", "scan\n.pdf"),
        ("crlf-header", "scan.pdf\r\nContent-Type: text/html"),
        ("escape", "\x1b[31mscan.pdf"),
        ("delete-char", "scan\x7f.pdf"),
        ("right-to-left-override", "scan\u202efdp.exe"),
        ("zero-width", "scan\u200b.pdf"),
        ("line-separator", "scan\u2028.pdf"),
        ("dot-dot", ".."),
        ("hidden", ".htaccess"),
        ("too-long", "a" * 300 + ".pdf"),
    ]:
        add(f"name-{case_id}", name, good_pdf, "unsafe_file_name", over_http=False)
    for case_id, name, content in [
        ("html", "scan.html", good_pdf),
        ("svg", "scan.svg", good_pdf),
        ("exe", "scan.exe", good_pdf),
        ("double", "scan.pdf.exe", good_pdf),
        ("php", "anh.php", good_jpeg),
        ("png-as-jpeg", "anh.jpg", good_png),
        ("js", "scan.js", good_tiff),
    ]:
        add(f"name-{case_id}", name, content, "file_name_mismatch")

    # PDFs that run code, act on opening, launch programs, carry files or cannot be read.
    javascript = b"<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>"
    for case_id, content in [
        ("js-action", pdf(javascript)),
        ("open-action", pdf(b"<< /S /GoTo /D [3 0 R /Fit] >>", catalog=b"/OpenAction 4 0 R ")),
        ("additional-actions", pdf(catalog=b"/AA << /WC 4 0 R >> ")),
        ("launch", pdf(b"<< /S /Launch /F (cmd.exe) >>")),
        ("embedded-file", pdf(stream(b"MZ", extra=b"/Type /EmbeddedFile "))),
        ("embedded-files-tree", pdf(catalog=b"/Names << /EmbeddedFiles << /Names [] >> >> ")),
        ("rich-media", pdf(b"<< /Type /Annot /Subtype /RichMedia >>")),
        ("xfa", pdf(catalog=b"/AcroForm << /XFA 4 0 R >> ")),
        ("submit-form", pdf(b"<< /S /SubmitForm /F (http://x.example/) >>")),
        ("import-data", pdf(b"<< /S /ImportData /F (data.fdf) >>")),
        ("goto-remote", pdf(b"<< /S /GoToR /F (other.pdf) /D [0 /Fit] >>")),
        ("goto-embedded", pdf(b"<< /S /GoToE /T << /R /C /N (x) >> >>")),
        ("hex-escaped-name", pdf(b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>")),
        ("hex-escaped-open-action", pdf(catalog=b"/Open#41ction << /S /Named /N /Print >> ")),
        ("js-in-object-stream", pdf(object_stream(b"4 0 " + javascript))),
        ("js-in-hex-object-stream", pdf(object_stream(b"4 0 " + javascript, b"/ASCIIHexDecode"))),
        ("js-in-a85-flate-object-stream", pdf(object_stream(b"4 0 " + javascript, b"[/ASCII85Decode /FlateDecode]"))),
        ("js-in-double-flate", pdf(object_stream(b"4 0 " + javascript, b"[/FlateDecode /FlateDecode]"))),
        ("encrypted", pdf(b"<< /Filter /Standard /V 2 /R 3 /O <00> /U <00> /P -4 >>", catalog=b"/Encrypt 4 0 R ")),
    ]:
        add(f"pdf-{case_id}", "scan.pdf", content, "active_content")
    add(
        "pdf-object-stream-lzw",
        "scan.pdf",
        pdf(stream(b"\x80\x0b", b"/LZWDecode", extra=b"/Type /ObjStm ")),
        "malformed_file",
    )

    # Cut short: an interrupted upload or scan.
    add("pdf-half", "scan.pdf", good_pdf[: len(good_pdf) // 2], "truncated_file")
    add("pdf-no-eof", "scan.pdf", good_pdf.replace(b"%%EOF", b""), "truncated_file")
    cut = pdf(stream(b"q 1 0 0 1 0 0 cm Q"))
    add("pdf-stream-without-end", "scan.pdf", cut.replace(b"endstream", b"", 1), "truncated_file")
    add("jpeg-half", "anh.jpg", good_jpeg[: len(good_jpeg) // 2], "truncated_file")
    add("jpeg-header-only", "anh.jpg", good_jpeg[:160], "truncated_file")
    add("png-half", "anh.png", good_png[: len(good_png) // 2], "truncated_file")
    add("png-no-iend", "anh.png", good_png[:-12], "truncated_file")
    add("tiff-half", "scan.tif", good_tiff[: len(good_tiff) - 600], "truncated_file")
    big_tiff = image("TIFF", (200, 200))
    add("tiff-strips-cut", "scan.tif", big_tiff[:-4000], "truncated_file")

    # The right first bytes, then nothing a reader could use.
    add("pdf-bad-version", "scan.pdf", b"%PDF-abc\n" + good_pdf[9:], "malformed_file")
    jfif = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    add("jpeg-without-frame", "anh.jpg", jfif + b"\xff\xd9", "malformed_file")
    add("png-garbage", "anh.png", b"\x89PNG\r\n\x1a\n" + rng.randbytes(400) + good_png[-12:], "malformed_file")
    add("png-bad-crc", "anh.png", good_png[:29] + b"\x00\x00\x00\x00" + good_png[33:], "malformed_file")
    add("tiff-garbage", "scan.tif", b"II*\x00" + struct.pack("<I", 4_000_000) + rng.randbytes(200), "malformed_file")
    add("tiff-empty-directories", "scan.tif", b"II*\x00" + struct.pack("<IHI", 8, 0, 0), "malformed_file")
    return cases
