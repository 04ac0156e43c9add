"""`POST /api/v1/documents`: stored by content hash, type by magic bytes, size limit; refusals write nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.config import data_dir
from motcua.dossiers.models import Document
from motcua.dossiers.tests.api.helpers import StaffClient
from motcua.dossiers.tests.factories import World
from motcua.dossiers.tests.hostile_files import image, tiff_pages

PDF = b"%PDF-1.4\n1 0 obj <</Type /Pages /Count 2>>\n2 0 obj <</Type /Page>>\n3 0 obj <</Type/Page>>\n%%EOF\n"


def _upload(client: StaffClient, name: str, content: bytes, content_type: str = "application/pdf") -> object:
    return client.upload("/api/v1/documents", {"file": SimpleUploadedFile(name, content, content_type=content_type)})


@pytest.mark.parametrize(
    ("content", "content_type", "pages"),
    [
        (PDF, "application/pdf", 2),
        (tiff_pages(3), "image/tiff", 3),
        (image("PNG"), "image/png", 1),
        (image("JPEG"), "image/jpeg", 1),
    ],
)
def test_accepted_kinds_are_stored_by_hash(world: World, content: bytes, content_type: str, pages: int) -> None:
    response = _upload(StaffClient(world.staff["reception"]), "scan", content, "application/octet-stream")

    assert response.status_code == 201  # type: ignore[attr-defined]
    sha = hashlib.sha256(content).hexdigest()
    assert response.json() == {"sha256": sha, "size": len(content), "content_type": content_type, "pages": pages}  # type: ignore[attr-defined]
    assert (data_dir() / "documents" / sha[:2] / sha[2:4] / sha).read_bytes() == content


def test_the_same_content_twice_is_one_document(world: World) -> None:
    client = StaffClient(world.staff["specialist"])
    _upload(client, "a.pdf", PDF)
    _upload(client, "b.pdf", PDF)
    assert Document.objects.count() == 1


def _files() -> set[Path]:
    root = data_dir() / "documents"
    return set(root.rglob("*")) if root.exists() else set()


@pytest.mark.parametrize(
    ("content", "status", "code"),
    [
        (b"MZ\x90\x00 this is a program renamed to .pdf", 415, "unsupported_file_type"),
        (b"<html>%PDF-1.4</html>", 415, "unsupported_file_type"),
        (b"", 422, "empty_file"),
        (b"%PDF-1.4\n" + b"0" * (1024 * 1024), 413, "file_too_large"),
    ],
)
def test_disguised_empty_or_oversize_uploads_are_refused_and_nothing_is_written(
    world: World, monkeypatch: pytest.MonkeyPatch, content: bytes, status: int, code: str
) -> None:
    monkeypatch.setenv("MOTCUA_MAX_UPLOAD_MB", "1")
    before = _files()

    response = _upload(StaffClient(world.staff["reception"]), "scan.pdf", content)

    assert response.status_code == status  # type: ignore[attr-defined]
    assert response.json()["error"]["code"] == code  # type: ignore[attr-defined]
    assert not Document.objects.exists()
    assert _files() == before


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_roles_that_file_nothing_cannot_upload(world: World, role: str) -> None:
    response = _upload(StaffClient(world.staff[role]), "a.pdf", PDF)
    assert response.status_code == 403  # type: ignore[attr-defined]
