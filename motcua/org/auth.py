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


def _token_user_sql() -> str:
    """The active user of a token not revoked: written out once, as every API request asks it (the
    query's compilation cost three times its execution)."""
    user, token = StaffUser._meta, ApiToken._meta
    columns = ", ".join(f'u."{f.column}"' for f in user.concrete_fields)
    return (
        f'SELECT {columns} FROM "{user.db_table}" u JOIN "{token.db_table}" t ON t."user_id" = u."id" '  # noqa: S608 - names from the models
        'WHERE t."key_hash" = %s AND t."revoked_at" IS NULL AND u."is_active" LIMIT 1'
    )


_TOKEN_USER_SQL = _token_user_sql()


class StaffTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> StaffUser | None:
        user = next(iter(StaffUser.objects.raw(_TOKEN_USER_SQL, [hash_token(token)])), None)
        if user is None:
            # Guessing tokens from one address stops after a few misses (HTTP 429); a valid token costs nothing.
            token_failure_record(address=client_address(request))
            return None
        request.user = user
        return user


staff_auth = StaffTokenAuth()
