"""Public tracking: the QR link, code plus phone digits, no enumeration, rate limits, masked data, rating."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django.utils import timezone

from motcua.dossiers.models import Dossier, DossierRating
from motcua.dossiers.services.tracking import tracking_token, tracking_url
from motcua.dossiers.tests.factories import PERSONAL_ID, DossierFactory, World

pytestmark = pytest.mark.django_db

UNKNOWN = "H38.999-260101-0001"


def qr_path(dossier: Dossier) -> str:
    parts = urlsplit(tracking_url(dossier))
    return f"{parts.path}?{parts.query}"


def normalized(body: str, code: str) -> str:
    """The page with what legitimately differs removed: the code typed and the per-response CSRF token."""
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)
    return body.replace(code, "<code>")


def test_the_receipt_qr_link_opens_the_tracking_page(client: Client, world: World) -> None:
    dossier = DossierFactory.create(world=world, handling=True)
    assert resolve(urlsplit(tracking_url(dossier)).path).view_name == "portal:tracking_result"

    response = client.get(qr_path(dossier))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Đang xử lý" in body
    assert "Cơ quan có thẩm quyền đang giải quyết hồ sơ." in body
    assert "Ngày hẹn trả kết quả" in body
    assert timezone.localtime(dossier.due_at).strftime("%d/%m/%Y") in body
    assert world.center.name in body  # where to collect
    assert "Nộp hồ sơ" in body
    assert "Phân công xử lý" in body
    assert "no-store" in response["Cache-Control"]


def test_no_personal_data_is_shown_unmasked(client: Client, world: World) -> None:
    dossier = DossierFactory.create(world=world, returned=True)

    body = client.get(qr_path(dossier)).content.decode()

    assert "N*** V*** A***" in body
    assert "••••••••78" in body
    # The timeline's machine-readable times hold microseconds, which may contain any four digits.
    text = re.sub(r'datetime="[^"]*"', "", body)
    for secret in ("Nguyễn Văn An", "Nguyễn", PERSONAL_ID, "0912345678", "5678"):
        assert secret not in text


def test_wrong_token_and_unknown_code_answer_alike(client: Client, world: World) -> None:
    dossier = DossierFactory.create(world=world)
    guess = f"{tracking_token(dossier)[:-2]}xx"
    wrong = client.get(f"/tra-cuu-ho-so/{dossier.code}?token={guess}")
    unknown = client.get(f"/tra-cuu-ho-so/{UNKNOWN}?token={guess}")

    assert wrong.status_code == unknown.status_code == 404
    assert normalized(wrong.content.decode(), dossier.code) == normalized(unknown.content.decode(), UNKNOWN)
    assert "Không tìm thấy hồ sơ với mã và thông tin tra cứu này." in wrong.content.decode()
    # The same work either way: the same queries (and one HMAC and one constant-time comparison each).
    with CaptureQueriesContext(connection) as known:
        client.get(f"/tra-cuu-ho-so/{dossier.code}?token=nope")
    with CaptureQueriesContext(connection) as missing:
        client.get(f"/tra-cuu-ho-so/{UNKNOWN}?token=nope")
    assert len(known.captured_queries) == len(missing.captured_queries)


def test_a_lookup_is_five_reads_and_writes_without_a_transaction(client: Client, world: World) -> None:
    """The busiest public page: the client's limit (one upsert), the code's failures (one read), the
    dossier with only the columns shown, its timeline, its rating; no read left for a deferred column."""
    dossier = DossierFactory.create(world=world, returned=True)
    client.get(qr_path(dossier))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(qr_path(dossier))

    assert page.status_code == 200
    assert world.center.name in page.content.decode()
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["INSERT", "SELECT", "SELECT", "SELECT", "SELECT"]


def test_api_wrong_token_and_unknown_code_answer_alike(client: Client, world: World) -> None:
    dossier = DossierFactory.create(world=world)
    wrong = client.get(f"/api/v1/tracking/{dossier.code}?token=wrong")
    unknown = client.get(f"/api/v1/tracking/{UNKNOWN}?token=wrong")
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()
    assert wrong.json()["error"]["code"] == "tracking_not_found"


def test_code_and_last_four_phone_digits(client: Client, world: World) -> None:
    dossier = DossierFactory.create(world=world)

    found = client.post("/tra-cuu-ho-so/", {"code": dossier.code.lower(), "phone": "5678"})
    wrong = client.post("/tra-cuu-ho-so/", {"code": dossier.code, "phone": "1234"})
    unknown = client.post("/tra-cuu-ho-so/", {"code": UNKNOWN, "phone": "5678"})

    assert found.status_code == 200
    assert f"Hồ sơ {dossier.code}" in found.content.decode()
    assert wrong.status_code == unknown.status_code == 404
    assert normalized(wrong.content.decode(), dossier.code) == normalized(unknown.content.decode(), UNKNOWN)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"code": "abc", "phone": "5678"}, "Mã hồ sơ không đúng định dạng."),
        ({"code": "", "phone": "5678"}, "Vui lòng nhập mã hồ sơ."),
        ({"code": "H38.999-260101-0001", "phone": "56a8"}, "Nhập đúng 4 chữ số."),
        ({"code": "x" * 500, "phone": "5678"}, "Mã hồ sơ dài quá 60 ký tự."),
    ],
)
def test_bad_input_is_a_message_beside_the_form(client: Client, data: dict[str, str], message: str) -> None:
    response = client.post("/tra-cuu-ho-so/", data)
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    if data["code"] and len(data["code"]) <= 60:
        assert f'value="{data["code"]}"' in body  # what was typed stays


def test_a_malformed_code_in_the_link_is_a_message(client: Client) -> None:
    response = client.get("/tra-cuu-ho-so/%3Cscript%3E?token=x")
    assert response.status_code == 400
    assert "Mã hồ sơ không đúng định dạng." in response.content.decode()
    assert "<script>" not in response.content.decode()


def test_rate_limit_per_client_engages_on_pages_and_api(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOTCUA_TRACKING_LIMIT_CLIENT", "3/600")
    dossier = DossierFactory.create(world=world)
    for _ in range(3):
        assert client.get(qr_path(dossier)).status_code == 200

    page = client.get(qr_path(dossier))
    api = client.get(f"/api/v1/tracking/{dossier.code}?token={tracking_token(dossier)}")

    assert page.status_code == 429
    assert "Bạn đã tra cứu quá nhiều lần." in page.content.decode()
    assert api.status_code == 429
    assert api.json()["error"]["code"] == "rate_limited"
    # Another address is not held back by this one.
    assert client.get(qr_path(dossier), REMOTE_ADDR="10.0.0.9").status_code == 200


def test_failed_lookups_of_one_code_are_limited_from_any_address(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOTCUA_TRACKING_LIMIT_CODE", "3/600")
    dossier = DossierFactory.create(world=world)
    for n in range(3):
        response = client.post("/tra-cuu-ho-so/", {"code": dossier.code, "phone": f"000{n}"}, REMOTE_ADDR=f"10.0.1.{n}")
        assert response.status_code == 404

    guess = client.post("/tra-cuu-ho-so/", {"code": dossier.code, "phone": "5678"}, REMOTE_ADDR="10.0.2.1")

    assert guess.status_code == 429
    # Other dossiers are not affected.
    other = DossierFactory.create(world=world)
    assert client.get(qr_path(other)).status_code == 200


def test_rating_after_the_result_is_returned(client: Client, world: World) -> None:
    dossier = DossierFactory.create(world=world, returned=True)
    token = tracking_token(dossier)
    page = client.get(qr_path(dossier)).content.decode()
    assert "Đánh giá mức độ hài lòng" in page

    response = client.post(
        f"/tra-cuu-ho-so/{dossier.code}/danh-gia/", {"token": token, "satisfaction": "satisfied", "comment": "Nhanh"}
    )
    assert response.status_code == 200
    assert "Cảm ơn bạn đã đánh giá." in response.content.decode()
    rating = DossierRating.objects.get(dossier=dossier)
    assert (rating.satisfaction, rating.comment, rating.officer) == ("satisfied", "Nhanh", world.staff["reception"])

    # Changed within the window: still one rating.
    client.post(f"/tra-cuu-ho-so/{dossier.code}/danh-gia/", {"token": token, "satisfaction": "dissatisfied"})
    rating.refresh_from_db()
    assert (rating.satisfaction, rating.changes, DossierRating.objects.count()) == ("dissatisfied", 1, 1)

    # After the window it stands.
    DossierRating.objects.filter(pk=rating.pk).update(created_at=timezone.now() - timedelta(days=30))
    late = client.post(f"/tra-cuu-ho-so/{dossier.code}/danh-gia/", {"token": token, "satisfaction": "satisfied"})
    assert late.status_code == 400
    assert "Đã hết thời gian sửa đánh giá." in late.content.decode()


def test_rating_needs_the_receipt_and_a_returned_result(client: Client, world: World) -> None:
    open_dossier = DossierFactory.create(world=world, handling=True)
    assert "Đánh giá mức độ hài lòng" not in client.get(qr_path(open_dossier)).content.decode()
    early = client.post(
        f"/tra-cuu-ho-so/{open_dossier.code}/danh-gia/",
        {"token": tracking_token(open_dossier), "satisfaction": "satisfied"},
    )
    assert early.status_code == 400
    assert "Chỉ đánh giá được hồ sơ đã trả kết quả." in early.content.decode()

    returned = DossierFactory.create(world=world, returned=True)
    forged = client.post(
        f"/tra-cuu-ho-so/{returned.code}/danh-gia/", {"token": "forged", "satisfaction": "dissatisfied"}
    )
    assert forged.status_code == 404
    assert not DossierRating.objects.exists()


def test_the_tracking_page_speaks_english(client: Client, world: World) -> None:
    dossier = DossierFactory.create(world=world, handling=True)
    body = client.get(qr_path(dossier), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in body
    assert "In progress" in body
    assert "The competent body is handling the dossier." in body
