"""Render the figures the reliability tests recorded (var/reliability-figures.jsonl) as a Markdown table.

Prints the table; with --write, replaces the part of docs/reliability.md between the two markers with it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ROOT / "var" / "reliability-figures.jsonl"
DOC = ROOT / "docs" / "reliability.md"
START, END = "<!-- figures:start -->", "<!-- figures:end -->"


def table() -> str:
    if not FIGURES.exists():
        return "(no figures recorded: run the test suite first)\n"
    rows: dict[tuple[str, str], dict[str, str]] = {}
    for line in FIGURES.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        key = (item["section"], item["figure"])
        row = rows.setdefault(key, {"target": item["target"]})
        value = item["value"]
        row[item["database"]] = f"{value:,}" if isinstance(value, int) else str(value)
    out = ["| section | figure | SQLite | PostgreSQL | target |", "|---|---|---:|---:|---|"]
    for (section, figure), row in sorted(rows.items()):
        out.append(
            f"| {section} | {figure} | {row.get('sqlite', '–')} | {row.get('postgresql', '–')} | {row['target']} |"
        )
    return "\n".join(out) + "\n"


def main() -> None:
    rendered = table()
    print(rendered, end="")
    if "--write" in sys.argv[1:]:
        text = DOC.read_text(encoding="utf-8")
        head, _, rest = text.partition(START)
        _, _, tail = rest.partition(END)
        DOC.write_text(f"{head}{START}\n{rendered}{END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    main()
