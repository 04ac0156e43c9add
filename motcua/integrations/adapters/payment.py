"""Payment gateway (DVCQG payment platform or the provincial gateway): payment links, signed callbacks."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any, Protocol

from django.conf import settings

from motcua.config import env
from motcua.integrations.transport import PartnerClient, PartnerError, expect_fields

PARTNER = "payment"
SIGNATURE_HEADER = "X-Signature"


class PaymentGateway(Protocol):
    def create_link(self, request: dict[str, Any], *, idempotency_key: str) -> str:
        """A payment link for the applicant (reference, amount, callback URL); the link."""


class HttpPaymentGateway:
    def __init__(self, client: PartnerClient) -> None:
        self.client = client

    def create_link(self, request: dict[str, Any], *, idempotency_key: str) -> str:
        status, reply = self.client.call("POST", "/links", body=request, idempotency_key=idempotency_key)
        if status >= 400:
            raise PartnerError(f"{PARTNER}: HTTP {status}: {reply}")
        return str(expect_fields(PARTNER, reply, "url")["url"])


def callback_secret() -> bytes:
    return (env("MOTCUA_PAYMENT_CALLBACK_SECRET") or f"payment-callback:{settings.SECRET_KEY}").encode()


def callback_signature(body: bytes, secret: bytes) -> str:
    """HMAC-SHA256 of the raw callback body, hex: what the gateway puts in `X-Signature`."""
    return hmac.new(secret, body, hashlib.sha256).hexdigest()


def callback_signature_valid(body: bytes, signature: str) -> bool:
    return hmac.compare_digest(callback_signature(body, callback_secret()), signature)
