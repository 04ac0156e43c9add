"""Reading generated forms back."""

from __future__ import annotations

import io

import pypdf


def pdf_text(content: bytes) -> str:
    """The text of every page, whitespace collapsed (table cells wrap lines anywhere)."""
    pages = pypdf.PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())
