"""Reader of the official procedure lists (sheet "Danh sách TTHC": a title block, then the columns
Mã số, Tên, Cơ quan ban hành, Cơ quan thực hiện, Lĩnh vực)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl

from motcua.catalog.models import VersionSource
from motcua.catalog.models.procedures import PROCEDURE_CODE_REGEX

from .records import ImportFileError, Problem, ProcedureRecord

SHEET = "Danh sách TTHC"
HEADER = ("Mã số", "Tên", "Cơ quan ban hành", "Cơ quan thực hiện", "Lĩnh vực")
HEADER_SEARCH_ROWS = 20
_CODE = re.compile(PROCEDURE_CODE_REGEX)


def is_list_file(path: Path) -> bool:
    return path.suffix.lower() == ".xlsx"


def read_xlsx_list(path: Path) -> list[ProcedureRecord]:
    """Every row of the list, or ImportFileError naming each bad row (file:row and reason)."""
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ImportFileError([Problem(f"{path}:0", f"không đọc được tệp XLSX ({exc})")]) from exc
    try:
        if SHEET not in workbook.sheetnames:
            raise ImportFileError([Problem(f"{path}:0", f"không có trang tính {SHEET!r}")])
        rows = workbook[SHEET].iter_rows(values_only=True)
        header_row = 0
        for number, row in enumerate(rows, start=1):
            if tuple(_cell(value) for value in row[: len(HEADER)]) == HEADER:
                header_row = number
                break
            if number >= HEADER_SEARCH_ROWS:
                break
        if not header_row:
            raise ImportFileError([Problem(f"{path}:0", f"không tìm thấy dòng tiêu đề {', '.join(HEADER)}")])
        records: list[ProcedureRecord] = []
        problems: list[Problem] = []
        first_row: dict[str, str] = {}
        for number, row in enumerate(rows, start=header_row + 1):
            cells = [_cell(value) for value in row[: len(HEADER)]]
            if not any(cells):
                continue
            cells += [""] * (len(HEADER) - len(cells))
            location = f"{path}:{number}"
            code, name, issuing, implementing, field_name = cells
            if not _CODE.match(code):
                problems.append(Problem(location, f"mã thủ tục không hợp lệ: {code!r}"))
            elif not name:
                problems.append(Problem(location, f"thủ tục {code} không có tên"))
            elif code in first_row:
                problems.append(Problem(location, f"mã thủ tục {code} trùng với dòng {first_row[code]}"))
            else:
                first_row[code] = location
                records.append(
                    ProcedureRecord(
                        source=VersionSource.LIST,
                        location=location,
                        code=code,
                        name=name,
                        field_name=field_name,
                        issuing_body=issuing,
                        implementing_body=implementing,
                    )
                )
        if problems:
            raise ImportFileError(problems)
        return records
    finally:
        workbook.close()


def _cell(value: object) -> str:
    """Trimmed text; a cell listing several bodies keeps one per line."""
    if value is None:
        return ""
    return "\n".join(" ".join(line.split()) for line in str(value).splitlines() if line.strip())
