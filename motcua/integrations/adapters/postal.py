"""Bưu chính công ích (VNPost): pickup and delivery of paper dossiers and results, tracking numbers.

The post books a pickup and answers with the tracking number; later it notifies the shipment's events to
the callback URL given with the booking, signed (`integrations.callbacks`); `delivered` ends the trip."""

from __future__ import annotations

from typing import Any, Protocol

from motcua.integrations.transport import PartnerClient, PartnerError, expect_fields

PARTNER = "post"
#: The event of a delivery notice that ends the trip.
DELIVERED = "delivered"


class PostalService(Protocol):
    def create_shipment(self, shipment: dict[str, Any], *, idempotency_key: str) -> str:
        """Book a pickup (sender, recipient, contents, callback URL); the tracking number."""


class HttpPostalService:
    def __init__(self, client: PartnerClient) -> None:
        self.client = client

    def create_shipment(self, shipment: dict[str, Any], *, idempotency_key: str) -> str:
        status, reply = self.client.call("POST", "/shipments", body=shipment, idempotency_key=idempotency_key)
        if status >= 400:
            raise PartnerError(f"{PARTNER}: HTTP {status}: {reply}")
        return str(expect_fields(PARTNER, reply, "tracking_number")["tracking_number"])
