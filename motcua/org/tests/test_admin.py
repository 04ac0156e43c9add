"""The organization admin: every list opens; tokens show their prefix, never their hash."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.org.models import ApiToken, StaffUser
from motcua.org.services import api_token_create
from motcua.org.tests.factories import AgencyFactory, ServiceCenterFactory, StaffUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_vi(client: Client) -> Client:
    client.force_login(StaffUserFactory.create(system_admin=True))
    return client


@pytest.mark.parametrize(
    "model", ["province", "administrativeunit", "agency", "servicecenter", "staffuser", "apitoken"]
)
def test_changelists_open(admin_client_vi: Client, model: str) -> None:
    AgencyFactory.create(commune_committee=True)
    ServiceCenterFactory.create()

    response = admin_client_vi.get(f"/admin/org/{model}/")

    assert response.status_code == 200


def test_token_pages_show_the_prefix_and_never_the_hash(admin_client_vi: Client) -> None:
    officer = StaffUserFactory.create(specialist=True)
    api_token_create(username=officer.username)
    token = ApiToken.objects.get(user=officer)

    listing = admin_client_vi.get("/admin/org/apitoken/").content.decode()
    detail = admin_client_vi.get(f"/admin/org/apitoken/{token.pk}/change/").content.decode()

    assert token.prefix in listing
    assert token.key_hash not in listing
    assert token.key_hash not in detail


def test_staff_action_creates_a_token_shown_once(admin_client_vi: Client) -> None:
    officer = StaffUserFactory.create(leader=True)

    response = admin_client_vi.post(
        "/admin/org/staffuser/",
        {"action": "create_api_token", "_selected_action": [officer.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert ApiToken.objects.filter(user=officer).count() == 1
    assert "mc_" in response.content.decode()


def test_center_change_page_has_counter_inline(admin_client_vi: Client) -> None:
    center = ServiceCenterFactory.create()

    response = admin_client_vi.get(f"/admin/org/servicecenter/{center.pk}/change/")

    assert response.status_code == 200
    assert "counters-TOTAL_FORMS" in response.content.decode()


def test_staff_change_page_shows_role_and_scope(admin_client_vi: Client) -> None:
    officer: StaffUser = StaffUserFactory.create(reception=True)

    page = admin_client_vi.get(f"/admin/org/staffuser/{officer.pk}/change/").content.decode()

    assert 'name="role"' in page
    assert 'name="center"' in page
