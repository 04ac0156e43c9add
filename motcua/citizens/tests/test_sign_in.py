"""Citizen sign-in: claims to account, the simulator's endpoints, and failures as a page, never a 500."""

from __future__ import annotations

import base64
from urllib.parse import unquote

import pytest
from django.test import Client
from joserfc import jwt
from joserfc.jwk import KeySet

from motcua.citizens.models import Citizen
from motcua.citizens.oidc import client_id, client_secret
from motcua.citizens.services import citizen_sign_in
from motcua.core.errors import InvalidInput

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(tmp_path))


def test_claims_make_or_refresh_one_citizen() -> None:
    claims = {"sub": "s", "personal_id": "010190012345", "name": "Nguyễn Thị Lan", "birthdate": "1990-05-12"}
    citizen_sign_in(issuer="https://id.test", claims=claims)
    again = citizen_sign_in(issuer="https://id.test", claims={**claims, "phone_number": "0912345678"})
    assert Citizen.objects.count() == 1
    assert (again.phone, again.full_name) == ("0912345678", "Nguyễn Thị Lan")


@pytest.mark.parametrize(
    "claims",
    [
        {"personal_id": "123", "name": "A"},
        {"personal_id": "010190012345", "name": "A", "birthdate": "1985-01-01"},  # digits 4–6 say 1990
        {"personal_id": "010190012345", "name": " "},
    ],
)
def test_unusable_claims_are_refused(claims: dict[str, str]) -> None:
    with pytest.raises(InvalidInput):
        citizen_sign_in(issuer="https://id.test", claims=claims)
    assert not Citizen.objects.exists()


def test_the_simulator_issues_a_signed_id_token_for_a_chosen_identity(client: Client) -> None:
    discovery = client.get("/vneid-sim/.well-known/openid-configuration").json()
    assert discovery["issuer"] == "http://testserver/vneid-sim"
    redirect_uri = "http://testserver/dang-nhap/vneid/"
    chosen = client.post(
        "/vneid-sim/authorize",
        {
            "client_id": client_id(),
            "redirect_uri": redirect_uri,
            "state": "st",
            "nonce": "nn",
            "personal_id": "010190012345",
        },
    )
    assert chosen.status_code == 302
    code = chosen["Location"].split("code=")[1].split("&")[0]
    basic = base64.b64encode(f"{client_id()}:{client_secret()}".encode()).decode()

    token = client.post(
        "/vneid-sim/token",
        {"grant_type": "authorization_code", "code": unquote(code), "redirect_uri": redirect_uri},
        HTTP_AUTHORIZATION=f"Basic {basic}",
    ).json()

    keys = KeySet.import_key_set(client.get("/vneid-sim/jwks").json())
    claims = jwt.decode(token["id_token"], keys).claims
    assert (claims["personal_id"], claims["nonce"], claims["aud"]) == ("010190012345", "nn", client_id())
    info = client.get("/vneid-sim/userinfo", HTTP_AUTHORIZATION=f"Bearer {token['access_token']}").json()
    assert info["name"] == "Nguyễn Thị Lan"


def test_the_simulator_refuses_unknown_clients_and_codes(client: Client) -> None:
    assert (
        client.get("/vneid-sim/authorize", {"client_id": "other", "redirect_uri": "http://evil.test/"}).status_code
        == 400
    )
    bad_client = client.post(
        "/vneid-sim/token", {"code": "x"}, HTTP_AUTHORIZATION="Basic " + base64.b64encode(b"a:b").decode()
    )
    assert bad_client.status_code == 401
    bad_code = client.post(
        "/vneid-sim/token", {"code": "x", "client_id": client_id(), "client_secret": client_secret()}
    )
    assert bad_code.status_code == 400
    assert client.get("/vneid-sim/userinfo", HTTP_AUTHORIZATION="Bearer forged").status_code == 401


def test_a_callback_without_a_started_sign_in_is_a_page_not_a_500(client: Client) -> None:
    response = client.get("/dang-nhap/vneid/?code=x&state=forged")
    assert response.status_code == 502
    assert "Đăng nhập không thành công" in response.content.decode()


def test_the_simulator_can_be_switched_off(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTCUA_OIDC_SIMULATOR", "0")
    assert client.get("/vneid-sim/jwks").status_code == 404


def test_signing_out_forgets_the_citizen(client: Client) -> None:
    session = client.session
    session["citizen_personal_id"] = "010190012345"
    session.save()
    assert client.post("/dang-xuat/").status_code == 302
    assert "citizen_personal_id" not in client.session
