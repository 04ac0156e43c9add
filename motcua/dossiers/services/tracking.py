"""The public tracking token printed as a QR code on the receipt (Mẫu 01).

The token is an HMAC of the dossier code and a per-dossier random salt under the installation's secret
key: nothing secret is stored in the table, the receipt can be reprinted with the same token, and a
retried reception (same idempotency key) answers the same token. Rotating the secret key invalidates
printed QR codes. `tracking_url` is the one place that spells the public tracking page's address.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from urllib.parse import quote, urlencode

from django.conf import settings

from motcua.config import env
from motcua.dossiers.models import Dossier

#: The portal's public tracking page (tra cứu hồ sơ), answered by the portal app.
TRACKING_PATH = "/tra-cuu-ho-so/"


def new_tracking_salt() -> str:
    return secrets.token_hex(16)


def tracking_token(dossier: Dossier) -> str:
    message = f"dossier-tracking:{dossier.code}:{dossier.tracking_salt}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


def tracking_token_matches(dossier: Dossier, token: str) -> bool:
    return hmac.compare_digest(tracking_token(dossier).encode(), token.encode())


def tracking_url(dossier: Dossier) -> str:
    """The absolute address printed as the QR code: `<MOTCUA_PUBLIC_BASE_URL>/tra-cuu-ho-so/<code>?token=…`."""
    base = env("MOTCUA_PUBLIC_BASE_URL").rstrip("/")
    return f"{base}{TRACKING_PATH}{quote(dossier.code)}?{urlencode({'token': tracking_token(dossier)})}"
