"""Checking an upload before anything is written: its kind by its first bytes (never by name or declared
type), its name, and its structure; and counting its pages.

Accepted: PDF, JPEG, PNG and TIFF (multi-page scans from A3 scanners come as PDF or TIFF). Refused, each
with a stable code: other kinds and SVG/HTML dressed up as images, files that are also another format
(a ZIP or HTML inside, data after the image's end), truncated or corrupt files, images over Pillow's
decompression-bomb limit, PDF streams inflating past a budget, PDFs carrying JavaScript, automatic or
launch actions, embedded files or encryption, and names that try to leave their folder or hide their kind.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import struct
import unicodedata
import warnings
import zipfile
import zlib
from dataclasses import dataclass

from PIL import Image

from motcua.core.errors import DomainError

PDF, JPEG, PNG, TIFF = "application/pdf", "image/jpeg", "image/png", "image/tiff"
ACCEPTED = (PDF, JPEG, PNG, TIFF)
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", TIFF: ".tif"}
#: File name endings each kind may carry (a name without an ending is accepted too).
NAME_ENDINGS = {PDF: {"pdf"}, JPEG: {"jpg", "jpeg", "jpe", "jfif"}, PNG: {"png"}, TIFF: {"tif", "tiff"}}
_PIL_FORMATS = {JPEG: ["JPEG", "MPO"], PNG: ["PNG"], TIFF: ["TIFF"]}

_MAX_NAME = 255
_MAX_TIFF_PAGES = 10_000
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
_PDF_HEADER = re.compile(rb"%PDF-[12]\.\d")
_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"(?<![A-Za-z])stream(?:\r\n|\n|\r)")
_FILTERS = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^\s/<>\[\]()%{}]+)")
#: PDF names that run code, act on opening, launch programs or carry other files (ISO 32000 §12.6, §7.11.4).
_ACTIVE_NAMES = frozenset(
    {
        b"JavaScript",
        b"JS",
        b"OpenAction",
        b"AA",
        b"Launch",
        b"EmbeddedFile",
        b"EmbeddedFiles",
        b"RichMedia",
        b"XFA",
        b"SubmitForm",
        b"ImportData",
        b"GoToR",
        b"GoToE",
    }
)
#: Markup a browser or interpreter would run, found inside a file that claims to be a scan.
_MARKUP = re.compile(rb"<(?:script|html|body|iframe|svg|object|embed|\?php)|javascript:", re.IGNORECASE)
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


class RefusedFile(DomainError):
    """An upload refused for what it is; the subclass's code says why."""

    status = 422


class UnsupportedFileType(RefusedFile):
    code = "unsupported_file_type"
    status = 415
    message = "Chỉ nhận tệp PDF, JPEG, PNG hoặc TIFF (kiểm tra theo nội dung tệp)."


class UnsafeFileName(RefusedFile):
    code = "unsafe_file_name"
    message = "Tên tệp chứa đường dẫn, ký tự điều khiển hoặc quá dài; hãy đổi tên tệp rồi tải lại."


class FileNameMismatch(RefusedFile):
    code = "file_name_mismatch"
    message = "Đuôi tên tệp không khớp với nội dung tệp."


class MalformedFile(RefusedFile):
    code = "malformed_file"
    message = "Tệp bị hỏng hoặc không đúng cấu trúc nên không đọc được."


class TruncatedFile(RefusedFile):
    code = "truncated_file"
    message = "Tệp bị cắt cụt (tải lên chưa hết hoặc quét lỗi); hãy quét hoặc tải lại."


class PolyglotFile(RefusedFile):
    code = "polyglot_file"
    message = "Tệp đồng thời là một loại tệp khác (có ZIP, HTML hoặc dữ liệu lạ ghép vào); không được nhận."


class DecompressionBomb(RefusedFile):
    code = "decompression_bomb"
    status = 413
    message = "Tệp khi giải nén quá lớn (kích thước ảnh hoặc dữ liệu nén vượt giới hạn)."


class ActiveContent(RefusedFile):
    code = "active_content"
    status = 415
    message = "Tệp PDF chứa mã lệnh, hành động tự động, tệp đính kèm hoặc bị mã hóa; hãy in ra PDF thường."


@dataclass(frozen=True)
class Inspection:
    content_type: str
    pages: int


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


def check_name(name: str) -> None:
    """Refuse a file name that holds a path, control or direction-changing characters, or is too long."""
    if (
        len(name) > _MAX_NAME
        or name.startswith(".")
        or ".." in name
        or "/" in name
        or "\\" in name
        or any(unicodedata.category(char) in _UNSAFE_CATEGORIES for char in name)
    ):
        raise UnsafeFileName()


def inspect_upload(data: bytes, *, name: str, inflate_budget: int) -> Inspection:
    """Check a whole upload; its content type and page count, or a `RefusedFile` naming the first fault.

    `name` is the name the client gave ("" when none); `inflate_budget` bounds the bytes PDF streams may
    inflate to while they are searched for hidden actions.
    """
    check_name(name)
    content_type = sniff(data[:16])
    if content_type is None:
        raise UnsupportedFileType(accepted=list(ACCEPTED))
    ending = name.rpartition(".")[2].lower() if "." in name else ""
    if ending and ending not in NAME_ENDINGS[content_type]:
        raise FileNameMismatch(content_type=content_type)
    if zipfile.is_zipfile(io.BytesIO(data)):
        raise PolyglotFile(also="zip")
    if _MARKUP.search(data):
        raise PolyglotFile(also="html")
    if content_type == PDF:
        return Inspection(PDF, _inspect_pdf(data, inflate_budget))
    return Inspection(content_type, _inspect_image(data, content_type))


def _inspect_pdf(data: bytes, inflate_budget: int) -> int:
    if not _PDF_HEADER.match(data):
        raise MalformedFile()
    # Readers look for the end-of-file marker within the last 1024 bytes (ISO 32000 §7.5.5).
    if b"%%EOF" not in data[-1024:]:
        raise TruncatedFile()
    inflated = _inflate_streams(data, inflate_budget)
    pages = 0
    for part in (data, *inflated):
        names = {_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), n) for n in _NAME.findall(part)}
        if found := names & _ACTIVE_NAMES:
            raise ActiveContent(names=sorted(n.decode("latin-1") for n in found))
        if b"Encrypt" in names:
            raise ActiveContent(names=["Encrypt"])
        if part is not data and _MARKUP.search(part):
            raise PolyglotFile(also="html")
        pages += len(_PAGE.findall(part))
    return max(1, pages)


def _inflate_streams(data: bytes, budget: int) -> list[bytes]:
    """Every stream whose filters are all textual or Flate, decoded (object streams hide dictionaries)."""
    out: list[bytes] = []
    left = budget
    for match in _STREAM.finditer(data):
        start = match.end()
        end = data.find(b"endstream", start)
        if end < 0:
            raise TruncatedFile()
        header = data[data.rfind(b"obj", 0, match.start()) + 1 : match.start()]
        filters = _filters(header)
        if not filters:
            continue
        body = data[start:end]
        for name in filters:
            if name == b"FlateDecode":
                body = _inflate(body, left)
            elif name == b"ASCIIHexDecode":
                body = _unhex(body)
            elif name == b"ASCII85Decode":
                body = _un85(body)
            else:
                # Image codecs (DCT, CCITT, JBIG2, JPX) hold pixels, not dictionaries; an object stream
                # compressed by one of them could hide actions, so it is not accepted.
                if b"ObjStm" in header:
                    raise MalformedFile(reason="object_stream_filter")
                break
        else:
            left -= len(body)
            out.append(body)
    return out


def _filters(header: bytes) -> list[bytes]:
    found = _FILTERS.search(_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), header))
    return [] if found is None else re.findall(rb"/([^\s/<>\[\]()%{}]+)", found.group(1))


def _inflate(body: bytes, limit: int) -> bytes:
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(body, max(limit, 0) + 1)
    except zlib.error:
        # A damaged stream: readers recover what inflates, so what did is searched like the rest.
        out = b""
    if len(out) > limit:
        raise DecompressionBomb(limit_bytes=limit)
    return out


def _unhex(body: bytes) -> bytes:
    digits = re.sub(rb"\s", b"", body.split(b">", 1)[0])
    try:
        return binascii.unhexlify(digits + b"0" * (len(digits) % 2))
    except binascii.Error as error:
        raise MalformedFile(reason="hex_stream") from error


def _un85(body: bytes) -> bytes:
    try:
        return base64.a85decode(body.split(b"~>", 1)[0], ignorechars=b" \t\r\n\x00\x0c")
    except ValueError as error:
        raise MalformedFile(reason="ascii85_stream") from error


_PNG_END = b"IEND\xaeB`\x82"
_JPEG_END = b"\xff\xd9"


def _inspect_image(data: bytes, content_type: str) -> int:
    try:
        with warnings.catch_warnings():
            # Pillow warns about odd metadata (ignored: the structure checks below decide) and past
            # MAX_IMAGE_PIXELS, raising past twice that: both of the latter are refused.
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=_PIL_FORMATS[content_type]) as image:
                if content_type == TIFF:
                    return _tiff_pages(image, len(data))
                if content_type == PNG:
                    image.verify()  # every chunk's CRC, up to IEND
                    if not data.endswith(_PNG_END):
                        raise PolyglotFile(also="trailing_data")
                    return 1
                # JPEG: decode at 1/8 scale, which still reads every compressed byte, to find truncation.
                image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
                image.load()
                if not data.rstrip(b"\x00").endswith(_JPEG_END):
                    raise PolyglotFile(also="trailing_data")
                return 1
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise DecompressionBomb(max_pixels=Image.MAX_IMAGE_PIXELS) from error
    except RefusedFile:
        raise
    except (OSError, EOFError, SyntaxError, ValueError, TypeError, KeyError, IndexError, struct.error) as error:
        # Pillow names a short read "truncated"; an image without its end marker was cut short too.
        ends = {PNG: data.endswith(_PNG_END), JPEG: data.rstrip(b"\x00").endswith(_JPEG_END)}.get(content_type, True)
        truncated = isinstance(error, EOFError) or "truncated" in str(error).lower() or not ends
        raise (TruncatedFile() if truncated else MalformedFile()) from error


def _tiff_pages(image: Image.Image, size: int) -> int:
    pages = 0
    while True:
        width, height = image.size
        if width * height > (Image.MAX_IMAGE_PIXELS or 0) > 0:
            raise DecompressionBomb(max_pixels=Image.MAX_IMAGE_PIXELS)
        # Each strip or tile must lie inside the file: one past its end means the scan was cut short.
        tags = image.tag_v2  # type: ignore[attr-defined]
        offsets = tags.get(273) or tags.get(324) or ()
        counts = tags.get(279) or tags.get(325) or ()
        if not offsets or len(offsets) != len(counts):
            raise MalformedFile()
        if any(offset + count > size for offset, count in zip(offsets, counts, strict=True)):
            raise TruncatedFile()
        pages += 1
        if pages > _MAX_TIFF_PAGES:
            raise DecompressionBomb(max_pages=_MAX_TIFF_PAGES)
        try:
            image.seek(pages)
        except EOFError:
            return pages
