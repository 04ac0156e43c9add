"""Payment gateway (DVCQG payment platform or the provincial gateway): payment links; its signed callbacks
are checked with `integrations.callbacks`."""

from __future__ import annotations

from typing import Any, Protocol

from motcua.integrations.transport import PartnerClient, PartnerError, expect_fields

PARTNER = "payment"


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
