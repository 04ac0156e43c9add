"""Công an: residence data (xác nhận thông tin cư trú)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from motcua.integrations.transport import PartnerClient, PartnerError, expect_fields

PARTNER = "residence"


@dataclass(frozen=True)
class Residence:
    personal_id: str
    permanent_address: str
    unit_code: str


class ResidenceRegistry(Protocol):
    def confirm_residence(self, personal_id: str) -> Residence | None:
        """The permanent residence on record, None when there is none."""


class HttpResidenceRegistry:
    def __init__(self, client: PartnerClient) -> None:
        self.client = client

    def confirm_residence(self, personal_id: str) -> Residence | None:
        status, reply = self.client.call("GET", f"/residents/{personal_id}")
        if status == 404:
            return None
        if status >= 400:
            raise PartnerError(f"{PARTNER}: HTTP {status}")
        data = expect_fields(PARTNER, reply, "permanent_address", "unit_code")
        return Residence(personal_id, str(data["permanent_address"]), str(data["unit_code"]))
