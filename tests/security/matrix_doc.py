"""Writes docs/access-matrix.md from the matrix: `.venv/bin/python -m tests.security.matrix_doc`."""

from __future__ import annotations

import os
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
django.setup()

from tests.security.matrix import markdown  # noqa: E402  (the models need the app registry first)

DOC = Path(__file__).resolve().parents[2] / "docs" / "access-matrix.md"

if __name__ == "__main__":
    DOC.write_text(markdown(), encoding="utf-8")
