"""Văn phòng đăng ký đất đai: parcel data for land dossiers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from motcua.integrations.transport import PartnerClient, PartnerError, expect_fields

PARTNER = "land"


@dataclass(frozen=True)
class Parcel:
    unit_code: str
    map_sheet: str
    parcel_number: str
    area_m2: float
    land_use: str
    holder: str


class LandRegistry(Protocol):
    def parcel(self, unit_code: str, map_sheet: str, parcel_number: str) -> Parcel | None:
        """The parcel (thửa đất) on a map sheet (tờ bản đồ) of a commune, None when unknown."""


class HttpLandRegistry:
    def __init__(self, client: PartnerClient) -> None:
        self.client = client

    def parcel(self, unit_code: str, map_sheet: str, parcel_number: str) -> Parcel | None:
        status, reply = self.client.call("GET", f"/parcels/{unit_code}/{map_sheet}/{parcel_number}")
        if status == 404:
            return None
        if status >= 400:
            raise PartnerError(f"{PARTNER}: HTTP {status}")
        data = expect_fields(PARTNER, reply, "area_m2", "land_use", "holder")
        return Parcel(
            unit_code, map_sheet, parcel_number, float(data["area_m2"]), str(data["land_use"]), str(data["holder"])
        )
