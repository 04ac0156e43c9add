"""Reception: routing, code, due time, steps, validation (nothing written on refusal), idempotency."""

from __future__ import annotations

import itertools
import re
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.core.errors import DomainError
from motcua.dossiers.models import Dossier, DossierEvent, DossierSequence
from motcua.dossiers.services.reception import ApplicantData, ComponentData
from motcua.dossiers.services.tracking import tracking_token, tracking_token_matches
from motcua.dossiers.states import Status, SubState
from motcua.dossiers.tests.factories import PERSONAL_ID, World, paper_form_and_eform, receive

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY_0912 = datetime(2026, 3, 2, 9, 12, tzinfo=HCM)


def test_direct_reception_routes_to_the_competent_body_with_a_code_and_due_time(world: World) -> None:
    dossier = receive(world, received_at=MONDAY_0912)

    assert dossier.handling_agency == world.subject_agency
    assert dossier.receiving_center == world.center
    assert re.fullmatch(rf"{re.escape(world.subject_agency.code)}-260302-0001", dossier.code)
    assert (dossier.status, dossier.sub_state) == (Status.ACCEPTED, SubState.RECEIVED)
    # 5 working days, same clock time: Monday 09:12 → Monday 09:12 a week later.
    assert dossier.due_at == dossier.original_due_at == datetime(2026, 3, 9, 9, 12, tzinfo=HCM)
    steps = list(dossier.steps.order_by("order"))
    assert [s.role for s in steps] == ["reception", "specialist", "leader", "clerk"]
    assert steps[-1].due_at == dossier.due_at
    assert all(
        a.due_at is not None and b.due_at is not None and a.due_at < b.due_at for a, b in itertools.pairwise(steps)
    )
    assert steps[0].started_at == MONDAY_0912
    event = DossierEvent.objects.get(dossier=dossier)
    assert (event.seq, event.action, event.to_status) == (1, "receive", Status.ACCEPTED)


def test_codes_count_per_agency_and_day(world: World) -> None:
    codes = [receive(world, received_at=MONDAY_0912).code for _ in range(3)]
    next_day = receive(world, received_at=MONDAY_0912.replace(day=3)).code

    assert [c[-4:] for c in codes] == ["0001", "0002", "0003"]
    assert next_day.endswith("-260303-0001")


def test_online_dossier_waits_for_the_desk_and_may_lack_components(world: World) -> None:
    dossier = receive(world, channel="online", components=[ComponentData("to-khai")], received_at=MONDAY_0912)

    assert (dossier.status, dossier.sub_state) == (Status.SUBMITTED, SubState.SUBMITTED)
    assert dossier.due_at is None


def test_the_same_idempotency_key_returns_the_same_dossier(world: World) -> None:
    first = receive(world, idempotency_key="k-1", received_at=MONDAY_0912)
    again = receive(world, idempotency_key="k-1", received_at=MONDAY_0912)

    assert again.pk == first.pk
    assert Dossier.objects.count() == 1
    with pytest.raises(DomainError) as caught:
        receive(
            world,
            idempotency_key="k-1",
            components=[ComponentData("to-khai"), ComponentData("giay-chung-sinh"), ComponentData("giay-uy-quyen")],
        )
    assert caught.value.code == "idempotency_key_reused"


def test_tracking_token_is_stable_and_compared_in_constant_time(world: World) -> None:
    dossier = receive(world)
    token = tracking_token(dossier)

    assert tracking_token(Dossier.objects.get(pk=dossier.pk)) == token
    assert tracking_token_matches(dossier, token)
    assert not tracking_token_matches(dossier, token[:-1] + ("A" if token[-1] != "A" else "B"))
    assert token not in str(Dossier.objects.filter(pk=dossier.pk).values().get())


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"applicant": ApplicantData(full_name="A", personal_id="12345")}, "personal_id_format"),
        ({"applicant": ApplicantData(full_name="A", personal_id="099190012345")}, "personal_id_province"),
        ({"applicant": ApplicantData(full_name="A", personal_id="010490012345")}, "personal_id_birth_year"),
        (
            {"applicant": ApplicantData(full_name="A", personal_id=PERSONAL_ID, birth_date=date(1991, 1, 1))},
            "personal_id_birth_mismatch",
        ),
        ({"applicant": ApplicantData(full_name=" ", personal_id=PERSONAL_ID)}, "applicant_name_required"),
        ({"procedure_code": "9.999999"}, "unknown_procedure"),
        ({"channel": "post"}, "channel_not_offered"),
        ({"channel": "carrier-pigeon"}, "channel_not_offered"),
        ({"components": [ComponentData("to-khai")]}, "missing_components"),
        (
            {"components": [ComponentData("to-khai"), ComponentData("giay-chung-sinh"), ComponentData("x")]},
            "unknown_components",
        ),
        (
            {"components": [ComponentData("to-khai", documents=["0" * 64]), ComponentData("giay-chung-sinh")]},
            "unknown_documents",
        ),
        ({"subject_unit": "99999"}, "unknown_unit"),
        ({"receiving_center": "nowhere"}, "unknown_center"),
    ],
)
def test_invalid_receptions_are_refused_and_write_nothing(world: World, change: dict[str, Any], code: str) -> None:
    with pytest.raises(DomainError) as caught:
        receive(world, **change)

    assert caught.value.code == code
    assert not Dossier.objects.exists()
    assert not DossierEvent.objects.exists()
    assert not DossierSequence.objects.filter(last_number__gt=0).exists()


def test_expired_procedure_is_refused(world: World) -> None:
    version = world.procedure.versions.get()
    version.effective_to = version.effective_from
    version.save()

    with pytest.raises(DomainError) as caught:
        receive(world)
    assert caught.value.code == "procedure_not_in_force"


def test_only_the_centers_own_desk_receives(world: World) -> None:
    for role in ("other_reception", "specialist", "supervisor", "admin"):
        with pytest.raises(DomainError) as caught:
            receive(world, actor=world.staff[role])
        assert caught.value.code == "not_receiving_desk"
    assert not Dossier.objects.exists()


def test_procedure_outside_the_boundary_free_list_is_filed_where_the_case_is(world: World) -> None:
    world.procedure.boundary_free = False
    world.procedure.save()

    with pytest.raises(DomainError) as caught:
        receive(world)
    assert caught.value.code == "not_boundary_free"


def test_a_paper_required_on_other_channels_only_is_not_missing(world: World) -> None:
    """Birth registration lists the paper form (desk, post) and the e-form (online), both "required":
    each is wanted on its own channels only."""
    paper_form_and_eform(world)

    at_the_desk = receive(world, received_at=MONDAY_0912)
    assert sorted(at_the_desk.components.values_list("code", flat=True)) == ["giay-chung-sinh", "to-khai"]

    with pytest.raises(DomainError) as refused:
        receive(world, received_at=MONDAY_0912, components=[ComponentData("giay-chung-sinh")])
    assert refused.value.code == "missing_components"
    assert [c["code"] for c in refused.value.details["components"]] == ["to-khai"]


def test_a_reception_writes_in_two_round_trips_on_postgresql(world: World) -> None:
    receive(world, received_at=MONDAY_0912)  # as in a running server: the key sequences are looked up
    with CaptureQueriesContext(connection) as queries:
        receive(world, received_at=MONDAY_0912)

    sql = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    writes = sql[next(i for i, text in enumerate(sql) if "dossiers_dossiersequence" in text) :]
    if connection.vendor == "postgresql":
        # The day's number, then the new rows' keys, the dossier, its components, steps, first event and two
        # outbound messages (the national portal, the applicant's SMS) in one statement.
        assert [text.split()[0] for text in writes] == ["INSERT", "WITH"]
        assert writes[1].count("INSERT INTO") == 6
    else:
        assert len(writes) == 7  # the number, then one INSERT per table and per message
