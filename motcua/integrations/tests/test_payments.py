"""Tax obligation (4→6) and the payment gateway's signed callback (6→4): a bad signature changes nothing,
a duplicate callback is idempotent; the whole path from the handler's request through the simulators."""

from __future__ import annotations

from django.test import Client

from motcua.core.models_outbox import OutboxMessage, OutboxState
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services.obligations import tax_assessment_request
from motcua.dossiers.states import Status, SubState
from motcua.dossiers.tests.api.helpers import StaffClient
from motcua.dossiers.tests.factories import DossierFactory, World
from motcua.integrations.callbacks import SIGNATURE_HEADER
from motcua.integrations.models import Payment, PaymentState
from motcua.integrations.simulators import Simulators
from motcua.integrations.tests.conftest import FAST
from motcua.integrations.tests.helpers import drain_until_settled

CALLBACK = "/api/v1/integrations/payments/callback"


def _post(body: bytes, signature: str) -> tuple[int, dict[str, object]]:
    response = Client().post(CALLBACK, body, content_type="application/json", headers={SIGNATURE_HEADER: signature})
    return response.status_code, response.json()


def _waiting_for_payment(world: World, sims: Simulators) -> tuple[Dossier, Payment]:
    sims.tax_amount = 1_200_000
    dossier = DossierFactory.create(world=world, handling=True)
    tax_assessment_request(actor=world.staff["specialist"], dossier_code=dossier.code)
    drain_until_settled(FAST)
    dossier.refresh_from_db()
    return dossier, Payment.objects.get(dossier_code=dossier.code)


def test_a_tax_obligation_puts_the_dossier_in_state_6_and_asks_for_a_payment_link(
    world: World, sims: Simulators
) -> None:
    dossier, payment = _waiting_for_payment(world, sims)

    assert (dossier.status, dossier.sub_state) == (Status.FINANCIAL_OBLIGATION, SubState.WAITING_PAYMENT)
    assert payment.amount == 1_200_000
    link = OutboxMessage.objects.get(partner="payment", dossier_code=dossier.code)
    assert link.state == OutboxState.DELIVERED
    assert link.reply is not None
    assert link.reply["url"].endswith(payment.reference)
    event = DossierEvent.objects.filter(dossier=dossier).latest("seq")
    assert (event.action, event.actor_username) == ("request-payment", "system")


def test_no_obligation_changes_nothing(world: World, sims: Simulators) -> None:
    dossier = DossierFactory.create(world=world, handling=True)
    tax_assessment_request(actor=world.staff["specialist"], dossier_code=dossier.code)
    drain_until_settled(FAST)
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROGRESS
    assert not Payment.objects.exists()


def test_a_callback_with_a_bad_signature_is_refused_and_changes_nothing(world: World, sims: Simulators) -> None:
    dossier, payment = _waiting_for_payment(world, sims)
    [(body, signature)] = sims.payment_callbacks(payment.reference)
    events = DossierEvent.objects.count()

    for forged in ("0" * 64, "", signature[:-1] + ("0" if signature[-1] != "0" else "1")):
        status, reply = _post(body, forged)
        assert (status, reply["error"]["code"]) == (403, "invalid_signature")  # type: ignore[index]
    # A valid signature of another body does not carry over to a tampered amount.
    status, _ = _post(body.replace(b"1200000", b"1"), signature)
    assert status == 403

    payment.refresh_from_db()
    dossier.refresh_from_db()
    assert payment.state == PaymentState.REQUESTED
    assert dossier.status == Status.FINANCIAL_OBLIGATION
    assert DossierEvent.objects.count() == events


def test_the_paid_callback_brings_the_dossier_back_once_even_when_sent_twice(world: World, sims: Simulators) -> None:
    dossier, payment = _waiting_for_payment(world, sims)
    sims.set_faults("payment", duplicate_callbacks=True)

    callbacks = sims.payment_callbacks(payment.reference)
    assert len(callbacks) == 2
    replies = [_post(body, signature) for body, signature in callbacks]

    assert [status for status, _ in replies] == [200, 200]
    payment.refresh_from_db()
    dossier.refresh_from_db()
    assert payment.state == PaymentState.PAID
    assert (dossier.status, dossier.sub_state) == (Status.IN_PROGRESS, SubState.IN_HANDLING)
    assert DossierEvent.objects.filter(dossier=dossier, action="payment-received").count() == 1


def test_the_handler_asks_the_tax_authority_and_the_applicant_pays_through_the_gateway(
    world: World, sims: Simulators
) -> None:
    sims.tax_amount = 450_000
    dossier = DossierFactory.create(world=world, handling=True)
    specialist = StaffClient(world.staff["specialist"])

    refused = StaffClient(world.staff["reception"]).post(f"/api/v1/dossiers/{dossier.code}/tax-assessment")
    asked = specialist.post(f"/api/v1/dossiers/{dossier.code}/tax-assessment")

    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "tax_assessment_not_permitted")
    assert asked.status_code == 202
    assert (asked.json()["status"], asked.json()["history"][-1]["action"]) == (4, "tax-assessment-requested")
    assert OutboxMessage.objects.get(partner="tax", dossier_code=dossier.code).state == OutboxState.PENDING

    drain_until_settled(FAST)  # tax assessment, then the payment link it sets off
    payment = Payment.objects.get(dossier_code=dossier.code)
    assert specialist.get(f"/api/v1/dossiers/{dossier.code}").json()["status"] == Status.FINANCIAL_OBLIGATION
    assert sims.payments[payment.reference]["amount"] == 450_000

    [(body, signature)] = sims.payment_callbacks(payment.reference)
    assert _post(body, signature)[0] == 200

    after = specialist.get(f"/api/v1/dossiers/{dossier.code}").json()
    assert (after["status"], after["sub_state"]) == (Status.IN_PROGRESS, SubState.IN_HANDLING)
    assert [e["action"] for e in after["history"][-3:]] == [
        "tax-assessment-requested",
        "request-payment",
        "payment-received",
    ]
    portal = OutboxMessage.objects.filter(partner="dvcqg", dossier_code=dossier.code).order_by("id")
    assert [m.payload["TrangThaiHoSo"] for m in portal][-3:] == [4, 6, 4]


def test_the_tax_authority_is_asked_only_while_the_dossier_is_handled(world: World) -> None:
    dossier = DossierFactory.create(world=world)

    response = StaffClient(world.staff["specialist"]).post(f"/api/v1/dossiers/{dossier.code}/tax-assessment")

    assert (response.status_code, response.json()["error"]["code"]) == (409, "not_in_handling")
    assert not OutboxMessage.objects.filter(partner="tax").exists()
