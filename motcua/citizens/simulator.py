"""A local stand-in for VNeID's OpenID Connect provider, for the demo and the tests (`MOTCUA_OIDC_SIMULATOR`).

Discovery, authorization (pick a demo identity, no password), token (authorization code → access token
and an RS256-signed ID token carrying the nonce), userinfo and JWKS: what the portal's client needs, over
real HTTP. Codes and access tokens are signed with Django's signing (no table), valid five minutes; the
RSA key is generated once into `MOTCUA_DATA_DIR`, so every server process signs with the same key.
"""

from __future__ import annotations

import base64
import hmac
import json
import os
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from joserfc import jwt
from joserfc.jwk import RSAKey

from motcua.citizens.oidc import SIMULATOR_PATH, client_id, client_secret
from motcua.config import data_dir, env_bool

LIFETIME_S = 300
_KID = "vneid-sim-1"

#: Demo people (personal IDs valid for their birth dates, Circular 59/2021 Art. 7).
IDENTITIES: dict[str, dict[str, Any]] = {
    "010190012345": {
        "name": "Nguyễn Thị Lan",
        "birthdate": "1990-05-12",
        "phone_number": "0912345678",
        "email": "lan.nguyen@example.vn",
        "address": {"formatted": "Tổ 5, phường Cam Đường, tỉnh Lào Cai"},
    },
    "015085001234": {
        "name": "Trần Văn Minh",
        "birthdate": "1985-03-02",
        "phone_number": "0987654321",
        "email": "",
        "address": {"formatted": "Thôn Làng Mới, xã Bảo Yên, tỉnh Lào Cai"},
    },
    "010301004567": {
        "name": "Lò Thị Hoa",
        "birthdate": "2001-09-20",
        "phone_number": "0363636363",
        "email": "",
        "address": {"formatted": "Bản Cát Cát, xã Sa Pa, tỉnh Lào Cai"},
    },
}


def _enabled() -> None:
    if not env_bool("MOTCUA_OIDC_SIMULATOR"):
        raise Http404


def _issuer(request: HttpRequest) -> str:
    return request.build_absolute_uri(SIMULATOR_PATH)


def _key() -> RSAKey:
    path = data_dir() / "vneid-simulator-key.json"
    if not path.exists():
        _write_new_key(path)
    return RSAKey.import_key(json.loads(path.read_text()))


def _write_new_key(path: Path) -> None:
    private = RSAKey.generate_key(2048, parameters={"kid": _KID}, private=True).as_dict(private=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(private))
    tmp.chmod(0o600)
    # Two processes racing here each write a whole key; the first rename wins for both afterwards.
    if not path.exists():
        os.replace(tmp, path)
    else:
        tmp.unlink()


def _claims(personal_id: str) -> dict[str, Any]:
    return {"sub": f"vneid-{personal_id}", "personal_id": personal_id, "identity_level": 2, **IDENTITIES[personal_id]}


@require_GET
def discovery(request: HttpRequest) -> JsonResponse:
    _enabled()
    issuer = _issuer(request)
    return JsonResponse(
        {
            "issuer": issuer,
            "authorization_endpoint": f"{issuer}/authorize",
            "token_endpoint": f"{issuer}/token",
            "userinfo_endpoint": f"{issuer}/userinfo",
            "jwks_uri": f"{issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "scopes_supported": ["openid", "profile"],
        }
    )


@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    _enabled()
    return JsonResponse({"keys": [_key().as_dict(private=False)]})


@require_http_methods(["GET", "POST"])
def authorize(request: HttpRequest) -> HttpResponse:
    _enabled()
    params = request.POST if request.method == "POST" else request.GET
    redirect_uri = params.get("redirect_uri", "")
    if params.get("client_id") != client_id() or urlsplit(redirect_uri).netloc != request.get_host():
        return render(request, "citizens/simulator_error.html", status=400)
    if request.method == "POST" and params.get("personal_id") in IDENTITIES:
        code = signing.dumps(
            {"pid": params["personal_id"], "nonce": params.get("nonce", ""), "redirect_uri": redirect_uri},
            salt="vneid-sim-code",
        )
        return redirect(f"{redirect_uri}?{urlencode({'code': code, 'state': params.get('state', '')})}")
    return render(
        request,
        "citizens/simulator_authorize.html",
        {
            "identities": IDENTITIES,
            "params": {k: params.get(k, "") for k in ("client_id", "redirect_uri", "state", "nonce")},
        },
    )


@csrf_exempt
@require_POST
def token(request: HttpRequest) -> JsonResponse:
    _enabled()
    if not _client_authenticated(request):
        return JsonResponse({"error": "invalid_client"}, status=401)
    try:
        grant = signing.loads(request.POST.get("code", ""), salt="vneid-sim-code", max_age=LIFETIME_S)
    except signing.BadSignature:
        return JsonResponse({"error": "invalid_grant"}, status=400)
    if grant["redirect_uri"] != request.POST.get("redirect_uri"):
        return JsonResponse({"error": "invalid_grant"}, status=400)
    now = int(time.time())
    claims = {
        **_claims(grant["pid"]),
        "iss": _issuer(request),
        "aud": client_id(),
        "iat": now,
        "exp": now + LIFETIME_S,
        "auth_time": now,
        "nonce": grant["nonce"],
    }
    id_token = jwt.encode({"alg": "RS256", "kid": _KID}, claims, _key())
    access = signing.dumps({"pid": grant["pid"]}, salt="vneid-sim-access")
    return JsonResponse(
        {"access_token": access, "token_type": "Bearer", "expires_in": LIFETIME_S, "id_token": id_token}
    )


@require_GET
def userinfo(request: HttpRequest) -> JsonResponse:
    _enabled()
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    try:
        grant = signing.loads(value, salt="vneid-sim-access", max_age=LIFETIME_S)
    except signing.BadSignature:
        return JsonResponse({"error": "invalid_token"}, status=401)
    if scheme.lower() != "bearer":
        return JsonResponse({"error": "invalid_token"}, status=401)
    return JsonResponse(_claims(grant["pid"]))


def _client_authenticated(request: HttpRequest) -> bool:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "basic":
        try:
            cid, _, secret = base64.b64decode(value).decode().partition(":")
        except ValueError:
            return False
    else:
        cid, secret = request.POST.get("client_id", ""), request.POST.get("client_secret", "")
    return cid == client_id() and hmac.compare_digest(secret.encode(), client_secret().encode())
