"""The outbox worker: claim due messages, deliver them to the partners concurrently, record the outcome.

Delivery runs in threads that only speak HTTP; the database work (claims, outcomes, the exchange log,
what a reply sets off) stays in the calling thread. Order per dossier and partner comes from the claim
(`core.outbox.outbox_claim_due`), retries and dead letters from `core.outbox.outbox_mark_failed`.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from motcua.config import env
from motcua.core.models_outbox import OutboxMessage, OutboxState
from motcua.core.outbox import RetryPolicy, outbox_claim_due, outbox_mark_delivered, outbox_mark_failed
from motcua.dossiers.services import obligations, postal
from motcua.integrations import services
from motcua.integrations.adapters.national_portal import HttpNationalPortal
from motcua.integrations.adapters.payment import HttpPaymentGateway
from motcua.integrations.adapters.postal import HttpPostalService
from motcua.integrations.adapters.sms import HttpSmsGateway
from motcua.integrations.adapters.tax import HttpTaxAuthority
from motcua.integrations.exchange_log import Exchange, exchange_log_append
from motcua.integrations.transport import PartnerClient, PartnerError, Sessions, TransientError

Reply = dict[str, Any]


def _dossier_sync(client: PartnerClient, message: OutboxMessage) -> Reply:
    return HttpNationalPortal(client).sync_dossier(message.payload, idempotency_key=message.idempotency_key)


def _sms(client: PartnerClient, message: OutboxMessage) -> Reply:
    sent = HttpSmsGateway(client).send(
        message.payload["to"], message.payload["text"], idempotency_key=message.idempotency_key
    )
    return {"message_id": sent}


def _tax_assess(client: PartnerClient, message: OutboxMessage) -> Reply:
    obligation = HttpTaxAuthority(client).assess(message.payload, idempotency_key=message.idempotency_key)
    return {"reference": obligation.reference, "amount": obligation.amount, "description": obligation.description}


def _payment_link(client: PartnerClient, message: OutboxMessage) -> Reply:
    return {"url": HttpPaymentGateway(client).create_link(message.payload, idempotency_key=message.idempotency_key)}


def _shipment(client: PartnerClient, message: OutboxMessage) -> Reply:
    callback_url = f"{env('MOTCUA_PUBLIC_BASE_URL').rstrip('/')}{services.POSTAL_CALLBACK_PATH}"
    number = HttpPostalService(client).create_shipment(
        {**message.payload, "callback_url": callback_url}, idempotency_key=message.idempotency_key
    )
    return {"tracking_number": number}


@dataclass(frozen=True)
class Handler:
    deliver: Callable[[PartnerClient, OutboxMessage], Reply]
    #: What the reply sets off here, run after the message is marked delivered (in the caller's thread).
    after: Callable[[OutboxMessage, Reply], None] | None = None


HANDLERS: dict[tuple[str, str], Handler] = {
    ("dvcqg", "dossier.sync"): Handler(_dossier_sync),
    ("sms", "status.notice"): Handler(_sms),
    (obligations.TAX, obligations.TAX_ASSESS): Handler(_tax_assess, services.tax_assessment_received),
    ("payment", services.PAYMENT_LINK): Handler(_payment_link),
    (postal.POST, postal.SHIPMENT): Handler(_shipment, services.shipment_booked),
}


@dataclass
class Outcome:
    message: OutboxMessage
    log: list[Exchange]
    reply: Reply | None = None
    error: str = ""
    permanent: bool = False


@dataclass
class DrainReport:
    delivered: int = 0
    retried: int = 0
    dead: int = 0
    errors: list[str] = field(default_factory=list)


def outbox_drain(
    *, policy: RetryPolicy | None = None, batch: int = 100, concurrency: int = 8, max_rounds: int | None = None
) -> DrainReport:
    """Deliver every message due now (and those freed by it, in order), round after round, until none
    is due. Messages waiting for a retry stay for a later drain."""
    policy = policy or RetryPolicy.from_env()
    report = DrainReport()
    rounds = 0
    # Due as of the start: a failed message's retry falls after it, so one drain tries each message at
    # most once, however short the backoff (a partner that is down does not burn every attempt at once).
    started = timezone.now()
    with Sessions() as sessions, ThreadPoolExecutor(max_workers=concurrency) as pool:
        while max_rounds is None or rounds < max_rounds:
            rounds += 1
            messages = outbox_claim_due(limit=batch, policy=policy, now=started)
            if not messages:
                break
            outcomes = list(pool.map(lambda m: _deliver(m, sessions), messages))
            exchange_log_append(exchanges=[exchange for outcome in outcomes for exchange in outcome.log])
            for outcome in outcomes:
                _record(outcome, policy, report)
    return report


def _deliver(message: OutboxMessage, sessions: Sessions) -> Outcome:
    client = PartnerClient(partner=message.partner, sessions=sessions, purpose=message.kind)
    outcome = Outcome(message=message, log=client.log)
    handler = HANDLERS.get((message.partner, message.kind))
    if handler is None:
        outcome.error, outcome.permanent = f"no handler for {message.partner}/{message.kind}", True
        return outcome
    try:
        outcome.reply = handler.deliver(client, message)
    except TransientError as exc:
        outcome.error = str(exc)
    except PartnerError as exc:  # refused, or a malformed reply: a person must look at it
        outcome.error, outcome.permanent = str(exc), True
    return outcome


def _record(outcome: Outcome, policy: RetryPolicy, report: DrainReport) -> None:
    message = outcome.message
    if outcome.reply is not None:
        outbox_mark_delivered(message_id=message.pk, reply=outcome.reply)
        report.delivered += 1
        handler = HANDLERS[(message.partner, message.kind)]
        if handler.after is not None:
            handler.after(message, outcome.reply)
        return
    state = outbox_mark_failed(message_id=message.pk, error=outcome.error, permanent=outcome.permanent, policy=policy)
    if state == OutboxState.DEAD:
        report.dead += 1
        report.errors.append(f"#{message.pk} {message.partner}/{message.kind}: {outcome.error}")
    else:
        report.retried += 1
