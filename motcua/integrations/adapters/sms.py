"""SMS gateway (brandname SMS): status notices to applicants."""

from __future__ import annotations

from typing import Protocol

from motcua.integrations.transport import PartnerClient, PartnerError, expect_fields

PARTNER = "sms"


class SmsGateway(Protocol):
    def send(self, to: str, text: str, *, idempotency_key: str) -> str:
        """Send one message; the gateway's message id."""


class HttpSmsGateway:
    def __init__(self, client: PartnerClient) -> None:
        self.client = client

    def send(self, to: str, text: str, *, idempotency_key: str) -> str:
        status, reply = self.client.call(
            "POST", "/messages", body={"to": to, "text": text}, idempotency_key=idempotency_key
        )
        if status >= 400:
            raise PartnerError(f"{PARTNER}: HTTP {status}: {reply}")
        return str(expect_fields(PARTNER, reply, "message_id")["message_id"])
