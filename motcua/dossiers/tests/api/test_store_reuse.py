"""The personal data store (domain.md §6): a second dossier of the same citizen reuses the birth
certificate scanned for the first, without uploading it again."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.dossiers.models import Document, Dossier, DossierAccessLog, PersonalDataStoreItem
from motcua.dossiers.store_selectors import fits
from motcua.dossiers.tests.api.helpers import StaffClient
from motcua.dossiers.tests.factories import PERSONAL_ID, World

BIRTH_CERTIFICATE = b"%PDF-1.4\n% giay chung sinh\n1 0 obj <</Type /Page>>\n%%EOF\n"


def _upload(desk: StaffClient, content: bytes) -> str:
    file = SimpleUploadedFile("scan.pdf", content, content_type="application/pdf")
    sha: str = desk.upload("/api/v1/documents", {"file": file}).json()["sha256"]
    return sha


def _file(world: World, desk: StaffClient, components: list[dict[str, Any]], personal_id: str = PERSONAL_ID) -> Any:
    return desk.post(
        "/api/v1/dossiers",
        {
            "procedure_code": world.procedure.code,
            "receiving_unit": world.center.code,
            "channel": "direct",
            "applicant": {"full_name": "Nguyễn Văn An", "personal_id": personal_id},
            "subject_unit": world.subject_code,
            "components": components,
        },
    )


def test_second_dossier_reuses_the_stored_birth_certificate(world: World) -> None:
    desk = StaffClient(world.staff["reception"])
    certificate = _upload(desk, BIRTH_CERTIFICATE)
    first = _file(
        world,
        desk,
        [
            {"component": "to-khai", "documents": [_upload(desk, b"%PDF-1.4\n% to khai 1\n%%EOF\n")]},
            {"component": "giay-chung-sinh", "documents": [certificate]},
        ],
    )
    assert first.status_code == 201

    store = desk.get(f"/api/v1/applicants/{PERSONAL_ID}/store", procedure=world.procedure.code)

    assert store.status_code == 200
    offered = {item["document"]["sha256"]: item for item in store.json()["items"]}
    assert offered[certificate]["fits"] == ["giay-chung-sinh"]
    assert offered[certificate]["from_dossier"] == first.json()["code"]
    first_dossier = Dossier.objects.get(code=first.json()["code"])
    assert DossierAccessLog.objects.filter(dossier=first_dossier, purpose="store").exists()

    documents_before = Document.objects.count()
    second = _file(
        world,
        desk,
        [
            {"component": "to-khai", "documents": [_upload(desk, b"%PDF-1.4\n% to khai 2\n%%EOF\n")]},
            {"component": "giay-chung-sinh", "store_items": [offered[certificate]["id"]]},
        ],
    )

    assert second.status_code == 201, second.json()
    assert Document.objects.count() == documents_before + 1  # only the new declaration was uploaded
    detail = desk.get(f"/api/v1/dossiers/{second.json()['code']}").json()
    components = {c["component"]: c for c in detail["components"]}
    assert components["giay-chung-sinh"]["documents"] == [certificate]
    assert (components["giay-chung-sinh"]["reused"], components["giay-chung-sinh"]["digitized"]) == (True, False)
    assert (components["to-khai"]["reused"], components["to-khai"]["digitized"]) == (False, True)
    assert PersonalDataStoreItem.objects.filter(personal_id=PERSONAL_ID, document__sha256=certificate).count() == 1
    # The specialist of the handling body reads the reused scan through the second dossier.
    specialist = StaffClient(world.staff["specialist"]).get(f"/api/v1/documents/{certificate}")
    assert specialist.status_code == 200
    assert b"".join(specialist.streaming_content) == BIRTH_CERTIFICATE


def test_another_persons_store_item_cannot_be_filed(world: World) -> None:
    desk = StaffClient(world.staff["reception"])
    certificate = _upload(desk, BIRTH_CERTIFICATE)
    assert _file(world, desk, [{"component": "to-khai"}, {"component": "giay-chung-sinh", "documents": [certificate]}])
    item = PersonalDataStoreItem.objects.get(document__sha256=certificate)
    dossiers = Dossier.objects.count()

    response = _file(
        world,
        desk,
        [{"component": "to-khai"}, {"component": "giay-chung-sinh", "store_items": [item.pk]}],
        personal_id="010185012345",
    )

    assert (response.status_code, response.json()["error"]["code"]) == (422, "unknown_store_items")
    assert Dossier.objects.count() == dossiers


@pytest.mark.parametrize(
    ("role", "personal_id", "status", "code"),
    [
        ("specialist", PERSONAL_ID, 403, "store_not_permitted"),
        ("supervisor", PERSONAL_ID, 403, "store_not_permitted"),
        ("reception", "12345", 422, "personal_id_format"),
    ],
)
def test_store_is_for_the_desk_and_a_valid_personal_id(
    world: World, role: str, personal_id: str, status: int, code: str
) -> None:
    response = StaffClient(world.staff[role]).get(f"/api/v1/applicants/{personal_id}/store")

    assert (response.status_code, response.json()["error"]["code"]) == (status, code)


@pytest.mark.parametrize(
    ("stored", "component", "expected"),
    [
        ("Giấy chứng sinh", "Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì nộp văn bản", True),
        ("Bản sao Giấy chứng sinh", "Giấy chứng sinh (bản chính)", True),
        ("Giấy chứng sinh", "Giấy chứng sinh theo mẫu của Bộ Y tế", True),
        ("Tờ khai", "Tờ khai đăng ký khai sinh", False),
        ("Giấy chứng nhận kết hôn", "Giấy chứng sinh", False),
    ],
)
def test_a_stored_paper_fits_a_component_naming_the_same_paper(stored: str, component: str, expected: bool) -> None:
    assert fits("", stored, "other-code", component) is expected
