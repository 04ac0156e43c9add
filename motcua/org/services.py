"""Writes to the organization: administrative units, API tokens.

Centers, agencies and staff of the demo come from `org.demo`; officers maintain them in the admin.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from motcua.core.errors import InvalidInput, NotFound
from motcua.org.auth import hash_token
from motcua.org.models import AdministrativeUnit, ApiToken, Province, StaffUser
from motcua.org.upsert import upsert

#: The 34 provinces and 3,321 communes after the 2025 reorganisation, shipped with the code.
UNITS_FILE = Path(__file__).resolve().parent / "data" / "vn-2025.json"


@dataclass(frozen=True)
class UnitsLoadResult:
    provinces: int
    units: int
    created: int
    updated: int

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


@transaction.atomic
def units_load(*, path: Path = UNITS_FILE) -> UnitsLoadResult:
    """Load provinces and commune-level units (đơn vị hành chính cấp xã) from the national list.

    An upsert by code that writes only rows that are new or differ, so a re-run changes nothing.
    """
    provinces, units = _read_units_file(path)
    count = upsert(Province, provinces, key="code", fields=("name", "type"))
    count += upsert(AdministrativeUnit, units, key="code", fields=("name", "type", "province_id"))
    return UnitsLoadResult(provinces=len(provinces), units=len(units), created=count.created, updated=count.updated)


def _read_units_file(path: Path) -> tuple[list[Province], list[AdministrativeUnit]]:
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        provinces = [Province(code=p["code"], name=p["name"], type=p["type"]) for p in data["provinces"]]
        units = [
            AdministrativeUnit(code=u["code"], name=u["name"], type=u["type"], province_id=p["code"])
            for p in data["provinces"]
            for u in p["units"]
        ]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InvalidInput(
            f"Không đọc được danh mục đơn vị hành chính '{path}'.", code="invalid_units_file", path=str(path)
        ) from exc
    return provinces, units


@transaction.atomic
def api_token_create(*, username: str, name: str = "") -> str:
    """Create a token for `username` and return the secret (shown once; only its hash is kept)."""
    user = StaffUser.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise NotFound(f"Không có tài khoản cán bộ '{username}'.", code="unknown_user", username=username)
    raw = "mc_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=hash_token(raw), prefix=raw[:8], name=name)
    return raw


@transaction.atomic
def api_tokens_revoke(*, token_ids: list[int]) -> int:
    """Revoke tokens (they stop authenticating at once); return how many were still active."""
    return ApiToken.objects.filter(pk__in=token_ids, revoked_at__isnull=True).update(revoked_at=timezone.now())
