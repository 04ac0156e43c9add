"""Staff sign-in throttling and lockout (staff pages, queue counters, admin) and bad API tokens.

Failures are counted per user name and per client address with the database counters of
`core.ratelimit`, so every server process sees the same count. Reaching a limit writes a lockout
(`SignInEvent` of kind lockout, with its end); while one holds, the password is not even checked.
Everything is keyed by what was typed, never by whether the account exists: an unknown name fails,
counts and locks exactly like a known one, and the message never tells them apart.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from motcua.config import env
from motcua.core.ratelimit import Limit, RateLimited, client_address, ratelimit_count
from motcua.org.models import SignInEvent, SignInEventKind, SignInScope, StaffUser

INVALID_LOGIN = "Tên đăng nhập hoặc mật khẩu không đúng."
LOCKED = "Đăng nhập tạm thời bị khóa vì nhập sai nhiều lần. Vui lòng thử lại sau {minutes} phút."


class TokensRateLimited(RateLimited):
    message = "Quá nhiều lần dùng mã truy cập (token) không hợp lệ từ máy này. Vui lòng thử lại sau ít phút."


def _name(username: str) -> str:
    # Case and spaces do not make a new name to guess under.
    return username.strip().casefold()[:150]


def signin_locked(*, username: str, address: str, now: datetime | None = None) -> bool:
    """Whether a lockout of this user name or of this client address still holds."""
    return SignInEvent.objects.filter(
        Q(scope=SignInScope.USERNAME, username=_name(username)) | Q(scope=SignInScope.ADDRESS, address=address),
        kind=SignInEventKind.LOCKOUT,
        locked_until__gt=now or timezone.now(),
    ).exists()


def signin_failure_record(*, username: str, address: str, now: datetime | None = None) -> bool:
    """Record one failed password sign-in and count it; lock the name or the address out when it reaches
    its limit. Returns whether a lockout was written."""
    at = now or timezone.now()
    name = _name(username)
    limits = {
        SignInScope.USERNAME: (name, Limit.parse(settings.MOTCUA_SIGNIN_LIMIT_USERNAME)),
        SignInScope.ADDRESS: (address, Limit.parse(settings.MOTCUA_SIGNIN_LIMIT_ADDRESS)),
    }
    locked_until = at + timedelta(minutes=settings.MOTCUA_SIGNIN_LOCKOUT_MINUTES)
    locked = False
    with transaction.atomic():
        account = StaffUser.objects.filter(username__iexact=username.strip()).first() if name else None
        SignInEvent.objects.create(at=at, kind=SignInEventKind.FAILURE, username=name, user=account, address=address)
        for scope, (key, limit) in limits.items():
            if ratelimit_count(scope=f"signin-{scope}", key=key, limit=limit, now=at, add=1) >= limit.hits:
                SignInEvent.objects.create(
                    at=at,
                    kind=SignInEventKind.LOCKOUT,
                    scope=scope,
                    username=name if scope == SignInScope.USERNAME else "",
                    user=account if scope == SignInScope.USERNAME else None,
                    address=address,
                    locked_until=locked_until,
                )
                locked = True
    return locked


def otp_failure_record(*, user: StaffUser, address: str) -> None:
    SignInEvent.objects.create(
        at=timezone.now(), kind=SignInEventKind.OTP_FAILURE, username=_name(user.username), user=user, address=address
    )


def token_failure_record(*, address: str) -> None:
    """Count one invalid bearer token from this address; `TokensRateLimited` (HTTP 429) past the limit.
    Failures are recorded up to the limit, so a flood of guesses cannot fill the log."""
    limit = Limit.parse(settings.MOTCUA_TOKEN_LIMIT_ADDRESS)
    with transaction.atomic():
        hits = ratelimit_count(scope="token-failure", key=address, limit=limit, add=1)
        if hits <= limit.hits:
            SignInEvent.objects.create(at=timezone.now(), kind=SignInEventKind.TOKEN_FAILURE, address=address)
    if hits > limit.hits:
        raise TokensRateLimited(retry_after_s=limit.seconds)


class ThrottledModelBackend(ModelBackend):
    """Django's password check behind the lockout; every `authenticate()` of the project comes here."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> StaffUser | None:
        typed = username if username is not None else kwargs.get(StaffUser.USERNAME_FIELD)
        if typed is None or password is None:
            return None
        address = client_address(request) if request is not None else "local"
        if signin_locked(username=typed, address=address):
            return None
        user = super().authenticate(request, username=typed, password=password)
        if user is None:
            signin_failure_record(username=typed, address=address)
        return user


class ThrottledSignInMixin:
    """The refusal message of a sign-in form: the same for an unknown name and a wrong password, and a
    lockout message once the name or the address is locked."""

    request: HttpRequest | None
    cleaned_data: dict[str, Any]

    def get_invalid_login_error(self) -> ValidationError:
        address = client_address(self.request) if self.request is not None else "local"
        if signin_locked(username=self.cleaned_data.get("username") or "", address=address):
            minutes = settings.MOTCUA_SIGNIN_LOCKOUT_MINUTES
            return ValidationError(LOCKED.format(minutes=minutes), code="locked")
        return ValidationError(INVALID_LOGIN, code="invalid_login")


class StaffSignInForm(ThrottledSignInMixin, AuthenticationForm):
    """Sign-in of the staff pages and the queue counters."""


class AdminSignInForm(ThrottledSignInMixin, AdminAuthenticationForm):
    """Sign-in of the admin (which also refuses accounts without admin access)."""


def sign_in_events_purge(*, now: datetime | None = None) -> int:
    """Delete the sign-in log rows older than `MOTCUA_SIGNIN_LOG_DAYS` (Decree 13/2023: the names typed and
    the addresses are personal data, kept no longer than the review needs); a lockout still running stays."""
    days = int(env("MOTCUA_SIGNIN_LOG_DAYS"))
    if days <= 0:
        return 0
    at = now or timezone.now()
    expired = SignInEvent.objects.filter(at__lt=at - timedelta(days=days)).exclude(locked_until__gt=at)
    deleted, _ = expired.delete()
    return deleted
