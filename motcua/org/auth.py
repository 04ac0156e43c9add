"""Bearer-token authentication for the staff API."""

from __future__ import annotations

import hashlib

from django.db import connection
from django.http import HttpRequest
from ninja.security import HttpBearer

from motcua.core.prepared import prepared_cursor
from motcua.core.ratelimit import client_address
from motcua.org.models import ApiToken, StaffUser
from motcua.org.signin import token_failure_record


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


#: What a request needs of its user; the password hash and login times stay deferred (read if ever used).
_USER_FIELDS = [
    f for f in StaffUser._meta.concrete_fields if f.attname not in {"password", "last_login", "date_joined"}
]
_USER_ATTNAMES = [f.attname for f in _USER_FIELDS]


def _token_user_sql() -> str:
    """The active user of a token not revoked: written out once and prepared (`core.prepared`), as every
    API request asks it (building the ORM query cost three times running it)."""
    user, token = StaffUser._meta, ApiToken._meta
    columns = ", ".join(f'u."{f.column}"' for f in _USER_FIELDS)
    return (
        f'SELECT {columns} FROM "{user.db_table}" u JOIN "{token.db_table}" t ON t."user_id" = u."id" '  # noqa: S608 - names from the models
        'WHERE t."key_hash" = %s AND t."revoked_at" IS NULL AND u."is_active" LIMIT 1'
    )


_TOKEN_USER_SQL = _token_user_sql()


class StaffTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> StaffUser | None:
        with prepared_cursor() as cursor:
            cursor.execute(_TOKEN_USER_SQL, [hash_token(token)])
            row = cursor.fetchone()
        if row is None:
            # Guessing tokens from one address stops after a few misses (HTTP 429); a valid token costs nothing.
            token_failure_record(address=client_address(request))
            return None
        user = StaffUser.from_db(connection.alias, _USER_ATTNAMES, row)
        request.user = user
        return user


staff_auth = StaffTokenAuth()
