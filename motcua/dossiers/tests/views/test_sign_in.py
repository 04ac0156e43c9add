"""Staff sign-in: throttling and lockout on every sign-in form, secure session handling, and the TOTP
second factor (enrolment, wrong, right and replayed codes, required mode guarding pages and the API)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.fixtures import Settings

from conftest import ReliabilityFigure
from motcua.catalog.models import Procedure
from motcua.core.middleware import SessionIdleMiddleware
from motcua.dossiers.tests.views.conftest import HOP_THANH, LAO_CAI, staff
from motcua.org.demo import DEMO_PASSWORD
from motcua.org.models import SignInEvent, SignInEventKind, SignInScope
from motcua.org.signin import INVALID_LOGIN

SPECIALIST = f"specialist.{HOP_THANH}"
RECEPTION = f"reception.{LAO_CAI}"
LOCKED_TEXT = "Đăng nhập tạm thời bị khóa"


def sign_in(client: Client, username: str, password: str, url: str = "/can-bo/dang-nhap/") -> str:
    """Post the sign-in form; the page or the address it sent the browser to."""
    response = client.post(url, {"username": username, "password": password})
    if response.status_code == 302:
        return str(response["Location"])
    return response.content.decode()


def same_page(page: str, typed: str) -> str:
    """The page less what differs by design: the typed name and the per-response CSRF token."""
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", page.replace(typed, "X"))


def alerts(page: str) -> list[str]:
    return re.findall(r'<p class="alert" role="alert">(.*?)</p>', page)


@pytest.fixture
def small_limits(settings: Settings) -> None:
    settings.MOTCUA_SIGNIN_LIMIT_USERNAME = "3/900"
    settings.MOTCUA_SIGNIN_LIMIT_ADDRESS = "6/900"
    settings.MOTCUA_SIGNIN_LOCKOUT_MINUTES = 15


def test_wrong_password_and_unknown_name_read_the_same(lao_cai: Procedure, small_limits: None) -> None:
    client = Client()
    wrong = sign_in(client, SPECIALIST, "not-the-password")
    unknown = sign_in(client, "nobody.here", "not-the-password")

    assert alerts(wrong) == alerts(unknown) == [INVALID_LOGIN]
    assert same_page(wrong, SPECIALIST) == same_page(unknown, "nobody.here")
    failures = SignInEvent.objects.filter(kind=SignInEventKind.FAILURE).order_by("at", "pk")
    assert [(event.username, event.user_id) for event in failures] == [
        (SPECIALIST, staff(SPECIALIST).pk),
        ("nobody.here", None),
    ]


@pytest.mark.parametrize("username", [SPECIALIST, "nobody.here"])
def test_a_name_is_locked_out_after_the_limit_even_with_the_right_password(
    lao_cai: Procedure, small_limits: None, username: str, reliability_figure: ReliabilityFigure
) -> None:
    client = Client()
    pages = [sign_in(client, username, f"guess-{n}") for n in range(3)]

    assert alerts(pages[0]) == alerts(pages[1]) == [INVALID_LOGIN]
    assert LOCKED_TEXT in alerts(pages[2])[0]
    assert "15 phút" in alerts(pages[2])[0]
    # Locked: the right password (for the real account) is refused with the same message.
    after = sign_in(Client(REMOTE_ADDR="10.9.9.9"), username, DEMO_PASSWORD)
    assert LOCKED_TEXT in alerts(after)[0]
    lockout = SignInEvent.objects.get(kind=SignInEventKind.LOCKOUT)
    assert (lockout.scope, lockout.username) == (SignInScope.USERNAME, username)
    assert lockout.locked_until is not None
    if username == SPECIALIST:
        tries = next(n for n, page in enumerate(pages, 1) if LOCKED_TEXT in page)
        reliability_figure(
            "Access and sign-in", "failed sign-ins until a user name is locked out (limit 3)", tries, "3"
        )


def test_the_lockout_ends_after_its_minutes(lao_cai: Procedure, small_limits: None) -> None:
    client = Client()
    for n in range(3):
        sign_in(client, SPECIALIST, f"guess-{n}")
    SignInEvent.objects.filter(kind=SignInEventKind.LOCKOUT).update(locked_until=timezone.now())

    assert sign_in(client, SPECIALIST, DEMO_PASSWORD) == reverse("dossiers:home")


def test_one_address_is_locked_out_across_names(lao_cai: Procedure, small_limits: None) -> None:
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    for n in range(6):
        sign_in(attacker, f"name-{n}", "guess")

    assert LOCKED_TEXT in alerts(sign_in(attacker, RECEPTION, DEMO_PASSWORD))[0]
    assert SignInEvent.objects.filter(kind=SignInEventKind.LOCKOUT, scope=SignInScope.ADDRESS).count() == 1
    # Another address signs the same account in.
    assert sign_in(Client(REMOTE_ADDR="198.51.100.2"), RECEPTION, DEMO_PASSWORD) == reverse("dossiers:home")


@pytest.mark.parametrize("url", ["/queue/login/", "/admin/login/"], ids=["queue counters", "admin"])
def test_the_queue_and_admin_sign_ins_share_the_lockout(lao_cai: Procedure, small_limits: None, url: str) -> None:
    client = Client()
    for n in range(2):
        sign_in(client, "admin", f"guess-{n}", url)
    third = sign_in(client, "admin", "guess-2", url)

    assert LOCKED_TEXT in third
    assert LOCKED_TEXT in alerts(sign_in(Client(REMOTE_ADDR="10.1.1.1"), "admin", DEMO_PASSWORD))[0]


def test_sign_in_rotates_the_session_key_and_sets_protective_cookies(lao_cai: Procedure) -> None:
    client = Client()
    client.get("/can-bo/dang-nhap/")
    client.session.save()  # a session planted before sign-in
    before = client.session.session_key

    response = client.post("/can-bo/dang-nhap/", {"username": SPECIALIST, "password": DEMO_PASSWORD})

    cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie.value != before
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["secure"]
    assert int(cookie["max-age"]) == django_settings.SESSION_COOKIE_AGE


def test_a_request_pushes_the_idle_end_forward_at_most_once_a_minute(lao_cai: Procedure) -> None:
    client = Client()
    sign_in(client, SPECIALIST, DEMO_PASSWORD)
    assert client.get("/can-bo/hop-thu/").status_code == 200
    key = client.session.session_key
    rows = Session.objects.filter(session_key=key)
    soon = timezone.now() + timedelta(minutes=5)

    rows.update(expire_date=soon)
    client.get("/can-bo/hop-thu/")
    assert rows.get().expire_date == soon  # seen less than a minute ago: no write

    store = SessionStore(key)
    store[SessionIdleMiddleware.KEY] -= SessionIdleMiddleware.EVERY_S
    store.save()
    rows.update(expire_date=soon)
    client.get("/can-bo/hop-thu/")
    pushed = rows.get().expire_date - timezone.now()
    assert pushed > timedelta(seconds=django_settings.SESSION_COOKIE_AGE - 60)

    rows.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get("/can-bo/hop-thu/")["Location"].startswith("/can-bo/dang-nhap/")


# The second factor ---------------------------------------------------------------------------------------


def totp_now(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def required(settings: Settings) -> None:
    settings.MOTCUA_STAFF_OTP = "required"
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # wrong codes slow a device down; these tests time nothing


def enrolled(username: str) -> TOTPDevice:
    return TOTPDevice.objects.create(user=staff(username), name="test", confirmed=True)


def test_required_mode_sends_a_signed_in_user_to_the_code_before_any_page(lao_cai: Procedure, required: None) -> None:
    client = Client()
    assert sign_in(client, SPECIALIST, DEMO_PASSWORD) == reverse("dossiers:home")

    for url in ["/can-bo/", "/can-bo/hop-thu/", "/bao-cao/", "/admin/", "/queue/02647/counter/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/can-bo/xac-thuc/?next="), url
    # htmx and API requests riding on the session are refused in their own shape.
    htmx = client.get("/can-bo/hop-thu/", headers={"HX-Request": "true"})
    assert htmx.status_code == 401
    assert htmx["HX-Redirect"].startswith("/can-bo/xac-thuc/")
    api = client.get("/api/v1/dossiers")
    assert api.status_code == 401
    assert api.json()["error"]["code"] == "otp_required"
    # No device yet: the code page sends the user to enrolment.
    assert client.get("/can-bo/xac-thuc/?next=/can-bo/hop-thu/")["Location"] == (
        "/can-bo/xac-thuc/dang-ky/?next=%2Fcan-bo%2Fhop-thu%2F"
    )


def test_enrolment_shows_the_qr_and_key_and_a_code_from_it_admits(lao_cai: Procedure, required: None) -> None:
    client = Client()
    sign_in(client, SPECIALIST, DEMO_PASSWORD)
    page = client.get("/can-bo/xac-thuc/dang-ky/").content.decode()

    device = TOTPDevice.objects.get(user=staff(SPECIALIST), confirmed=False)
    secret = re.search(r'<code id="otp-secret">([A-Z2-7 ]+)</code>', page)
    assert secret is not None
    assert len(secret.group(1).replace(" ", "")) == 32
    assert 'src="data:image/svg+xml' in page

    wrong = client.post("/can-bo/xac-thuc/dang-ky/", {"code": totp_now(device, steps_ahead=5)})
    assert wrong.status_code == 400
    assert "Mã xác thực không đúng" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    before = client.session.session_key
    right = client.post("/can-bo/xac-thuc/dang-ky/", {"code": totp_now(device), "next": "/can-bo/hop-thu/"})

    assert right["Location"] == "/can-bo/hop-thu/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.session.session_key != before
    assert client.get("/can-bo/hop-thu/").status_code == 200
    # Enrolled once: the enrolment page no longer hands out a new key.
    assert client.get("/can-bo/xac-thuc/dang-ky/")["Location"].startswith("/can-bo/xac-thuc/?next=")


def test_a_wrong_code_is_refused_and_recorded_and_pages_stay_closed(lao_cai: Procedure, required: None) -> None:
    device = enrolled(SPECIALIST)
    client = Client()
    sign_in(client, SPECIALIST, DEMO_PASSWORD)

    refused = client.post("/can-bo/xac-thuc/", {"code": totp_now(device, steps_ahead=-7)})

    assert refused.status_code == 400
    assert "Mã xác thực không đúng hoặc đã được dùng" in refused.content.decode()
    assert SignInEvent.objects.filter(kind=SignInEventKind.OTP_FAILURE, user=device.user).count() == 1
    assert client.get("/can-bo/hop-thu/").status_code == 302
    assert client.get("/api/v1/dossiers").status_code == 401


def test_the_right_code_admits_and_a_replayed_code_is_refused(lao_cai: Procedure, required: None) -> None:
    device = enrolled(SPECIALIST)
    code = totp_now(device)
    first = Client()
    sign_in(first, SPECIALIST, DEMO_PASSWORD)

    admitted = first.post("/can-bo/xac-thuc/", {"code": code, "next": "/can-bo/hop-thu/"})

    assert admitted["Location"] == "/can-bo/hop-thu/"
    assert first.get("/can-bo/hop-thu/").status_code == 200
    # Someone who watched the code and has the password cannot use it again in another session.
    second = Client()
    sign_in(second, SPECIALIST, DEMO_PASSWORD)
    replay = second.post("/can-bo/xac-thuc/", {"code": code})
    assert replay.status_code == 400
    assert second.get("/can-bo/hop-thu/").status_code == 302


def test_optional_mode_asks_only_staff_who_enrolled(lao_cai: Procedure, settings: Settings) -> None:
    settings.MOTCUA_STAFF_OTP = "optional"
    enrolled(SPECIALIST)
    with_device, without = Client(), Client()
    sign_in(with_device, SPECIALIST, DEMO_PASSWORD)
    sign_in(without, RECEPTION, DEMO_PASSWORD)

    assert with_device.get("/can-bo/hop-thu/")["Location"].startswith("/can-bo/xac-thuc/")
    assert without.get("/can-bo/tai-quay/").status_code == 200


def test_off_mode_asks_nobody(lao_cai: Procedure, settings: Settings) -> None:
    settings.MOTCUA_STAFF_OTP = "off"
    enrolled(SPECIALIST)
    client = Client()
    sign_in(client, SPECIALIST, DEMO_PASSWORD)
    assert client.get("/can-bo/hop-thu/").status_code == 200


def test_sign_out_stays_reachable_before_the_code(lao_cai: Procedure, required: None) -> None:
    client = Client()
    sign_in(client, SPECIALIST, DEMO_PASSWORD)
    assert client.post("/can-bo/dang-xuat/")["Location"] == reverse("dossiers:login")
    assert client.get("/can-bo/hop-thu/")["Location"].startswith("/can-bo/dang-nhap/")
