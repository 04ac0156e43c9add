"""Parsers for the portal's flattened tables (pure functions, no database).

The national portal renders channels, dossier components and legal bases as HTML tables; the export
flattens each to one string with the cells glued together (`Trực tuyến5 Ngày làm việcMiễn phí...`).
Each parser returns what it could read plus a list of problems; the caller keeps the raw text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Generic, TypeVar

from motcua.catalog.models import ChannelKind, CopyKind, TimeUnit

NO_INFO = "Không có thông tin"
T = TypeVar("T")

# ---------------------------------------------------------------------------------------------------
# Cách thức thực hiện


CHANNELS_HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
CHANNEL_NAMES = {
    "Trực tuyến": ChannelKind.ONLINE,
    "Dịch vụ bưu chính": ChannelKind.POST,
    "Trực tiếp": ChannelKind.DIRECT,
}
_CHANNEL_NAME = re.compile("|".join(re.escape(name) for name in CHANNEL_NAMES))
# Longest first: "Ngày làm việc" before "Ngày".
_TIME_UNITS = {
    "ngày làm việc": TimeUnit.WORKING_DAYS,
    "ngày": TimeUnit.DAYS,
    "giờ làm việc": TimeUnit.HOURS,
    "giờ": TimeUnit.HOURS,
    "tháng": TimeUnit.MONTHS,
}
_TIME = re.compile(
    r"(?P<amount>\d+(?:[.,]\d+)?)[ \t]*(?P<unit>" + "|".join(_TIME_UNITS) + r")?",
    re.IGNORECASE,
)
_STATED_TIME = re.compile(
    r"(?<![\d/.,])(?P<amount>\d{1,3})(?:\s*\([^)]{1,12}\))?\s+(?P<unit>" + "|".join(_TIME_UNITS) + r")(?![^\W\d_])",
    re.IGNORECASE,
)
_CURRENCIES = {"Việt Nam Đồng": "VND", "VNĐ": "VND", "đồng": "VND", "Đồng": "VND", "USD": "USD"}
_FEE_AMOUNT = re.compile(
    r"(?P<amount>\d[\d.,]*)?[ \t]*(?P<currency>" + "|".join(re.escape(c) for c in _CURRENCIES) + ")"
)
_FREE = "Miễn phí"


@dataclass
class ParsedChannel:
    kind: str
    time_amount: Decimal | None
    time_unit: str
    time_text: str
    fee_amount: Decimal | None
    fee_currency: str
    fee_text: str
    description: str


@dataclass
class ParseResult(Generic[T]):
    items: list[T] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def parse_channels(text: str, context: str = "") -> ParseResult[ParsedChannel]:
    """Cách thức thực hiện: `Hình thức nộpThời gianPhí, lệ phíMô tả` then, per channel, its name,
    time limit, fee and description glued together. `context` (the steps) helps read a bare number."""
    result: ParseResult[ParsedChannel] = ParseResult()
    body = text.strip()
    if not body or body == NO_INFO:
        result.problems.append("channels: empty")
        return result
    if not body.startswith(CHANNELS_HEADER):
        result.problems.append("channels: table header not found")
        return result
    body = body[len(CHANNELS_HEADER) :]
    # A channel name starts a row only when a cell follows it directly (a digit or a capital):
    # descriptions also say "Trực tiếp tại ..." or "- Trực tuyến: ...".
    starts = [m for m in _CHANNEL_NAME.finditer(body) if _starts_cell(body, m.end())]
    if not starts or starts[0].start() != 0:
        result.problems.append("channels: no channel name at the start of the table")
        return result
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(body)
        channel, note = _parse_channel_row(CHANNEL_NAMES[match.group()], body[match.end() : end], context)
        if note:
            result.notes.append(note)
        if channel.time_amount is None:
            result.problems.append(f"channels: time limit not parsed ({channel.time_text[:60]!r})")
        if channel.fee_amount is not None and channel.fee_currency == "VND" and 0 < channel.fee_amount < 1000:
            # "135 VNĐ(Lệ phí: 135.000 đồng/lần)": the portal's VNĐ cell is in thousands of đồng
            # whenever it is below 1,000 (no fee is that small).
            channel.fee_amount *= 1000
            result.notes.append(f"channels: fee {channel.fee_text[:20]!r} read as thousands of đồng")
        result.items.append(channel)
    return result


def _starts_cell(text: str, position: int) -> bool:
    return position < len(text) and (text[position].isdigit() or text[position].isupper())


def _parse_channel_row(kind: str, row: str, context: str) -> tuple[ParsedChannel, str | None]:
    """One channel row, and a note when its time limit had to be inferred."""
    time_amount: Decimal | None = None
    time_unit = ""
    note = None
    time_match = _TIME.match(row)
    glued_fee = _FEE_AMOUNT.match(row)
    if glued_fee and glued_fee.group("amount") and len(glued_fee.group("amount")) > 1:
        # "Trực tuyến120 VNĐ(20.000 vnđ/tờ khai)": an empty unit cell glues a one-digit time to the fee.
        time_text = row[0]
        rest = row[1:]
        time_amount, time_unit, note = _infer_unit(time_text, context)
    elif time_match and time_match.group("unit"):
        time_amount = _decimal(time_match.group("amount"))
        time_unit = _time_unit(time_match.group("unit"))
        time_text = time_match.group().strip()
        rest = row[time_match.end() :]
    elif time_match:
        time_text = time_match.group().strip()
        rest = row[time_match.end() :]
        time_amount, time_unit, note = _infer_unit(time_text, context)
    elif row.startswith(NO_INFO):
        time_text = NO_INFO
        rest = row[len(NO_INFO) :]
    else:
        fee_at = _first_fee_marker(row)
        time_text = row[:fee_at].strip()
        rest = row[fee_at:]
    fee_amount, fee_currency, fee_text, description = _parse_fee(rest)
    if time_amount is None:
        stated = _STATED_TIME.search(description)
        if stated:
            # The time cell is empty but the description states the limit ("08 ngày làm việc kể từ...").
            time_amount = _decimal(stated.group("amount"))
            time_unit = _time_unit(stated.group("unit"))
            note = f"channels: time limit read from the description ({stated.group()!r})"
    channel = ParsedChannel(
        kind=kind,
        time_amount=time_amount,
        time_unit=time_unit,
        time_text=time_text,
        fee_amount=fee_amount,
        fee_currency=fee_currency,
        fee_text=fee_text,
        description=description.strip(),
    )
    return channel, note


def _infer_unit(amount_text: str, context: str) -> tuple[Decimal | None, str, str]:
    """A number whose unit cell is empty: take the unit the description or steps use with the same
    number (`01 ngày làm việc`), else working days, the unit of most limits (domain.md §4)."""
    amount = _decimal(amount_text)
    if amount is None:
        return None, "", f"channels: time limit not parsed ({amount_text!r})"
    for stated in _STATED_TIME.finditer(context):
        if _decimal(stated.group("amount")) == amount:
            unit = _time_unit(stated.group("unit"))
            return amount, unit, f"channels: unit of {amount_text!r} taken from the text ({stated.group()!r})"
    return amount, TimeUnit.WORKING_DAYS, f"channels: unit of {amount_text!r} missing, working days assumed"


def _time_unit(found: str) -> str:
    """The unit of a unit text the regex matched ignoring case. Not `found.lower()`: the regex also takes
    "İ" for "i", whose lower case is two characters ("i̇"), so no key would match."""
    return next(unit for name, unit in _TIME_UNITS.items() if re.fullmatch(re.escape(name), found, re.IGNORECASE))


def _first_fee_marker(row: str) -> int:
    positions = [row.find(marker) for marker in (_FREE, NO_INFO)]
    amount = _FEE_AMOUNT.search(row)
    if amount:
        positions.append(amount.start())
    found = [p for p in positions if p >= 0]
    return min(found) if found else len(row)


def _parse_fee(rest: str) -> tuple[Decimal | None, str, str, str]:
    """(amount, currency, fee text, description) from the fee cell glued to the description cell."""
    if rest.startswith(_FREE):
        amount: Decimal | None = Decimal(0)
        currency = ""
        position = len(_FREE)
    elif rest.startswith(NO_INFO):
        return None, "", NO_INFO, rest[len(NO_INFO) :]
    else:
        amount = None
        currency = ""
        position = 0
        # Several amounts may follow each other, each with its own note in parentheses.
        while match := _FEE_AMOUNT.match(rest, position):
            if amount is None and match.group("amount"):
                amount = _money(match.group("amount"))
                currency = _CURRENCIES[match.group("currency")]
            position = _skip_parentheses(rest, match.end())
        if position == 0:
            return None, "", "", rest
    position = _skip_parentheses(rest, position)
    return amount, currency, rest[:position].strip(), rest[position:]


def _skip_parentheses(text: str, position: int) -> int:
    """Skip balanced `( ... )` groups starting at `position` (the fee's note)."""
    while position < len(text) and text[position] == "(":
        depth = 0
        for index in range(position, len(text)):
            if text[index] == "(":
                depth += 1
            elif text[index] == ")":
                depth -= 1
                if depth == 0:
                    position = index + 1
                    break
        else:
            return len(text)
    return position


def _decimal(raw: str) -> Decimal | None:
    try:
        return Decimal(raw.replace(",", "."))
    except InvalidOperation:
        return None


def _money(raw: str) -> Decimal | None:
    """`100,000` and `100.000` are thousands separators in the portal's fee cells."""
    digits = re.sub(r"[.,](?=\d{3}(?:\D|$))", "", raw.rstrip(".,"))
    return _decimal(digits)


# ---------------------------------------------------------------------------------------------------
# Thành phần hồ sơ

COMPONENTS_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
_QUANTITY = re.compile(
    r"(?:(?<=[^\s\d])(?P<a>\d{1,2})|(?<=\d)(?P<b>\d)) bản (?P<kind>chính|sao)(?:,(?P<copies>\d{1,2}) bản sao)?"
)
_FORM_FILE = re.compile(r"^(?P<name>.*[.;:)])(?P<form>[^.;:]+\.(?:docx?|pdf|xlsx?|rtf|odt|zip))$", re.DOTALL)
_FORM_EXTENSIONS = (".doc", ".docx", ".pdf", ".xls", ".xlsx", ".rtf", ".odt", ".zip")
#: A component that only applies in some cases (thành phần theo trường hợp) is not required of every
#: dossier: its name or its group caption opens with one of these phrases, or the name says "(nếu có)"
#: or "trong trường hợp" anywhere. Matched after the list marks (`-`, `+`, `*`, `a)`, `1.`).
SITUATIONAL_OPENINGS = ("trường hợp", "nếu", "đối với trường hợp", "trong trường hợp", "(nếu có)")
_SITUATIONAL_OPENING = re.compile("|".join(rf"^{re.escape(phrase)}(?!\w)" for phrase in SITUATIONAL_OPENINGS))
_SITUATIONAL_ANYWHERE = re.compile(r"\(nếu có\)|\btrong trường hợp\b", re.IGNORECASE)
_LIST_MARK = re.compile(r"^(?:[-+*•\s]+|[a-zđ0-9]{1,2}[).]\s*)+", re.IGNORECASE)
COMPONENT_CODE_LENGTH = 80


@dataclass
class ParsedComponent:
    code: str
    name: str
    group: str
    form_name: str
    count: int | None
    copy_kind: str
    quantity_text: str
    required: bool
    channels: list[str]


def parse_components(text: str) -> ParseResult[ParsedComponent]:
    """Thành phần hồ sơ: groups of `Tên giấy tờMẫu đơn, tờ khaiSố lượng` tables, each row being the
    paper's name, an optional form file name and a quantity (`1 bản chính`, `0 bản chính,1 bản sao`).
    The text before a table header is the group's caption (`a) Đối với cá nhân:`)."""
    result: ParseResult[ParsedComponent] = ParseResult()
    body = text.strip()
    if not body or body == NO_INFO:
        result.problems.append("components: empty")
        return result
    parts = body.split(COMPONENTS_HEADER)
    if len(parts) == 1:
        result.problems.append("components: table header not found")
        return result
    caption = _caption(parts[0])
    codes: set[str] = set()
    for part in parts[1:]:
        position = 0
        for match in _QUANTITY.finditer(part):
            row = part[position : match.start()].strip()
            position = match.end()
            originals, copies = _quantities(match)
            if originals == 0 and copies == 0:
                # "- Giấy tờ phải nộp:0 bản chính": a caption the portal typed as a row.
                caption = _caption(row)
                continue
            if not row:
                result.problems.append("components: quantity without a name")
                continue
            result.items.append(_component(row, caption, originals, copies, match.group(), codes))
        tail = part[position:].strip()
        if tail:
            caption = _caption(tail)
    if not result.items:
        result.problems.append("components: no rows parsed")
    return result


def _quantities(match: re.Match[str]) -> tuple[int, int]:
    first = int(match.group("a") or match.group("b"))
    if match.group("kind") == "sao":
        return 0, first
    return first, int(match.group("copies") or 0)


def _component(row: str, group: str, originals: int, copies: int, quantity: str, codes: set[str]) -> ParsedComponent:
    form_name = ""
    name = row
    # Only rows ending in a file name are matched: the pattern backtracks over the whole row.
    form = _FORM_FILE.match(row) if row.lower().endswith(_FORM_EXTENSIONS) else None
    if form:
        name, form_name = form.group("name").strip(), form.group("form").strip()
    name = name.lstrip("-+* ").strip() or name
    if originals:
        count, copy_kind = originals, CopyKind.ORIGINAL
    else:
        count, copy_kind = copies, CopyKind.COPY
    return ParsedComponent(
        code=unique_slug(name, codes),
        name=name,
        group=group,
        form_name=form_name,
        count=count,
        copy_kind=copy_kind,
        quantity_text=quantity,
        required=not is_situational(name, group),
        channels=component_channels(name),
    )


#: A parenthesis that makes the paper depend on how the dossier is filed: "(nếu người có yêu cầu lựa
#: chọn nộp hồ sơ theo hình thức trực tiếp hoặc gửi hồ sơ qua hệ thống bưu chính)", "(do người yêu cầu
#: cung cấp thông tin …, nếu … nộp hồ sơ theo hình thức trực tuyến)".
_CHANNEL_CONDITION = re.compile(r"\([^()]*\bnếu\b[^()]*\bhình thức\b[^()]*\)", re.IGNORECASE)
_CHANNEL_WORDS = (
    (ChannelKind.DIRECT, re.compile(r"\btrực tiếp\b", re.IGNORECASE)),
    (ChannelKind.POST, re.compile(r"\bbưu chính\b", re.IGNORECASE)),
    (ChannelKind.ONLINE, re.compile(r"\btrực tuyến\b", re.IGNORECASE)),
)


def component_channels(name: str) -> list[str]:
    """The channels a paper is limited to by its own wording, in ChannelKind order; [] (every channel)
    when it sets no such condition, or when its conditions name every channel (e.g. two prints at the
    desk "or" one file online: the paper is wanted either way)."""
    named: set[str] = set()
    for condition in _CHANNEL_CONDITION.findall(name):
        named |= {kind.value for kind, word in _CHANNEL_WORDS if word.search(condition)}
    if not named or len(named) == len(_CHANNEL_WORDS):
        return []
    return [kind.value for kind, _ in _CHANNEL_WORDS if kind.value in named]


def is_situational(name: str, group: str = "") -> bool:
    """Whether a component only applies in some cases (see `SITUATIONAL_OPENINGS`)."""
    if _SITUATIONAL_ANYWHERE.search(name):
        return True
    return any(_SITUATIONAL_OPENING.match(_opening(text)) for text in (name, group))


def _opening(text: str) -> str:
    return _LIST_MARK.sub("", text.strip(), count=1).lower()


def _caption(text: str) -> str:
    return text.strip().strip("-").strip()


def slugify_vi(text: str) -> str:
    """ASCII slug of Vietnamese text (`Đơn đề nghị` → `don-de-nghi`); `đ` has no decomposition."""
    text = text.replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def unique_slug(text: str, taken: set[str], max_length: int = COMPONENT_CODE_LENGTH) -> str:
    base = slugify_vi(text)[:max_length].rstrip("-") or "thanh-phan"
    slug, suffix = base, 2
    while slug in taken:
        tail = f"-{suffix}"
        slug = base[: max_length - len(tail)].rstrip("-") + tail
        suffix += 1
    taken.add(slug)
    return slug


# ---------------------------------------------------------------------------------------------------
# Căn cứ pháp lý

LEGAL_HEADER = "Tên văn bản pháp lýMã văn bản"
# Segments of a document symbol seen in the national data (`NĐ-CP`, `TT-BTC`, `QH13`, `QĐ-TTg`). The
# next row's title is glued to the symbol, so a segment is trimmed to its longest known prefix.
KNOWN_SYMBOL_SEGMENTS = frozenset(
    [
        "APA",
        "BCA",
        "BCT",
        "BGTVT",
        "BHXH",
        "BK",
        "BKHCN",
        "BKHĐT",
        "BLG",
        "BLĐTBXH",
        "BNG",
        "BNNMT",
        "BNNPTNT",
        "BNV",
        "BQP",
        "BSTT",
        "BTC",
        "BTNMT",
        "BTP",
        "BVHTTDL",
        "BXD",
        "BYT",
        "CNKD",
        "CP",
        "CTĐT",
        "HT",
        "HTNT",
        "HĐND",
        "HĐĐT",
        "ND",
        "NHNN",
        "NK",
        "NNT",
        "NQ",
        "NĐ",
        "PL",
        "PSĐT",
        "QH10",
        "QH11",
        "QH12",
        "QH13",
        "QH14",
        "QH15",
        "QTT",
        "QĐ",
        "QĐHT",
        "SS",
        "STK",
        "TB",
        "TCT",
        "TEM",
        "TH",
        "TKN",
        "TNCN",
        "TT",
        "TTLT",
        "TTg",
        "TTĐT",
        "UBND",
        "UBTVQH11",
        "UBTVQH12",
        "UBTVQH13",
        "UBTVQH14",
        "UBTVQH15",
        "VBHN",
        "VPQH",
        "ĐK",
        "ĐKTĐ",
        "ĐN",
    ]
)
_DOCUMENT_NUMBER = re.compile(
    r"(?P<digits>\d+)/(?:(?P<year>(?:19|20)\d{2})/)?(?P<symbol>(?:TTg|[A-ZĐ]{1,10}\d{0,2})(?:-(?:TTg|[A-ZĐ]{1,10}\d{0,2}))*)"
)


@dataclass
class ParsedLegalBasis:
    title: str
    number: str
    year: int | None
    issuer_code: str


def parse_document_number(text: str) -> tuple[str, int | None, str] | None:
    """`123/2015/NĐ-CP` → ("123/2015/NĐ-CP", 2015, "NĐ-CP"); None if `text` holds no number."""
    match = _DOCUMENT_NUMBER.search(text)
    if match is None:
        return None
    number, year, symbol, _ = _document_number(match, text)
    return number, year, symbol


def _document_number(match: re.Match[str], text: str) -> tuple[str, int | None, str, int]:
    """The number, year, symbol and end position of `match`, with glued neighbours cut off."""
    digits = match.group("digits")
    year = int(match.group("year")) if match.group("year") else None
    if len(digits) > 4 and digits[:4].isdigit() and digits[:2] in {"19", "20"}:
        # "Luật Khiếu nại năm 201102/2011/QH13": the title's year is glued to the number.
        digits = digits[4:]
    elif len(digits) > 4:
        digits = digits[-4:]
    segments = match.group("symbol").split("-")
    last = segments[-1]
    if last not in KNOWN_SYMBOL_SEGMENTS:
        known = [s for s in KNOWN_SYMBOL_SEGMENTS if last.startswith(s)]
        if known:
            segments[-1] = max(known, key=len)
    symbol = "-".join(segments)
    end = match.start("symbol") + len(symbol)
    number = f"{digits}/{year}/{symbol}" if year else f"{digits}/{symbol}"
    return number, year, symbol, end


def parse_legal_bases(text: str) -> ParseResult[ParsedLegalBasis]:
    """Căn cứ pháp lý: `Tên văn bản pháp lýMã văn bản` then rows of a title glued to a number."""
    result: ParseResult[ParsedLegalBasis] = ParseResult()
    body = text.strip()
    if not body or body == NO_INFO:
        return result
    if not body.startswith(LEGAL_HEADER):
        result.problems.append("legal basis: table header not found")
        return result
    body = body[len(LEGAL_HEADER) :]
    rows: list[ParsedLegalBasis] = []
    position = 0
    title = ""
    # Search again from the trimmed end, not finditer: a trimmed symbol gives back glued characters.
    while match := _DOCUMENT_NUMBER.search(body, position):
        number, year, symbol, end = _document_number(match, body)
        start = match.end("digits") - len(number.split("/")[0])
        gap = body[position:start]
        if rows and (not gap.strip() or gap[:1].isspace() or gap[:1] in ",.;)"):
            # No new title between two numbers, or the text goes on mid-sentence: the previous
            # number belonged to the title and this one is the row's number.
            previous = rows.pop()
            title = previous.title + previous.number + gap
        else:
            title = gap
        rows.append(ParsedLegalBasis(title=title, number=number, year=year, issuer_code=symbol))
        position = end
    for row in rows:
        row.title = row.title.strip()
    tail = body[position:].strip()
    if tail:
        rows.append(ParsedLegalBasis(title=tail, number="", year=None, issuer_code=""))
        result.problems.append(f"legal basis: no document number in {tail[:60]!r}")
    result.items = rows
    return result


# ---------------------------------------------------------------------------------------------------
# Kết quả thực hiện

_RESULT_CODE = re.compile(r"Mã:\s*(?P<code>KQ[.-][A-Z]\d{2}\.\d+|[0-9.]+[A-Z]\d{2}-KQ\d+|[A-Z]{2,4}[.-][A-Z0-9.]+)")
# The export runs on into the portal's page furniture after the result cell.
_RESULT_TAIL = re.compile(r"Từ khóa.*$", re.DOTALL)


@dataclass
class ParsedResult:
    text: str
    code: str
    codes: list[str]


def parse_result(text: str) -> ParsedResult:
    """Kết quả thực hiện: names of the result papers, each followed by `Mã: KQ.G15.000031`."""
    body = _RESULT_TAIL.sub("", text).strip()
    codes = [m.group("code").rstrip(".") for m in _RESULT_CODE.finditer(body)]
    clean = _RESULT_CODE.sub("\n", body)
    lines = [line.strip() for line in clean.split("\n") if line.strip()]
    return ParsedResult(text="\n".join(lines), code=codes[0] if codes else "", codes=codes)
