"""National procedure data shipped with the product (the demo imports it from here).

- `national-portal-2026-07.jsonl.gz`: 2,642 procedures from the national public service portal.
- `lists/danh-sach-tthc-*.xlsx`: the official procedure lists of the same ministries.
"""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
PORTAL_FILE = DATA_DIR / "national-portal-2026-07.jsonl.gz"
LIST_FILES = sorted((DATA_DIR / "lists").glob("*.xlsx"))
