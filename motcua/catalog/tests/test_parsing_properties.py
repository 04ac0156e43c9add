"""Property tests of the catalog importers: the table parsers never raise whatever the text, well-formed
channel rows give back their time limit and fee, slugs keep their invariants, and the JSONL and XLSX
readers return records or raise `ImportFileError` (nothing else) for any line or row."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.catalog.importers.parsing import (
    CHANNELS_HEADER,
    COMPONENTS_HEADER,
    LEGAL_HEADER,
    parse_channels,
    parse_components,
    parse_document_number,
    parse_legal_bases,
    parse_result,
    slugify_vi,
    unique_slug,
)
from motcua.catalog.importers.portal_jsonl import read_portal_jsonl
from motcua.catalog.importers.records import ImportFileError, ProcedureRecord
from motcua.catalog.importers.xlsx_lists import HEADER, SHEET, read_xlsx_list
from motcua.catalog.models import ChannelKind, TimeUnit

#: Pieces of the portal's flattened tables, so generated text reaches deep into the parsers.
FRAGMENTS = [
    CHANNELS_HEADER,
    COMPONENTS_HEADER,
    LEGAL_HEADER,
    "Trực tuyến",
    "Trực tiếp",
    "Dịch vụ bưu chính",
    "Ngày làm việc",
    "NGÀY LÀM VIỆC",
    "ngày làm vİệc",
    "gİờ",
    "giờ",
    "Giờ làm việc",
    "Tháng",
    "ngày",
    "Miễn phí",
    "Không có thông tin",
    "VNĐ",
    "Việt Nam Đồng",
    "đồng",
    "USD",
    "Lệ phí",
    "(",
    ")",
    "((",
    "1 bản chính",
    ",2 bản sao",
    "Bản chính",
    "Mẫu số 01.docx",
    "Mã: KQ.A01.1",
    "Mã:",
    "Nghị định",
    "123/2020/NĐ-CP",
    "15/2025/TT-BTP",
    "1/QĐ-TTg",
    "Luật",
    "a)",
    "-",
    "+",
    "trường hợp",
    "(nếu có)",
    ".",
    ",",
    ";",
    "/",
    "\n",
    " ",
    "\t",
]
pieces = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.integers(0, 10**12).map(str),
    st.text(st.characters(categories=["Nd"]), min_size=1, max_size=4),
    st.text(max_size=6),
)
table_text = st.lists(pieces, max_size=40).map("".join)
any_text = st.text(max_size=300) | table_text


@given(any_text, any_text)
def test_the_table_parsers_never_raise(text: str, context: str) -> None:
    for result in (parse_channels(text, context), parse_components(text), parse_legal_bases(text)):
        assert isinstance(result.problems, list)
        assert all(isinstance(problem, str) for problem in result.problems)
    parsed = parse_result(text)
    assert parsed.code == (parsed.codes[0] if parsed.codes else "")
    found = parse_document_number(text)
    assert found is None or found[0] in text.replace(" ", "") or "/" in found[0]


@given(any_text.map(lambda t: CHANNELS_HEADER + "Trực tuyến" + t), any_text)
def test_channel_tables_never_raise_whatever_follows_a_channel_name(text: str, context: str) -> None:
    for channel in parse_channels(text, context).items:
        assert channel.kind in ChannelKind.values
        assert channel.time_amount is None or channel.time_amount.is_finite()
        assert channel.fee_amount is None or channel.fee_amount >= 0


UNITS = {"Ngày làm việc": TimeUnit.WORKING_DAYS, "Ngày": TimeUnit.DAYS, "Giờ": TimeUnit.HOURS, "Tháng": TimeUnit.MONTHS}


@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["Trực tuyến", "Trực tiếp", "Dịch vụ bưu chính"]),
            st.integers(1, 365),
            st.sampled_from(list(UNITS)),
            st.none() | st.integers(1, 5000).map(lambda n: n * 1000),
        ),
        min_size=1,
        max_size=3,
        unique_by=lambda row: row[0],
    )
)
def test_well_formed_channel_rows_give_back_their_limit_and_fee(rows: list[tuple[str, int, str, int | None]]) -> None:
    def fee(amount: int | None) -> str:
        return "Miễn phí" if amount is None else f"{amount:,}".replace(",", ".") + " đồng"

    text = CHANNELS_HEADER + "".join(f"{name}{n} {unit}{fee(amount)}Nộp hồ sơ." for name, n, unit, amount in rows)

    result = parse_channels(text)

    assert result.problems == []
    assert [(c.time_amount, c.time_unit) for c in result.items] == [(Decimal(n), UNITS[unit]) for _, n, unit, _ in rows]
    assert [c.fee_amount for c in result.items] == [Decimal(amount or 0) for *_, amount in rows]
    assert [c.description for c in result.items] == ["Nộp hồ sơ."] * len(rows)


UNIT_TEXTS = {"ngày làm việc": TimeUnit.WORKING_DAYS, "giờ làm việc": TimeUnit.HOURS, "giờ": TimeUnit.HOURS}


@given(unit=st.sampled_from(list(UNIT_TEXTS)), data=st.data())
def test_units_are_read_in_any_case_the_pattern_accepts(unit: str, data: st.DataObject) -> None:
    # Capital dotted "İ" matches "i" when case is ignored; its lower case is "i" plus a combining dot.
    variants = {char: [char, char.upper(), *(["İ"] if char == "i" else [])] for char in unit}
    written = "".join(data.draw(st.sampled_from(variants[char])) for char in unit)

    (channel,) = parse_channels(f"{CHANNELS_HEADER}Trực tiếp3 {written}Miễn phí").items

    assert (channel.time_amount, channel.time_unit) == (Decimal(3), UNIT_TEXTS[unit])


@given(st.text(max_size=120), st.sets(st.text("abc-", max_size=8), max_size=20), st.integers(12, 80))
def test_unique_slugs_are_new_short_and_plain(text: str, taken: set[str], length: int) -> None:
    before = set(taken)
    slug = unique_slug(text, taken, max_length=length)
    assert slug not in before
    assert taken == before | {slug}  # remembered, so the next one differs
    assert 0 < len(slug) <= length
    assert set(slug) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")
    assert slugify_vi(slug) == slug


# --- JSONL and XLSX readers ---------------------------------------------------------------------------


def _read(reader: Callable[[Path], list[ProcedureRecord]], path: Path) -> list[ProcedureRecord] | ImportFileError:
    """The reader's records, or the one error it may raise (anything else fails the test)."""
    try:
        return reader(path)
    except ImportFileError as error:
        return error


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
record_fields = st.fixed_dictionaries(
    {"ma_thu_tuc": st.from_regex(r"[0-9]\.[0-9]{6}", fullmatch=True) | st.text(max_size=12)},
    optional={
        "ten_thu_tuc": st.text(max_size=40),
        "cap_thuc_hien": st.sampled_from(["Cấp tỉnh", "Cấp xã", "Cấp bộ, Cấp tỉnh", "Cấp vũ trụ", ""]),
        "linh_vuc": st.text(max_size=20) | st.integers(),
    },
)
hostile_lines = st.sampled_from(
    [
        "[" * 3000 + "]" * 3000,  # nesting past the interpreter's recursion limit
        '{"ma_thu_tuc": ' + "9" * 5000 + "}",  # an integer past Python's digit limit for int()
        '{"ma_thu_tuc": "1.000001", "ten_thu_tuc": "\\ud800"}',  # a lone surrogate
        "\ufeff{}",
        "NaN",
        '{"ma_thu_tuc": "1.000001\\n", "ten_thu_tuc": "x"}',
    ]
)
jsonl_lines = st.lists(
    record_fields.map(lambda d: json.dumps(d, ensure_ascii=False))
    | json_values.map(json.dumps)
    | st.text(max_size=40)
    | hostile_lines,
    max_size=6,
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(lines=jsonl_lines)
def test_any_jsonl_file_gives_records_or_an_import_error(lines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "thu-tuc.jsonl"
        path.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
        outcome = _read(read_portal_jsonl, path)
    if isinstance(outcome, ImportFileError):
        assert outcome.code == "invalid_import_file"
        return
    records = outcome
    codes = [record.code for record in records]
    assert len(codes) == len(set(codes))
    assert all(record.name for record in records)
    assert all(json.dumps(vars(record), ensure_ascii=False).encode() for record in records)  # storable text


@given(
    rows=st.lists(
        st.tuples(
            st.from_regex(r"[0-9]\.[0-9]{6}", fullmatch=True),
            st.text(st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=30).filter(str.strip),
        ),
        max_size=5,
        unique_by=lambda row: row[0],
    )
)
def test_jsonl_records_round_trip(rows: list[tuple[str, str]]) -> None:
    lines = [json.dumps({"ma_thu_tuc": code, "ten_thu_tuc": name, "cap_thuc_hien": "Cấp tỉnh"}) for code, name in rows]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "thu-tuc.jsonl"
        path.write_text("\n".join(lines), encoding="utf-8")
        records = read_portal_jsonl(path)
    assert [(r.code, r.name, r.levels) for r in records] == [(code, name.strip(), ["province"]) for code, name in rows]


cells = (
    st.none()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False)
    # openpyxl saves a string starting with "=" as a formula, whose value only a spreadsheet program
    # computes: the file would hold no text for that cell, so the oracle below could not expect one.
    | st.text(st.characters(blacklist_categories=["Cs", "Cc"]), max_size=20).filter(lambda t: not t.startswith("="))
)


@pytest.mark.parametrize("header_row", [1, 3])
@settings(max_examples=30, deadline=None)
@given(
    rows=st.lists(
        st.lists(cells | st.from_regex(r"[0-9]\.[0-9]{6}", fullmatch=True), min_size=0, max_size=7), max_size=6
    )
)
def test_any_xlsx_list_gives_records_or_an_import_error(header_row: int, rows: list[list[object]]) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET
    for _ in range(header_row - 1):
        sheet.append(["Danh sách thủ tục hành chính"])
    sheet.append(list(HEADER))
    for row in rows:
        sheet.append(row)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "danh-sach.xlsx"
        workbook.save(path)
        outcome = _read(read_xlsx_list, path)
    if isinstance(outcome, ImportFileError):
        assert outcome.code == "invalid_import_file"
        return
    records = outcome
    listed = [row for row in rows if any(str(c).strip() for c in row[: len(HEADER)] if c is not None)]
    assert [r.code for r in records] == [str(row[0]) for row in listed]
