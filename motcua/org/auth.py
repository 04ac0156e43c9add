"""Bearer-token authentication for the staff API."""

from __future__ import annotations

import hashlib

from django.http import HttpRequest
from ninja.security import HttpBearer

from motcua.org.models import ApiToken, StaffUser


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class StaffTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> StaffUser | None:
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        request.user = found.user
        return found.user


staff_auth = StaffTokenAuth()
