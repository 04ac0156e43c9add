"""Bảo hiểm xã hội: insurance status of a citizen (the birth–residence–health insurance package)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from motcua.integrations.transport import PartnerClient, PartnerError, expect_fields

PARTNER = "bhxh"


@dataclass(frozen=True)
class Insurance:
    personal_id: str
    insurance_number: str
    health_card_valid_to: str


class SocialInsurance(Protocol):
    def insured(self, personal_id: str) -> Insurance | None:
        """The citizen's insurance record, None when not insured."""


class HttpSocialInsurance:
    def __init__(self, client: PartnerClient) -> None:
        self.client = client

    def insured(self, personal_id: str) -> Insurance | None:
        status, reply = self.client.call("GET", f"/insured/{personal_id}")
        if status == 404:
            return None
        if status >= 400:
            raise PartnerError(f"{PARTNER}: HTTP {status}")
        data = expect_fields(PARTNER, reply, "insurance_number", "health_card_valid_to")
        return Insurance(personal_id, str(data["insurance_number"]), str(data["health_card_valid_to"]))
