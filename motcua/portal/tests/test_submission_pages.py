"""Online submission: sign-in first, a form per procedure, drafts that keep everything typed, refused files
with a clear message, store reuse, expired drafts renewed, and exactly one dossier however often it is sent."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from motcua.catalog.models import ChannelKind
from motcua.dossiers.models import Document, Dossier, PersonalDataStoreItem, SubmissionDraft
from motcua.dossiers.services.tracking import tracking_url
from motcua.dossiers.states import Status
from motcua.dossiers.tests.factories import PERSONAL_ID, DossierFactory, World, receive
from motcua.portal.tests.conftest import PDF
from motcua.portal.tests.test_pages import PAGE_BUDGET, page_weight

pytestmark = pytest.mark.django_db


def url(world: World) -> str:
    return f"/nop-truc-tuyen/{world.procedure.code}/"


def fields(world: World, **extra: Any) -> dict[str, Any]:
    return {
        "full_name": "Nguyễn Văn An",
        "birth_date": "1990-01-15",
        "phone": "0912345678",
        "email": "an@example.vn",
        "address": "Tổ 1",
        "subject_unit": world.subject_code,
        "receiving_center": world.center.code,
        "return_place": "desk",
        **extra,
    }


def pdf(name: str = "to-khai.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "application/pdf")


def draft_of(world: World) -> SubmissionDraft:
    return SubmissionDraft.objects.get(procedure=world.procedure, renewed_as__isnull=True)


def test_signing_in_comes_first(client: Client, world: World) -> None:
    body = client.get(url(world)).content.decode()
    assert "Đăng nhập bằng VNeID" in body
    assert f'href="/dang-nhap/?next=/nop-truc-tuyen/{world.procedure.code}/"' in body.replace("%2F", "/")


def test_the_procedure_page_links_to_online_submission(client: Client, world: World) -> None:
    body = client.get(f"/thu-tuc/{world.procedure.code}/").content.decode()
    assert f'href="/nop-truc-tuyen/{world.procedure.code}/"' in body


def test_the_form_lists_the_components_and_prefills_the_profile(signed_in: Client, world: World) -> None:
    body = signed_in.get(url(world)).content.decode()
    assert 'value="Nguyễn Văn An"' in body
    assert PERSONAL_ID in body
    for name in ("Tờ khai", "Giấy chứng sinh", "Văn bản ủy quyền"):
        assert name in body
    assert 'enctype="multipart/form-data"' in body


def test_save_a_draft_and_resume_it(signed_in: Client, world: World) -> None:
    response = signed_in.post(url(world), {**fields(world), "action": "save", "file_0": pdf()})
    draft = draft_of(world)
    assert response.status_code == 302
    assert response["Location"] == f"{url(world)}{draft.token}/?saved=1"
    assert draft.data["phone"] == "0912345678"
    assert list(draft.files) == ["to-khai"]

    resumed = signed_in.get(url(world), follow=True).content.decode()
    assert 'value="an@example.vn"' in resumed
    assert "Đã tải lên" in resumed


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (pdf("to-khai.pdf", b"MZ\x90\x00 this is an executable"), "không phải PDF, JPEG, PNG hoặc TIFF"),
        (pdf("anh.png", b"GIF89a not accepted"), "không phải PDF, JPEG, PNG hoặc TIFF"),
        (pdf("lon.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024)), "lớn hơn 1 MB"),
    ],
)
def test_a_refused_file_is_a_message_and_nothing_typed_is_lost(
    signed_in: Client, world: World, monkeypatch: pytest.MonkeyPatch, upload: SimpleUploadedFile, message: str
) -> None:
    monkeypatch.setenv("MOTCUA_MAX_UPLOAD_MB", "1")
    response = signed_in.post(
        url(world), {**fields(world), "action": "submit", "file_0": upload, "file_1": pdf("chung-sinh.pdf")}
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    assert str(upload.name) in body
    assert 'value="an@example.vn"' in body
    assert 'value="Tổ 1"' in body
    draft = draft_of(world)
    assert draft.data["email"] == "an@example.vn"
    assert list(draft.files) == ["giay-chung-sinh"]  # the good file is kept
    assert not Dossier.objects.exists()


def test_invalid_fields_keep_the_rest(signed_in: Client, world: World) -> None:
    response = signed_in.post(url(world), {**fields(world, phone="12", email="x@"), "action": "submit"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Số điện thoại không hợp lệ." in body
    assert "Địa chỉ thư điện tử không hợp lệ." in body
    assert 'value="Tổ 1"' in body
    assert draft_of(world).data["phone"] == "12"
    assert not Dossier.objects.exists()


def test_missing_required_papers_are_named(signed_in: Client, world: World) -> None:
    response = signed_in.post(url(world), {**fields(world), "action": "submit", "file_0": pdf()})
    assert response.status_code == 400
    assert "Hồ sơ còn thiếu giấy tờ bắt buộc" in response.content.decode()
    assert not Dossier.objects.exists()


def test_submit_makes_one_online_dossier_in_status_1_whatever_the_retries(signed_in: Client, world: World) -> None:
    signed_in.post(url(world), {**fields(world), "action": "save", "file_0": pdf(), "file_1": pdf("b.pdf")})
    draft = draft_of(world)
    draft_url = f"{url(world)}{draft.token}/"

    first = signed_in.post(draft_url, {**fields(world), "action": "submit"})
    second = signed_in.post(draft_url, {**fields(world), "action": "submit"})

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/nop-truc-tuyen/da-nop/{draft.token}/"
    dossier = Dossier.objects.get()
    assert (dossier.status, dossier.channel, dossier.created_by, dossier.vneid_verified) == (
        Status.SUBMITTED,
        ChannelKind.ONLINE,
        None,
        True,
    )
    assert dossier.due_at is None  # the legal count starts when a desk accepts it
    assert sorted(dossier.components.values_list("code", flat=True)) == ["giay-chung-sinh", "to-khai"]

    done = signed_in.get(first["Location"]).content.decode()
    assert dossier.code in done
    assert f"/tra-cuu-ho-so/{dossier.code}?token=" in done
    assert "Hạn kiểm tra, tiếp nhận" in done


def test_papers_in_the_data_store_are_reused(signed_in: Client, world: World) -> None:
    earlier = receive(world, channel=ChannelKind.ONLINE, components=[])
    store = PersonalDataStoreItem.objects.create(
        personal_id=PERSONAL_ID,
        document=Document.objects.create(sha256="a" * 64, size=10, content_type="application/pdf"),
        kind="digitized_component",
        component_code="giay-chung-sinh",
        name="Giấy chứng sinh",
        dossier=earlier,
    )
    body = signed_in.get(url(world)).content.decode()
    assert "Dùng lại giấy tờ trong kho dữ liệu của bạn" in body

    signed_in.post(url(world), {**fields(world), "action": "submit", "file_0": pdf(), "reuse_1": [str(store.pk)]})

    dossier = Dossier.objects.exclude(pk=earlier.pk).get()
    reused = dossier.components.get(code="giay-chung-sinh")
    assert reused.reused
    assert list(reused.documents.values_list("sha256", flat=True)) == ["a" * 64]


def test_an_expired_draft_is_renewed_with_its_content_and_the_citizen_told(signed_in: Client, world: World) -> None:
    signed_in.post(url(world), {**fields(world), "action": "save", "file_0": pdf()})
    old = draft_of(world)
    SubmissionDraft.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(days=1))

    body = signed_in.get(f"{url(world)}{old.token}/").content.decode()

    assert "đã hết hạn" in body
    assert "được chép sang bản nháp mới" in body
    assert 'value="an@example.vn"' in body
    assert "Đã tải lên" in body
    new = draft_of(world)
    assert new.pk != old.pk
    assert new.files == old.files
    assert new.data == old.data


def test_posting_to_an_expired_draft_keeps_what_was_just_typed(signed_in: Client, world: World) -> None:
    signed_in.post(url(world), {**fields(world), "action": "save"})
    old = draft_of(world)
    SubmissionDraft.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(days=1))

    response = signed_in.post(f"{url(world)}{old.token}/", {**fields(world, address="Tổ 9"), "action": "submit"})

    body = response.content.decode()
    assert response.status_code == 409
    assert "đã hết hạn" in body
    assert 'value="Tổ 9"' in body
    assert draft_of(world).data["address"] == "Tổ 9"
    assert not Dossier.objects.exists()


def test_another_citizens_draft_is_not_found(signed_in: Client, world: World) -> None:
    other = SubmissionDraft.objects.create(
        token="t" * 24,
        personal_id="015085001234",
        procedure=world.procedure,
        idempotency_key="k",
        expires_at=timezone.now() + timedelta(days=1),
    )
    response = signed_in.get(f"{url(world)}{other.token}/")
    assert response.status_code == 404
    assert "Không tìm thấy bản nháp" in response.content.decode()


@pytest.mark.parametrize("code", ["khong-co", "<b>", "1" * 300])
def test_an_unknown_procedure_is_a_message(client: Client, code: str) -> None:
    response = client.get(f"/nop-truc-tuyen/{code}/")
    assert response.status_code == 404
    assert "nhận hồ sơ trực tuyến" in response.content.decode()


def test_tracking_and_submission_pages_weigh_under_100_kb(signed_in: Client, world: World) -> None:
    dossier = DossierFactory.create(world=world, returned=True)
    parts = urlsplit(tracking_url(dossier))
    urls = ["/tra-cuu-ho-so/", f"{parts.path}?{parts.query}", url(world), f"/trung-tam/{world.center.code}/"]
    for page in urls:
        assert page_weight(signed_in, page) < PAGE_BUDGET, page
