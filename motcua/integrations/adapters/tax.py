"""Cơ quan thuế: the financial obligation of a dossier (state 6, domain.md §3)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from motcua.integrations.transport import PartnerClient, PartnerError, expect_fields

PARTNER = "tax"


@dataclass(frozen=True)
class Obligation:
    reference: str
    amount: int
    description: str


class TaxAuthority(Protocol):
    def assess(self, request: dict[str, Any], *, idempotency_key: str) -> Obligation:
        """The obligation the dossier's transfer creates (amount 0: none)."""


class HttpTaxAuthority:
    def __init__(self, client: PartnerClient) -> None:
        self.client = client

    def assess(self, request: dict[str, Any], *, idempotency_key: str) -> Obligation:
        status, reply = self.client.call("POST", "/assessments", body=request, idempotency_key=idempotency_key)
        if status >= 400:
            raise PartnerError(f"{PARTNER}: HTTP {status}: {reply}")
        data = expect_fields(PARTNER, reply, "reference", "amount", "description")
        return Obligation(str(data["reference"]), int(data["amount"]), str(data["description"]))
