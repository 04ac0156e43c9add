"""API tokens: `create_token` prints a secret once; bearer authentication accepts only live tokens."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from motcua.org.auth import StaffTokenAuth, hash_token
from motcua.org.models import ApiToken, StaffUser
from motcua.org.services import api_tokens_revoke
from motcua.org.tests.factories import StaffUserFactory


def _create_token(username: str) -> str:
    out = StringIO()
    call_command("create_token", username, stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def officer(db: None) -> StaffUser:
    return StaffUserFactory.create(username="reception.02647", reception=True)


def test_command_prints_a_secret_and_stores_only_its_hash(officer: StaffUser) -> None:
    token = _create_token(officer.username)

    stored = ApiToken.objects.get(user=officer)
    assert token.startswith("mc_")
    assert stored.prefix == token[:8]
    assert stored.key_hash == hash_token(token)
    assert token not in {stored.key_hash, stored.name}


@pytest.mark.django_db
def test_command_refuses_an_unknown_user() -> None:
    with pytest.raises(CommandError, match="nobody"):
        _create_token("nobody")


def test_bearer_auth_returns_the_officer_of_a_live_token(officer: StaffUser, rf: RequestFactory) -> None:
    token = _create_token(officer.username)
    request = rf.get("/api/v1/dossiers")

    user = StaffTokenAuth().authenticate(request, token)

    assert user == officer
    assert request.user == officer
    # Every field a request uses, as the ORM reads it; the password hash and login times only when asked for.
    assert user is not None
    for name in ("username", "role", "center_id", "agency_id", "province_id", "is_active", "first_name", "email"):
        assert getattr(user, name) == getattr(officer, name), name
    assert user.get_deferred_fields() == {"password", "last_login", "date_joined"}
    assert user.password == StaffUser.objects.get(pk=officer.pk).password


def test_bearer_auth_refuses_wrong_revoked_and_inactive(officer: StaffUser, rf: RequestFactory) -> None:
    auth = StaffTokenAuth()
    token = _create_token(officer.username)
    assert auth.authenticate(rf.get("/"), token + "x") is None

    other = _create_token(officer.username)
    api_tokens_revoke(token_ids=[ApiToken.objects.get(key_hash=hash_token(other)).pk])
    assert auth.authenticate(rf.get("/"), other) is None
    assert auth.authenticate(rf.get("/"), token) == officer

    officer.is_active = False
    officer.save(update_fields=["is_active"])
    assert auth.authenticate(rf.get("/"), token) is None
