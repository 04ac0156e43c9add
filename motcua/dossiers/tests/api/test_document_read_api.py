"""`GET /api/v1/documents/{sha256}`: served only to staff who may see a dossier holding the file, or to
its uploader while it is unattached; never reachable through a web root."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from motcua.config import data_dir
from motcua.dossiers.checks import documents_outside_web_roots
from motcua.dossiers.models import DossierAccessLog
from motcua.dossiers.services.reception import ComponentData
from motcua.dossiers.tests.api.helpers import StaffClient
from motcua.dossiers.tests.factories import World, act, receive

SCAN = b"%PDF-1.4\n1 0 obj <</Type /Page>>\n%%EOF\n"


def _upload(world: World, role: str, content: bytes = SCAN) -> str:
    file = SimpleUploadedFile("giay-chung-sinh.pdf", content, content_type="application/pdf")
    sha: str = StaffClient(world.staff[role]).upload("/api/v1/documents", {"file": file}).json()["sha256"]
    return sha


def _read(world: World, role: str, sha: str, **params: Any) -> Any:
    response = StaffClient(world.staff[role]).get(f"/api/v1/documents/{sha}", **params)
    if response.status_code == 200:
        # Reading the stream to its end lets the test client close the file.
        response.body = b"".join(response.streaming_content)
    return response


def test_the_uploader_reads_an_unattached_upload_and_nobody_else(world: World) -> None:
    sha = _upload(world, "reception")

    own = _read(world, "reception", sha)

    assert own.status_code == 200
    assert own.body == SCAN
    assert own["Content-Type"] == "application/pdf"
    assert own["Content-Disposition"] == f'inline; filename="{sha}.pdf"'
    assert own["X-Content-Type-Options"] == "nosniff"
    assert own["Cache-Control"] == "private, no-store"
    for role in ("other_reception", "specialist", "supervisor"):
        assert _read(world, role, sha).status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("reception", 200),
        ("specialist", 200),
        ("leader", 200),
        ("supervisor", 200),
        ("other_reception", 404),
        ("other_specialist", 404),
    ],
)
def test_a_filed_document_follows_the_dossier_visibility(world: World, role: str, status: int) -> None:
    sha = _upload(world, "reception")
    dossier = receive(world, components=[ComponentData("to-khai", [sha]), ComponentData("giay-chung-sinh")])

    response = _read(world, role, sha)

    assert response.status_code == status
    logged = DossierAccessLog.objects.filter(dossier=dossier, actor=world.staff[role], purpose="document").exists()
    assert logged is (status == 200)


def test_a_result_document_is_readable_by_the_desk_that_returns_it(world: World) -> None:
    dossier = receive(world)
    act(world, dossier, "transfer", "reception")
    act(world, dossier, "assign", "leader", payload={"assignee": world.staff["specialist"].username})
    act(world, dossier, "forward", "specialist")
    result = _upload(world, "leader", b"%PDF-1.4\n% trich luc khai sinh\n%%EOF\n")
    act(world, dossier, "approve", "leader", payload={"result_documents": [result]})

    assert _read(world, "reception", result).status_code == 200
    assert _read(world, "other_reception", result).status_code == 404


def test_download_and_unknown_or_malformed_hashes(world: World) -> None:
    sha = _upload(world, "reception")

    download = _read(world, "reception", sha, download="true")
    unknown = _read(world, "reception", "0" * 64)
    malformed = _read(world, "reception", "secret_key")

    assert download["Content-Disposition"] == f'attachment; filename="{sha}.pdf"'
    assert unknown.json() == malformed.json()
    assert unknown.json()["error"]["code"] == "document_not_found"


def test_documents_are_never_under_a_web_root(world: World) -> None:
    assert documents_outside_web_roots(None) == []
    with override_settings(STATIC_ROOT=str(data_dir())):
        assert [error.id for error in documents_outside_web_roots(None)] == ["dossiers.E001"]
    with override_settings(MEDIA_ROOT=str(data_dir() / "documents" / "ab")):
        assert [error.id for error in documents_outside_web_roots(None)] == ["dossiers.E001"]
