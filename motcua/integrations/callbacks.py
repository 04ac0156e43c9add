"""Signed callbacks from partners (payment gateway, public post): HMAC-SHA256 of the raw body, hex, in
`X-Signature`, with a shared secret per partner."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

from motcua.config import env

SIGNATURE_HEADER = "X-Signature"
#: The setting holding each calling partner's shared secret (empty: derived from the secret key).
_SECRETS = {"payment": "MOTCUA_PAYMENT_CALLBACK_SECRET", "post": "MOTCUA_POSTAL_CALLBACK_SECRET"}


def callback_secret(partner: str) -> bytes:
    return (env(_SECRETS[partner]) or f"{partner}-callback:{settings.SECRET_KEY}").encode()


def callback_secrets() -> dict[str, bytes]:
    """Every calling partner's secret (the simulators sign with them)."""
    return {partner: callback_secret(partner) for partner in _SECRETS}


def callback_signature(body: bytes, secret: bytes) -> str:
    """What the partner puts in `X-Signature`."""
    return hmac.new(secret, body, hashlib.sha256).hexdigest()


def callback_signature_valid(partner: str, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(callback_signature(body, callback_secret(partner)), signature)
