"""Reader of the national portal export: one JSON object a line, optionally gzip-compressed.

The keys are the portal's Vietnamese section names (data/README.md); see `ProcedureRecord`.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from motcua.catalog.models import VersionSource
from motcua.catalog.models.procedures import PROCEDURE_CODE_REGEX

from .records import ImportFileError, Problem, ProcedureRecord, parse_levels

MAX_PROBLEMS = 50
_CODE = re.compile(PROCEDURE_CODE_REGEX)
_NO_INFO = "Không có thông tin"

#: Record attribute ← portal key, for the plain text sections.
TEXT_KEYS = {
    "name": "ten_thu_tuc",
    "field_name": "linh_vuc",
    "decision_number": "so_quyet_dinh",
    "procedure_type": "loai_thu_tuc",
    "subjects": "doi_tuong_thuc_hien",
    "competent_body": "co_quan_co_tham_quyen",
    "implementing_body": "co_quan_thuc_hien",
    "delegated_body": "co_quan_duoc_uy_quyen",
    "cooperating_body": "co_quan_phoi_hop",
    "filing_address": "dia_chi_tiep_nhan",
    "steps": "trinh_tu_thuc_hien",
    "channels_text": "cach_thuc_thuc_hien",
    "components_text": "thanh_phan_ho_so",
    "legal_basis_text": "can_cu_phap_ly",
    "conditions": "yeu_cau_dieu_kien",
    "result_text": "ket_qua_xu_ly",
    "related_procedures": "thu_tuc_lien_quan",
    "ministry_slug": "ministry_slug",
    "source_url": "detail_url",
}
# Sections where the portal's "no information" placeholder means an empty value.
_PLACEHOLDER_KEYS = {"delegated_body", "cooperating_body", "filing_address", "related_procedures", "subjects"}


def is_portal_file(path: Path) -> bool:
    return path.name.endswith((".jsonl", ".jsonl.gz"))


def read_portal_jsonl(path: Path) -> list[ProcedureRecord]:
    """Every record of `path`, or ImportFileError listing each bad line (file:line and reason)."""
    records: list[ProcedureRecord] = []
    problems: list[Problem] = []
    first_line: dict[str, str] = {}
    for location, line in _lines(path, problems):
        if not line.strip():
            continue
        record = _record(location, line, problems)
        if record is None:
            continue
        if record.code in first_line:
            problems.append(Problem(location, f"mã thủ tục {record.code} trùng với dòng {first_line[record.code]}"))
            continue
        first_line[record.code] = location
        records.append(record)
        if len(problems) >= MAX_PROBLEMS:
            break
    if problems:
        raise ImportFileError(problems)
    return records


def _lines(path: Path, problems: list[Problem]) -> Iterator[tuple[str, str]]:
    number = 0
    try:
        raw = path.open("rb")
    except OSError as exc:
        problems.append(Problem(f"{path}:0", f"không đọc được tệp ({exc.strerror})"))
        return
    with raw:
        compressed = raw.read(2) == b"\x1f\x8b"
        raw.seek(0)
        binary = gzip.GzipFile(fileobj=raw) if compressed else raw
        text = io.TextIOWrapper(binary, encoding="utf-8")
        try:
            for number, line in enumerate(text, start=1):
                yield f"{path}:{number}", line
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            problems.append(Problem(f"{path}:{number + 1}", f"tệp gzip bị cắt cụt hoặc hỏng ({exc})"))
        except UnicodeDecodeError as exc:
            problems.append(Problem(f"{path}:{number + 1}", f"không phải UTF-8 ({exc.reason})"))


def _record(location: str, line: str, problems: list[Problem]) -> ProcedureRecord | None:
    try:
        data: Any = json.loads(line)
    except json.JSONDecodeError as exc:
        problems.append(Problem(location, f"dòng JSON không hợp lệ ({exc.msg}, cột {exc.colno})"))
        return None
    except (ValueError, RecursionError):
        # A number past Python's digit limit, or nesting past its recursion limit: no record is like that.
        problems.append(Problem(location, "dòng JSON không đọc được (số quá dài hoặc lồng quá sâu)"))
        return None
    if not isinstance(data, dict):
        problems.append(Problem(location, "dòng JSON không phải là một đối tượng"))
        return None
    code = str(data.get("ma_thu_tuc") or "").strip()
    if not _CODE.match(code):
        problems.append(Problem(location, f"mã thủ tục không hợp lệ: {code!r}"))
        return None
    values = {attr: _text(data.get(key)) for attr, key in TEXT_KEYS.items()}
    for attr in _PLACEHOLDER_KEYS:
        if values[attr] == _NO_INFO:
            values[attr] = ""
    if not all(_encodable(value) for value in values.values()):
        # JSON may escape a lone surrogate ("\ud800"), which no database column can store.
        problems.append(Problem(location, f"thủ tục {code} có ký tự không hợp lệ (UTF-16 surrogate)"))
        return None
    if not values["name"]:
        problems.append(Problem(location, f"thủ tục {code} không có tên"))
        return None
    levels, unknown = parse_levels(_text(data.get("cap_thuc_hien")))
    if unknown:
        problems.append(Problem(location, f"cấp thực hiện không xác định: {', '.join(unknown)}"))
        return None
    return ProcedureRecord(source=VersionSource.PORTAL, location=location, code=code, levels=levels, **values)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
