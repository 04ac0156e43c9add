"""The OpenID Connect client of citizen sign-in (VNeID or any compatible provider), through Authlib.

Authlib rather than mozilla-django-oidc: the latter logs people in as `AUTH_USER_MODEL`, which here is the
staff account; Authlib's client only runs the code flow (state, nonce, ID token signature against the
provider's JWKS, issuer, audience, expiry) and leaves the account to `citizen_sign_in`. Everything comes
from the `MOTCUA_OIDC_*` settings; an empty issuer means the built-in simulator on this same site.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.http import HttpRequest

from motcua.config import env

SIMULATOR_PATH = "/vneid-sim"

_clients: dict[tuple[str, str, str, str], Any] = {}


def issuer_url(request: HttpRequest) -> str:
    return env("MOTCUA_OIDC_ISSUER").rstrip("/") or request.build_absolute_uri(SIMULATOR_PATH)


def client_id() -> str:
    return env("MOTCUA_OIDC_CLIENT_ID")


def client_secret() -> str:
    """The configured secret, or one derived from the installation's key that the simulator also knows."""
    configured = env("MOTCUA_OIDC_CLIENT_SECRET")
    if configured:
        return configured
    return hmac.new(settings.SECRET_KEY.encode(), b"vneid-simulator-client", hashlib.sha256).hexdigest()


def oidc_client(request: HttpRequest) -> Any:
    """The Authlib client for the configured provider; its discovery document is fetched once per process."""
    key = (issuer_url(request), client_id(), client_secret(), env("MOTCUA_OIDC_SCOPES"))
    if key not in _clients:
        issuer, cid, secret, scopes = key
        _clients[key] = OAuth().register(
            "vneid",
            client_id=cid,
            client_secret=secret,
            server_metadata_url=f"{issuer}/.well-known/openid-configuration",
            client_kwargs={"scope": scopes},
        )
    return _clients[key]
