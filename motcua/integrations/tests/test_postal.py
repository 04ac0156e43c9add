"""The public post feeds the paper-transfer tracking and the return of results: the pickup goes through the
outbox, the tracking number comes back on the dossier, the signed delivery notice ends the trip once (a
duplicate changes nothing, a bad signature is refused and changes nothing)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.test import Client
from django.utils import timezone

from motcua.core.models_outbox import OutboxMessage, OutboxState
from motcua.dossiers.models import Dossier, DossierEvent, PaperTransfer
from motcua.dossiers.paper_selectors import paper_transfers_late
from motcua.dossiers.tests.api.helpers import StaffClient
from motcua.dossiers.tests.factories import DossierFactory, World, act, receive
from motcua.integrations.callbacks import SIGNATURE_HEADER, callback_secret, callback_signature
from motcua.integrations.models import ExchangeRecord, Shipment, ShipmentState
from motcua.integrations.simulators import Simulators
from motcua.integrations.tests.conftest import FAST
from motcua.integrations.tests.helpers import drain_until_settled

CALLBACK = "/api/v1/integrations/post/callback"


def _notify(body: bytes, signature: str) -> tuple[int, dict[str, object]]:
    response = Client().post(CALLBACK, body, content_type="application/json", headers={SIGNATURE_HEADER: signature})
    return response.status_code, response.json()


def _sent_by_post(world: World) -> tuple[Dossier, PaperTransfer]:
    """A boundary-free dossier transferred to the handling body, its paper handed to the post."""
    dossier = act(world, receive(world), "transfer", "reception")
    sent = StaffClient(world.staff["reception"]).post(
        f"/api/v1/dossiers/{dossier.code}/paper-transfer/sent", {"by_post": True}
    )
    assert sent.status_code == 200, sent.json()
    assert (sent.json()["carrier"], sent.json()["tracking_number"]) == ("Bưu chính công ích", "")
    return dossier, PaperTransfer.objects.get(dossier=dossier)


def _actions(dossier: Dossier) -> list[str]:
    return list(DossierEvent.objects.filter(dossier=dossier).order_by("seq").values_list("action", flat=True))


def test_the_paper_dossier_round_trip_through_the_post(world: World, sims: Simulators) -> None:
    dossier, transfer = _sent_by_post(world)
    pickup = OutboxMessage.objects.get(partner="post", dossier_code=dossier.code)
    assert (pickup.state, pickup.payload["carries"]) == (OutboxState.PENDING, "paper")
    assert pickup.payload["recipient"]["agency_code"] == world.subject_agency.code

    drain_until_settled(FAST)

    pickup.refresh_from_db()
    transfer.refresh_from_db()
    assert pickup.state == OutboxState.DELIVERED
    [number] = sims.shipments
    assert sims.shipments[number]["callback_url"].endswith(CALLBACK)
    assert transfer.tracking_number == number
    assert _actions(dossier)[-2:] == ["paper-sent", "post-booked"]
    assert Shipment.objects.get(tracking_number=number).state == ShipmentState.BOOKED

    # The notice first arrives forged: refused, nothing changes.
    [(body, signature)] = sims.delivery_callbacks(number)
    events = DossierEvent.objects.count()
    for forged in ("0" * 64, "", signature[:-1] + ("0" if signature[-1] != "0" else "1")):
        status, reply = _notify(body, forged)
        assert (status, reply["error"]["code"]) == (403, "invalid_signature")  # type: ignore[index]
    transfer.refresh_from_db()
    assert transfer.received_at is None
    assert DossierEvent.objects.count() == events

    # Then the genuine one, twice: received once, in time, by the system on the post's word.
    sims.set_faults("post", duplicate_callbacks=True)
    delivered_at = timezone.localtime().replace(microsecond=0)
    replies = [_notify(b, s) for b, s in sims.delivery_callbacks(number, at=delivered_at)]

    assert replies == [(200, {"tracking_number": number, "state": "delivered"})] * 2
    transfer.refresh_from_db()
    assert transfer.received_at == delivered_at
    assert (transfer.received_by, transfer.late) == (None, False)
    received = DossierEvent.objects.filter(dossier=dossier, action="paper-received")
    assert [(e.actor_username, e.payload["late"]) for e in received] == [("system", False)]
    assert Shipment.objects.get(tracking_number=number).delivered_at == delivered_at
    assert ExchangeRecord.objects.filter(partner="post", direction="callback").count() == 1


def test_a_delivery_after_the_working_day_makes_the_transfer_late(world: World, sims: Simulators) -> None:
    _, transfer = _sent_by_post(world)
    drain_until_settled(FAST)
    [number] = sims.shipments

    [(body, signature)] = sims.delivery_callbacks(number, at=transfer.due_at + timedelta(minutes=1))
    assert _notify(body, signature)[0] == 200

    transfer.refresh_from_db()
    assert transfer.late
    assert list(paper_transfers_late(world.staff["supervisor"], now=timezone.now())) == [transfer]


def test_a_result_returned_by_post_is_tracked_to_the_applicant(world: World, sims: Simulators) -> None:
    dossier = DossierFactory.create(world=world, approved=True, return_place="post")
    act(world, dossier, "return-result", "reception")
    pickup = OutboxMessage.objects.get(partner="post", dossier_code=dossier.code)
    assert pickup.payload["carries"] == "result"
    assert pickup.payload["recipient"]["name"] == dossier.applicant_name

    drain_until_settled(FAST)
    [number] = sims.shipments
    delivered_at = datetime.fromisoformat("2026-03-10T10:00:00+07:00")
    [(body, signature)] = sims.delivery_callbacks(number, at=delivered_at)
    assert _notify(body, signature)[0] == 200

    events = list(DossierEvent.objects.filter(dossier=dossier).order_by("seq"))
    assert [e.action for e in events[-3:]] == ["return-result", "post-booked", "result-delivered"]
    assert events[-2].payload == {"carries": "result", "tracking_number": number}
    assert (events[-1].payload, events[-1].at, events[-1].actor_username) == (
        {"tracking_number": number},
        delivered_at,
        "system",
    )


def test_a_notice_for_an_unknown_shipment_or_malformed_is_refused(world: World) -> None:
    for body, code in [
        (
            b'{"tracking_number": "EE00000000VN", "event": "delivered", "at": "2026-03-10T10:00:00+07:00"}',
            "unknown_shipment",
        ),
        (b'{"tracking_number": "EE00000000VN", "event": "delivered", "at": "2026-03-10T10:00:00"}', "invalid_callback"),
        (b"[]", "invalid_callback"),
    ]:
        status, reply = _notify(body, callback_signature(body, callback_secret("post")))
        assert (status, reply["error"]["code"]) == (422, code)  # type: ignore[index]
