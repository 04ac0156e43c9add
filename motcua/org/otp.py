"""The staff second factor (xác thực hai lớp): a TOTP authenticator app, enrolled once, asked after the
password (django-otp). `MOTCUA_STAFF_OTP` says who must use it: everyone (required), those who enrolled
(optional), nobody (off)."""

from __future__ import annotations

from base64 import b32encode

import django_otp
import segno
from django.conf import settings
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.core.errors import Conflict, DomainError
from motcua.core.ratelimit import client_address
from motcua.org.models import StaffUser
from motcua.org.signin import otp_failure_record

#: Session key caching whether the signed-in user has a confirmed device (asked once per session).
ENROLLED_KEY = "_motcua_otp_enrolled"


class SecondFactorRequired(DomainError):
    code = "otp_required"
    status = 401
    message = "Cần nhập mã xác thực hai lớp (mã 6 số trên ứng dụng xác thực) trước khi tiếp tục."


class InvalidCode(DomainError):
    code = "otp_invalid"
    status = 400
    message = "Mã xác thực không đúng hoặc đã được dùng. Vui lòng nhập mã mới trên ứng dụng xác thực."


class AlreadyEnrolled(Conflict):
    code = "otp_already_enrolled"
    message = "Tài khoản đã có ứng dụng xác thực. Muốn đổi, đề nghị quản trị hệ thống xóa thiết bị cũ."


def is_verified(user: object) -> bool:
    """Whether this request's user entered a code in this session (set by django-otp's middleware)."""
    return getattr(user, "otp_device", None) is not None


def otp_device(user: StaffUser) -> TOTPDevice | None:
    """The user's confirmed authenticator, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def otp_needed(request: HttpRequest, user: StaffUser) -> bool:
    """Whether this signed-in user must enter a code before using the system."""
    mode = settings.MOTCUA_STAFF_OTP
    if mode == "off" or is_verified(user):
        return False
    if mode == "required":
        return True
    cached = request.session.get(ENROLLED_KEY)
    if not (isinstance(cached, list) and cached[:1] == [user.pk]):
        cached = [user.pk, otp_device(user) is not None]
        request.session[ENROLLED_KEY] = cached
    return bool(cached[1])


def otp_enrolment_start(*, user: StaffUser) -> TOTPDevice:
    """The unconfirmed authenticator of an enrolment under way (one per user), made on the first visit.
    Refused once the user has a confirmed one: a stolen password must not replace the second factor."""
    if otp_device(user) is not None:
        raise AlreadyEnrolled()
    device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=False, defaults={"name": "Ứng dụng xác thực"})
    return device


def otp_secret(device: TOTPDevice) -> str:
    """The key as authenticator apps take it by hand: base32, in groups of four."""
    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def otp_qr_data_uri(device: TOTPDevice) -> str:
    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=4, border=2))


def otp_verify(*, request: HttpRequest, user: StaffUser, token: str) -> TOTPDevice:
    """Check a code against the user's authenticator (or the one being enrolled, which it confirms) and mark
    the session verified under a new session key. A code is accepted once (django-otp keeps the last time
    step used, under a row lock); wrong codes are recorded and slow the device down."""
    device = otp_device(user)
    if device is None:
        device = otp_enrolment_start(user=user)
    code = "".join(token.split())
    verified = django_otp.verify_token(user, device.persistent_id, code) if code.isdigit() else None
    if verified is None:
        otp_failure_record(user=user, address=client_address(request))
        raise InvalidCode()
    if not verified.confirmed:
        verified.confirmed = True
        verified.save(update_fields=["confirmed"])
    django_otp.login(request, verified)
    # The session now carries more rights: a new key, so one planted or read before cannot ride on it.
    request.session.cycle_key()
    request.session[ENROLLED_KEY] = [user.pk, True]
    return verified
