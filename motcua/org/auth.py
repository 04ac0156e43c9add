"""Bearer-token authentication for the staff API."""

from __future__ import annotations

import hashlib

from django.http import HttpRequest
from ninja.security import HttpBearer

from motcua.core.ratelimit import client_address
from motcua.org.models import ApiToken, StaffUser
from motcua.org.signin import token_failure_record


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
            # Guessing tokens from one address stops after a few misses (HTTP 429); a valid token costs nothing.
            token_failure_record(address=client_address(request))
            return None
        request.user = found.user
        return found.user


staff_auth = StaffTokenAuth()
