"""Must-show 5: every dossier endpoint × role × unit; nothing visible or changeable where it should not be.

The dossier is received at `center` and handled by `subject_agency`; "other_*" accounts belong to another
center or commune.
"""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.dossiers.models import Dossier, DossierAccessLog
from motcua.dossiers.tests.api.helpers import StaffClient
from motcua.dossiers.tests.factories import DossierFactory, World

ROLES = [
    "reception",
    "other_reception",
    "specialist",
    "leader",
    "clerk",
    "other_specialist",
    "other_leader",
    "supervisor",
    "admin",
]
SEES = {"reception", "specialist", "leader", "clerk", "supervisor", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_detail_and_list(world: World, role: str) -> None:
    dossier = DossierFactory.create(world=world)
    client = StaffClient(world.staff[role])

    detail = client.get(f"/api/v1/dossiers/{dossier.code}")
    listed = [item["code"] for item in client.get("/api/v1/dossiers").json()["items"]]

    if role in SEES:
        assert detail.status_code == 200
        assert listed == [dossier.code]
        assert DossierAccessLog.objects.filter(actor=world.staff[role], dossier=dossier, purpose="detail").exists()
    else:
        assert detail.status_code == 404
        assert detail.json()["error"]["code"] == "dossier_not_found"
        assert listed == []
        assert not DossierAccessLog.objects.filter(actor=world.staff[role]).exists()


#: (action, stage the dossier is in, the roles that may take it)
ACTIONS = [
    ("transfer", "received", {"reception"}),
    ("assign", "handling", {"leader", "specialist"}),
    ("forward", "handling", {"specialist"}),
    ("approve", "signing", {"leader"}),
    ("return-result", "approved", {"reception"}),
]


@pytest.mark.parametrize(("action", "stage", "allowed"), ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_actions(world: World, action: str, stage: str, allowed: set[str], role: str) -> None:
    dossier = DossierFactory.create(world=world, stage=stage)
    body = {"payload": {"assignee": world.staff["specialist"].username}}

    response = StaffClient(world.staff[role]).post(f"/api/v1/dossiers/{dossier.code}/actions/{action}", body)

    after = Dossier.objects.get(pk=dossier.pk)
    if role in allowed:
        assert response.status_code == 200, response.json()
        assert after.event_count == dossier.event_count + 1
    else:
        assert response.status_code == (403 if role in SEES else 404)
        assert (after.event_count, after.sub_state) == (dossier.event_count, dossier.sub_state)


@pytest.mark.parametrize("role", ROLES)
def test_reception_endpoint(world: World, role: str) -> None:
    body = {
        "procedure_code": world.procedure.code,
        "receiving_unit": world.center.code,
        "channel": "direct",
        "applicant": {"full_name": "Lò Thị Mai", "personal_id": "010195012345"},
        "subject_unit": world.subject_code,
        "components": [{"component": "to-khai"}, {"component": "giay-chung-sinh"}],
    }

    response = StaffClient(world.staff[role]).post("/api/v1/dossiers", body)

    assert response.status_code == (201 if role == "reception" else 403)
    assert Dossier.objects.exists() == (role == "reception")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/dossiers"),
        ("get", "/api/v1/dossiers/X"),
        ("post", "/api/v1/dossiers"),
        ("post", "/api/v1/dossiers/X/actions/approve"),
        ("post", "/api/v1/documents"),
    ],
)
def test_staff_endpoints_need_a_token(db: None, method: str, path: str) -> None:
    response = getattr(Client(), method)(path)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_list_query_count_does_not_grow_with_the_page(world: World, django_assert_max_num_queries: object) -> None:
    DossierFactory.create_batch(5, world=world)
    client = StaffClient(world.staff["specialist"])
    with django_assert_max_num_queries(4):  # type: ignore[operator]
        assert len(client.get("/api/v1/dossiers").json()["items"]) == 5
