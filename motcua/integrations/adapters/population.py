"""CSDL quốc gia về dân cư / VNeID: look a citizen up by personal ID, verify name and birth date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from motcua.integrations.transport import MalformedReply, PartnerClient, PartnerError, expect_fields

PARTNER = "population"


@dataclass(frozen=True)
class Citizen:
    personal_id: str
    full_name: str
    birth_date: date
    sex: str
    address: str
    address_unit: str


class PopulationDatabase(Protocol):
    def citizen(self, personal_id: str) -> Citizen | None:
        """The citizen's record, None when the ID is unknown."""

    def verify(self, personal_id: str, full_name: str, birth_date: date) -> bool:
        """Whether the name and birth date match the ID."""


class HttpPopulationDatabase:
    def __init__(self, client: PartnerClient) -> None:
        self.client = client

    def citizen(self, personal_id: str) -> Citizen | None:
        status, reply = self.client.call("GET", f"/citizens/{personal_id}")
        if status == 404:
            return None
        if status >= 400:
            raise PartnerError(f"{PARTNER}: HTTP {status}")
        data = expect_fields(PARTNER, reply, "personal_id", "full_name", "birth_date", "sex", "address", "address_unit")
        try:
            born = date.fromisoformat(str(data["birth_date"]))
        except ValueError:
            raise MalformedReply(f"{PARTNER}: malformed reply: birth_date {data['birth_date']!r}") from None
        return Citizen(
            personal_id=str(data["personal_id"]),
            full_name=str(data["full_name"]),
            birth_date=born,
            sex=str(data["sex"]),
            address=str(data["address"]),
            address_unit=str(data["address_unit"]),
        )

    def verify(self, personal_id: str, full_name: str, birth_date: date) -> bool:
        body = {"personal_id": personal_id, "full_name": full_name, "birth_date": birth_date.isoformat()}
        status, reply = self.client.call("POST", "/verify", body=body)
        if status >= 400:
            raise PartnerError(f"{PARTNER}: HTTP {status}")
        return bool(expect_fields(PARTNER, reply, "match")["match"])
