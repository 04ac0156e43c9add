"""Bad API bearer tokens are counted per client address: past the limit that address gets HTTP 429
(`rate_limited`), each counted miss is in the sign-in log, other addresses and valid tokens go on."""

from __future__ import annotations

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from conftest import ReliabilityFigure
from motcua.org.models import SignInEvent, SignInEventKind
from motcua.org.services import api_token_create
from motcua.org.tests.factories import StaffUserFactory

#: Any staff endpoint: the token is checked before anything else.
URL = "/api/v1/integrations/outbox"


def call(client: Client, token: str) -> int:
    return client.get(URL, headers={"Authorization": f"Bearer {token}"}).status_code


@pytest.mark.django_db
def test_bad_tokens_from_one_address_are_throttled(settings: Settings, reliability_figure: ReliabilityFigure) -> None:
    settings.MOTCUA_TOKEN_LIMIT_ADDRESS = "4/600"
    prober = Client(REMOTE_ADDR="203.0.113.9")

    statuses = [call(prober, f"mc_guess{n}") for n in range(6)]

    reliability_figure(
        "Access and sign-in", "invalid API tokens answered before HTTP 429 (limit 4)", statuses.index(429), "4"
    )
    assert statuses == [401, 401, 401, 401, 429, 429]
    limited = prober.get(URL, headers={"Authorization": "Bearer mc_guess9"})
    assert limited.json()["error"]["code"] == "rate_limited"
    assert "mã truy cập" in limited.json()["error"]["message"]
    events = SignInEvent.objects.filter(kind=SignInEventKind.TOKEN_FAILURE)
    assert {event.address for event in events} == {"203.0.113.9"}
    assert events.count() == 4  # the misses past the limit are refused, not logged one by one
    # Another address is not held back by this one's guesses, and a valid token still works.
    assert call(Client(REMOTE_ADDR="198.51.100.1"), "mc_typo") == 401
    officer = StaffUserFactory.create(username="admin.test", system_admin=True)
    assert call(prober, api_token_create(username=officer.username)) == 200
