"""The paper dossier follows the e-dossier within 1 working day: sent (by public post: a pickup through the
outbox), received, late, and who may say so."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from motcua.core.errors import DomainError
from motcua.core.models_outbox import OutboxMessage
from motcua.dossiers.models import Dossier, DossierEvent, PaperTransfer
from motcua.dossiers.paper_selectors import paper_transfers_late
from motcua.dossiers.services.paper import paper_transfer_receive, paper_transfer_send
from motcua.dossiers.tests.api.helpers import StaffClient
from motcua.dossiers.tests.factories import World, act, receive

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY_0912 = datetime(2026, 3, 2, 9, 12, tzinfo=HCM)
TRANSFERRED = MONDAY_0912 + timedelta(minutes=5)
DUE = datetime(2026, 3, 3, 9, 17, tzinfo=HCM)  # one working day later


def _transferred(world: World) -> Dossier:
    dossier = receive(world, received_at=MONDAY_0912)
    return act(world, dossier, "transfer", "reception", at=TRANSFERRED)


def test_sent_then_received_in_time(world: World) -> None:
    dossier = _transferred(world)
    assert PaperTransfer.objects.get(dossier=dossier).due_at == DUE

    sent = paper_transfer_send(
        actor=world.staff["reception"],
        dossier_code=dossier.code,
        carrier="Bưu điện tỉnh Lào Cai",
        tracking_number="EB123456789VN",
        now=MONDAY_0912 + timedelta(hours=2),
    )
    received = paper_transfer_receive(
        actor=world.staff["clerk"], dossier_code=dossier.code, now=DUE - timedelta(minutes=1)
    )

    assert (sent.carrier, sent.tracking_number, sent.sent_by) == (
        "Bưu điện tỉnh Lào Cai",
        "EB123456789VN",
        world.staff["reception"],
    )
    assert (received.received_by, received.late) == (world.staff["clerk"], False)
    events = list(DossierEvent.objects.filter(dossier=dossier).order_by("seq"))
    assert [e.action for e in events[-2:]] == ["paper-sent", "paper-received"]
    assert events[-1].to_status == events[-1].from_status == dossier.status
    assert events[-2].payload == {"carrier": "Bưu điện tỉnh Lào Cai", "tracking_number": "EB123456789VN"}
    assert not paper_transfers_late(world.staff["supervisor"], now=DUE + timedelta(days=5)).exists()


def test_received_after_one_working_day_is_late(world: World) -> None:
    dossier = _transferred(world)

    received = paper_transfer_receive(
        actor=world.staff["specialist"], dossier_code=dossier.code, now=DUE + timedelta(minutes=1)
    )

    assert received.late
    assert DossierEvent.objects.filter(dossier=dossier).last().payload["late"] is True  # type: ignore[union-attr]
    assert list(paper_transfers_late(world.staff["leader"], now=DUE)) == [received]


def test_not_received_is_late_once_the_working_day_has_passed(world: World) -> None:
    dossier = _transferred(world)
    transfer = PaperTransfer.objects.get(dossier=dossier)

    assert not paper_transfers_late(world.staff["reception"], now=DUE).exists()
    assert list(paper_transfers_late(world.staff["reception"], now=DUE + timedelta(seconds=1))) == [transfer]
    assert list(paper_transfers_late(world.staff["supervisor"], now=DUE + timedelta(seconds=1))) == [transfer]
    for role in ("other_reception", "other_specialist"):
        assert not paper_transfers_late(world.staff[role], now=DUE + timedelta(days=1)).exists()


@pytest.mark.parametrize(
    ("step", "role", "code"),
    [
        ("send", "specialist", "paper_transfer_not_permitted"),
        ("send", "other_reception", "dossier_not_found"),
        ("receive", "reception", "paper_transfer_not_permitted"),
        ("receive", "other_specialist", "dossier_not_found"),
        ("receive", "supervisor", "paper_transfer_not_permitted"),
    ],
)
def test_only_the_desk_sends_and_only_the_handling_body_receives(world: World, step: str, role: str, code: str) -> None:
    dossier = _transferred(world)
    events = dossier.event_count

    def attempt() -> None:
        if step == "send":
            paper_transfer_send(actor=world.staff[role], dossier_code=dossier.code, carrier="Bưu điện")
        else:
            paper_transfer_receive(actor=world.staff[role], dossier_code=dossier.code)

    with pytest.raises(DomainError) as caught:
        attempt()

    assert caught.value.code == code
    assert DossierEvent.objects.filter(dossier=dossier).count() == events


def test_conflicts_without_a_transfer_or_when_repeated(world: World) -> None:
    untransferred = receive(world)
    with pytest.raises(DomainError) as none:
        paper_transfer_send(actor=world.staff["reception"], dossier_code=untransferred.code, carrier="Bưu điện")
    dossier = _transferred(world)
    paper_transfer_receive(actor=world.staff["clerk"], dossier_code=dossier.code)
    with pytest.raises(DomainError) as twice:
        paper_transfer_receive(actor=world.staff["clerk"], dossier_code=dossier.code)
    with pytest.raises(DomainError) as after:
        paper_transfer_send(actor=world.staff["reception"], dossier_code=dossier.code, carrier="Bưu điện")
    with pytest.raises(DomainError) as no_carrier:
        paper_transfer_send(actor=world.staff["reception"], dossier_code=dossier.code, carrier=" ")

    assert (none.value.code, none.value.status) == ("no_paper_transfer", 409)
    assert (twice.value.code, after.value.code) == ("paper_already_received", "paper_already_sent")
    assert no_carrier.value.code == "carrier_required"


def test_paper_transfer_endpoints(world: World) -> None:
    dossier = _transferred(world)
    desk, clerk = StaffClient(world.staff["reception"]), StaffClient(world.staff["clerk"])

    sent = desk.post(
        f"/api/v1/dossiers/{dossier.code}/paper-transfer/sent", {"carrier": "Bưu điện", "tracking_number": "X1"}
    )
    late = clerk.get("/api/v1/paper-transfers/late")
    received = clerk.post(f"/api/v1/dossiers/{dossier.code}/paper-transfer/received")
    forbidden = desk.post(f"/api/v1/dossiers/{dossier.code}/paper-transfer/received")
    twice = clerk.post(f"/api/v1/dossiers/{dossier.code}/paper-transfer/received")

    assert sent.status_code == 200
    assert (sent.json()["carrier"], sent.json()["tracking_number"]) == ("Bưu điện", "X1")
    # Transferred on 2 March 2026 and received now: long past its working day.
    assert [item["dossier"] for item in late.json()["items"]] == [dossier.code]
    assert (received.status_code, received.json()["late"]) == (200, True)
    assert received.json()["due_at"].endswith("+07:00")
    assert (forbidden.status_code, forbidden.json()["error"]["code"]) == (403, "paper_transfer_not_permitted")
    assert (twice.status_code, twice.json()["error"]["code"]) == (409, "paper_already_received")


def test_by_post_the_pickup_is_written_to_the_outbox_with_the_send(world: World) -> None:
    dossier = _transferred(world)
    with pytest.raises(DomainError) as numbered:
        paper_transfer_send(
            actor=world.staff["reception"], dossier_code=dossier.code, by_post=True, tracking_number="EB1VN"
        )
    assert numbered.value.code == "tracking_number_from_post"
    assert not OutboxMessage.objects.filter(partner="post").exists()

    sent = paper_transfer_send(actor=world.staff["reception"], dossier_code=dossier.code, by_post=True)

    assert (sent.carrier, sent.tracking_number) == ("Bưu chính công ích", "")
    pickup = OutboxMessage.objects.get(partner="post")
    assert (pickup.kind, pickup.dossier_code, pickup.payload["carries"]) == ("shipment", dossier.code, "paper")
