"""The record every reader produces, and the error a reader raises for a bad file."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from motcua.catalog.models import Level
from motcua.core.errors import InvalidInput

#: `cap_thuc_hien` labels on the portal → stable level values.
LEVEL_LABELS = {label: value for value, label in Level.choices}


@dataclass(frozen=True)
class Problem:
    location: str  # "file:line"
    reason: str

    def __str__(self) -> str:
        return f"{self.location}: {self.reason}"


class ImportFileError(InvalidInput):
    """A file that cannot be imported as a whole; nothing was written."""

    code = "invalid_import_file"
    message = "Tệp dữ liệu thủ tục không hợp lệ, không có dữ liệu nào được ghi."

    def __init__(self, problems: list[Problem]) -> None:
        first = problems[0]
        super().__init__(
            f"Tệp dữ liệu thủ tục không hợp lệ ({first}); không có dữ liệu nào được ghi.",
            problems=[{"location": p.location, "reason": p.reason} for p in problems],
        )
        self.problems = problems


@dataclass
class ProcedureRecord:
    """One procedure as a source file states it (`location` names the file and line)."""

    source: str
    location: str
    code: str
    name: str
    field_name: str = ""
    levels: list[str] = field(default_factory=list)
    decision_number: str = ""
    procedure_type: str = ""
    subjects: str = ""
    issuing_body: str = ""
    competent_body: str = ""
    implementing_body: str = ""
    delegated_body: str = ""
    cooperating_body: str = ""
    filing_address: str = ""
    steps: str = ""
    channels_text: str = ""
    components_text: str = ""
    legal_basis_text: str = ""
    conditions: str = ""
    result_text: str = ""
    related_procedures: str = ""
    ministry_slug: str = ""
    source_url: str = ""

    def content_hash(self) -> str:
        """SHA-256 of the content (not of where it was read), to detect changes between imports."""
        content: dict[str, Any] = asdict(self)
        del content["location"]
        raw = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(raw.encode()).hexdigest()


def parse_levels(raw: str) -> tuple[list[str], list[str]]:
    """`Cấp bộ, Cấp tỉnh` → (["ministry", "province"], unknown labels)."""
    levels: list[str] = []
    unknown: list[str] = []
    for label in (part.strip() for part in raw.split(",")):
        if not label:
            continue
        value = LEVEL_LABELS.get(label)
        if value is None:
            unknown.append(label)
        elif value not in levels:
            levels.append(value)
    order = list(LEVEL_LABELS.values())
    return sorted(levels, key=order.index), unknown
