"""Cổng Dịch vụ công quốc gia (DVCQG): the dossier sync (domain.md §1.3, §11.1)."""

from __future__ import annotations

from typing import Any, Protocol

from motcua.integrations.transport import PartnerClient, PartnerError, expect_fields

PARTNER = "dvcqg"
#: DVCQG's error for a create of a dossier it already has ("hồ sơ đã tồn tại"): update instead.
ALREADY_EXISTS = "HoSoDaTonTai"


class NationalPortal(Protocol):
    def sync_dossier(self, record: dict[str, Any], *, idempotency_key: str) -> dict[str, Any]:
        """Create the dossier on the portal, or update it if it is already there; the portal's reply."""


class HttpNationalPortal:
    def __init__(self, client: PartnerClient) -> None:
        self.client = client

    def sync_dossier(self, record: dict[str, Any], *, idempotency_key: str) -> dict[str, Any]:
        status, reply = self.client.call("POST", "/hoso", body=record, idempotency_key=idempotency_key)
        if status == 409 and isinstance(reply, dict) and reply.get("code") == ALREADY_EXISTS:
            status, reply = self.client.call(
                "PUT", f"/hoso/{record['MaHoSo']}", body=record, idempotency_key=idempotency_key
            )
        if status >= 400:
            raise PartnerError(f"{PARTNER}: HTTP {status}: {reply}")
        return expect_fields(PARTNER, reply, "MaHoSo", "TrangThaiHoSo")
