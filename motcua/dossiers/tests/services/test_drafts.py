"""Online-submission drafts: ownership, expiry and renewal, attachment checks, exactly-once submission."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from motcua.core.errors import Conflict, InvalidInput, NotFound
from motcua.dossiers.models import Dossier, SubmissionDraft
from motcua.dossiers.services.documents import FileTooLarge, UnsupportedFileType
from motcua.dossiers.services.drafts import (
    DraftExpired,
    draft_attach,
    draft_create,
    draft_renew,
    draft_save,
    draft_submit,
)
from motcua.dossiers.states import Status
from motcua.dossiers.tests.factories import PERSONAL_ID, World, build_world, paper_form_and_eform
from motcua.workcal.services import clear_calendar_cache

PDF = b"%PDF-1.4\n1 0 obj <</Type /Page>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(tmp_path))


def new_draft(world: World, **data: str) -> SubmissionDraft:
    return draft_create(
        personal_id=PERSONAL_ID,
        procedure_code=world.procedure.code,
        data={
            "full_name": "Nguyễn Văn An",
            "phone": "0912345678",
            "subject_unit": world.subject_code,
            "receiving_center": world.center.code,
            **data,
        },
        vneid_verified=True,
    )


def complete(world: World, draft: SubmissionDraft) -> None:
    for component in ("to-khai", "giay-chung-sinh"):
        draft_attach(token=draft.token, personal_id=PERSONAL_ID, component=component, chunks=[PDF + component.encode()])


def test_submit_gives_one_online_dossier_in_status_1(world: World) -> None:
    draft = new_draft(world)
    complete(world, draft)

    dossier = draft_submit(token=draft.token, personal_id=PERSONAL_ID)
    again = draft_submit(token=draft.token, personal_id=PERSONAL_ID)

    assert again.pk == dossier.pk
    assert Dossier.objects.count() == 1
    assert (dossier.status, dossier.channel, dossier.vneid_verified, dossier.created_by) == (
        Status.SUBMITTED,
        "online",
        True,
        None,
    )
    assert dossier.idempotency_key == draft.idempotency_key
    with pytest.raises(Conflict):
        draft_save(token=draft.token, personal_id=PERSONAL_ID, data={}, store_items={})


@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_make_one_dossier() -> None:
    clear_calendar_cache()
    world = build_world()
    draft = new_draft(world)
    complete(world, draft)

    def submit() -> int:
        try:
            return draft_submit(token=draft.token, personal_id=PERSONAL_ID).pk
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda _: submit(), range(4)))

    assert len(set(results)) == 1
    assert Dossier.objects.count() == 1


def test_missing_required_components_are_named(world: World) -> None:
    draft = new_draft(world)
    draft_attach(token=draft.token, personal_id=PERSONAL_ID, component="to-khai", chunks=[PDF])
    with pytest.raises(InvalidInput) as error:
        draft_submit(token=draft.token, personal_id=PERSONAL_ID)
    assert error.value.code == "missing_components"
    assert error.value.details["components"] == [{"code": "giay-chung-sinh", "name": "Giấy chứng sinh"}]
    assert not Dossier.objects.exists()


def test_refused_uploads_leave_the_draft_as_it_was(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTCUA_MAX_UPLOAD_MB", "1")
    draft = new_draft(world)
    with pytest.raises(FileTooLarge):
        draft_attach(token=draft.token, personal_id=PERSONAL_ID, component="to-khai", chunks=[PDF + b"0" * 2**20])
    with pytest.raises(UnsupportedFileType):
        draft_attach(token=draft.token, personal_id=PERSONAL_ID, component="to-khai", chunks=[b"MZ\x90\x00"])
    with pytest.raises(InvalidInput):
        draft_attach(token=draft.token, personal_id=PERSONAL_ID, component="khong-co", chunks=[PDF])
    draft.refresh_from_db()
    assert draft.files == {}
    assert draft.data["phone"] == "0912345678"


def test_another_persons_draft_is_not_found(world: World) -> None:
    draft = new_draft(world)
    with pytest.raises(NotFound):
        draft_save(token=draft.token, personal_id="015085001234", data={}, store_items={})
    with pytest.raises(NotFound):
        draft_submit(token=draft.token, personal_id="015085001234")


def test_an_expired_draft_is_renewed_once_with_its_content(world: World) -> None:
    draft = new_draft(world, address="Tổ 1")
    complete(world, draft)
    SubmissionDraft.objects.filter(pk=draft.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    with pytest.raises(DraftExpired):
        draft_submit(token=draft.token, personal_id=PERSONAL_ID)
    with pytest.raises(DraftExpired):
        draft_save(token=draft.token, personal_id=PERSONAL_ID, data={}, store_items={})
    renewed = draft_renew(token=draft.token, personal_id=PERSONAL_ID)
    assert draft_renew(token=draft.token, personal_id=PERSONAL_ID).pk == renewed.pk

    assert renewed.data == draft.data
    assert renewed.files == SubmissionDraft.objects.get(pk=draft.pk).files
    assert renewed.expires_at > timezone.now() + timedelta(days=29)
    assert renewed.idempotency_key != draft.idempotency_key
    assert draft_submit(token=renewed.token, personal_id=PERSONAL_ID).applicant_address == "Tổ 1"


def test_save_keeps_what_was_typed_even_if_invalid(world: World) -> None:
    draft = new_draft(world)
    saved = draft_save(
        token=draft.token, personal_id=PERSONAL_ID, data={"phone": "12", "birth_date": "not a date"}, store_items={}
    )
    assert saved.data["phone"] == "12"
    assert saved.data["birth_date"] == "not a date"
    with pytest.raises(InvalidInput):
        draft_save(token=draft.token, personal_id=PERSONAL_ID, data={}, store_items={"to-khai": [999]})


def test_online_the_desks_paper_form_is_not_asked_for(world: World) -> None:
    """Online, a paper limited to the desk and the post (the printed form) is neither required nor
    accepted; the e-form limited to online is required."""
    paper_form_and_eform(world)
    draft = new_draft(world)
    draft_attach(token=draft.token, personal_id=PERSONAL_ID, component="giay-chung-sinh", chunks=[PDF])
    with pytest.raises(InvalidInput) as error:
        draft_attach(token=draft.token, personal_id=PERSONAL_ID, component="to-khai", chunks=[PDF + b"x"])
    assert error.value.code == "unknown_components"
    with pytest.raises(InvalidInput) as missing:
        draft_submit(token=draft.token, personal_id=PERSONAL_ID)
    assert missing.value.details["components"] == [{"code": "e-form", "name": "Mẫu điện tử tương tác"}]

    draft_attach(token=draft.token, personal_id=PERSONAL_ID, component="e-form", chunks=[PDF + b"e"])
    dossier = draft_submit(token=draft.token, personal_id=PERSONAL_ID)
    assert sorted(dossier.components.values_list("code", flat=True)) == ["e-form", "giay-chung-sinh"]
