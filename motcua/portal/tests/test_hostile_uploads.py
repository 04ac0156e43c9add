"""Hostile uploads (issue #10): every one refused with its stable code at every entry, nothing written.

The entries: the document service itself (with the raw file name any caller may pass), the API's
`POST /api/v1/documents`, the reception desk's scans and the portal's online submission. Benign files of
every accepted kind go through the same entries and must be taken.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import ReliabilityFigure
from motcua.config import data_dir
from motcua.core.errors import DomainError
from motcua.dossiers.models import Document, Dossier, SubmissionDraft
from motcua.dossiers.services.documents import document_store
from motcua.dossiers.tests.api.helpers import StaffClient
from motcua.dossiers.tests.factories import World
from motcua.dossiers.tests.hostile_files import LIMIT_MB, Hostile, benign, hostile

pytestmark = pytest.mark.django_db

CASES = hostile()
BENIGN = benign()


@pytest.fixture(autouse=True)
def small_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTCUA_MAX_UPLOAD_MB", str(LIMIT_MB))


def _files() -> list[Path]:
    root = data_dir()
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def _service(world: World, name: str, content: bytes) -> str:
    """The document service's answer: the refusal code, or "stored"."""
    try:
        document_store(actor=world.staff["reception"], chunks=[content], name=name)
    except DomainError as error:
        return error.code
    return "stored"


def _api(world: World, name: str, content: bytes) -> Any:
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return StaffClient(world.staff["reception"]).upload("/api/v1/documents", {"file": upload})


def _desk(world: World, name: str, content: bytes) -> Any:
    client = Client()
    client.force_login(world.staff["reception"])
    form = {
        "procedure": world.procedure.code,
        "component": ["to-khai"],
        "files-to-khai": SimpleUploadedFile(name, content, "application/octet-stream"),
    }
    return client.post(reverse("dossiers:reception"), form)


def _portal(signed_in: Client, world: World, name: str, content: bytes) -> Any:
    fields = {
        "full_name": "Nguyễn Văn An",
        "birth_date": "1990-01-15",
        "phone": "0912345678",
        "address": "Tổ 1",
        "subject_unit": world.subject_code,
        "receiving_center": world.center.code,
        "return_place": "desk",
        "action": "save",
        "file_0": SimpleUploadedFile(name, content, "application/octet-stream"),
    }
    return signed_in.post(f"/nop-truc-tuyen/{world.procedure.code}/", fields)


def _message(case: Hostile) -> str:
    try:
        document_store(actor=None, chunks=[case.content], name=case.name)
    except DomainError as error:
        return error.message
    raise AssertionError(f"{case.id} was stored")


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_a_hostile_upload_is_refused_at_every_entry_and_nothing_is_written(
    world: World, signed_in: Client, case: Hostile
) -> None:
    assert _service(world, case.name, case.content) == case.code
    if case.over_http:
        message = _message(case)
        api = _api(world, case.name, case.content)
        assert api.json()["error"]["code"] == case.code
        assert api.status_code in {413, 415, 422}

        desk = _desk(world, case.name, case.content)
        assert desk.status_code == 422
        assert html.escape(f"{case.name}: {message}") in desk.content.decode()

        portal = _portal(signed_in, world, case.name, case.content)
        assert portal.status_code == 400
        assert html.escape(case.name) in portal.content.decode()
        assert SubmissionDraft.objects.get().files == {}

    assert not Document.objects.exists()
    assert not Dossier.objects.exists()
    assert _files() == []


@pytest.mark.parametrize(("case_id", "name", "content", "content_type", "pages"), BENIGN, ids=[b[0] for b in BENIGN])
def test_benign_files_of_every_kind_are_taken_at_every_entry(
    world: World, signed_in: Client, case_id: str, name: str, content: bytes, content_type: str, pages: int
) -> None:
    api = _api(world, name, content)
    assert api.status_code == 201, api.json()
    assert (api.json()["content_type"], api.json()["pages"]) == (content_type, pages)
    # The desk's form is incomplete (no applicant yet), so it comes back, with the scan kept for the retry.
    sha256 = api.json()["sha256"]
    assert f'name="documents-to-khai" value="{sha256}"' in _desk(world, name, content).content.decode()
    assert _portal(signed_in, world, name, content).status_code == 302
    assert list(SubmissionDraft.objects.get().files) == ["to-khai"]
    assert Document.objects.count() == 1
    assert [path.name for path in _files()] == [Document.objects.get().sha256]


def test_hostile_upload_figures(world: World, reliability_figure: ReliabilityFigure) -> None:
    """The whole list once more through the service and the API, counted for docs/reliability.md."""
    refused = sum(_service(world, case.name, case.content) == case.code for case in CASES)
    over_http = [case for case in CASES if case.over_http]
    refused_by_api = sum(_api(world, c.name, c.content).json()["error"]["code"] == c.code for c in over_http)
    written = len(_files()) + Document.objects.count()
    section = "Hostile uploads"
    reliability_figure(section, "hostile uploads tried", len(CASES), "100 or more")
    reliability_figure(section, "refused by the document service with the expected code", refused, f"all {len(CASES)}")
    reliability_figure(section, "refused by the API with the expected code", refused_by_api, f"all {len(over_http)}")
    reliability_figure(section, "distinct refusal codes", len({case.code for case in CASES}), "")
    reliability_figure(section, "files or rows written by a refused upload", written, "0")
    assert refused == len(CASES)
    assert refused_by_api == len(over_http)
    assert written == 0
