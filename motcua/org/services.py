"""Writes to the organization (tokens; units, centers and staff come from `org.demo` and the admin)."""

from __future__ import annotations

import secrets

from django.db import transaction

from motcua.core.errors import NotFound
from motcua.org.auth import hash_token
from motcua.org.models import ApiToken, StaffUser


@transaction.atomic
def api_token_create(*, username: str, name: str = "") -> str:
    """Create a token for `username` and return the secret (shown once; only its hash is kept)."""
    user = StaffUser.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise NotFound(f"Không có tài khoản cán bộ '{username}'.", code="unknown_user", username=username)
    raw = "mc_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=hash_token(raw), prefix=raw[:8], name=name)
    return raw
