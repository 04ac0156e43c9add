"""Signing a citizen in from the identity provider's claims."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from motcua.citizens.models import Citizen
from motcua.config import env
from motcua.core.errors import InvalidInput
from motcua.dossiers.identity import parse_personal_id


def citizen_sign_in(*, issuer: str, claims: dict[str, Any], now: datetime | None = None) -> Citizen:
    """Create or refresh the citizen named by the provider's verified claims (ID token plus userinfo)."""
    personal_id = str(claims.get(env("MOTCUA_OIDC_PERSONAL_ID_CLAIM")) or "")
    birth_date = _date(claims.get("birthdate"))
    parse_personal_id(personal_id, birth_date=birth_date)
    name = str(claims.get("name") or "").strip()
    if not name:
        raise InvalidInput("Nhà cung cấp định danh không trả về họ tên.", code="oidc_missing_name")
    with transaction.atomic():
        citizen, _ = Citizen.objects.select_for_update().update_or_create(
            personal_id=personal_id,
            defaults={
                "subject": str(claims.get("sub") or ""),
                "issuer": issuer,
                "full_name": name,
                "birth_date": birth_date,
                "phone": str(claims.get("phone_number") or ""),
                "email": str(claims.get("email") or ""),
                "address": _address(claims.get("address")),
                "identity_level": int(claims.get("identity_level") or 0),
                "last_sign_in_at": now or timezone.now(),
            },
        )
    return citizen


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _address(value: object) -> str:
    # OIDC's standard `address` claim is an object with a `formatted` member.
    if isinstance(value, dict):
        return str(value.get("formatted") or "")
    return str(value or "")
