"""Fault tests: a partner down then back, 30% 5xx, malformed replies; nothing applied twice at the partner."""

from __future__ import annotations

import pytest

from motcua.core.models_outbox import OutboxMessage, OutboxState
from motcua.core.outbox import outbox_backlog, outbox_enqueue, outbox_resend
from motcua.integrations.delivery import outbox_drain
from motcua.integrations.simulators import Simulators
from motcua.integrations.tests.conftest import FAST
from motcua.integrations.tests.helpers import drain_until_settled

pytestmark = pytest.mark.django_db


def _enqueue_sms(count: int, *, dossiers: int = 5) -> None:
    for n in range(count):
        outbox_enqueue(
            partner="sms",
            kind="status.notice",
            payload={"to": "0912345678", "text": f"tin {n}"},
            dossier_code=f"H38.01-260302-{n % dossiers:04d}",
            idempotency_key=f"sms:test:{n}",
        )


def _delivered_once_each(sims: Simulators, count: int) -> None:
    stats = sims.stats("sms")
    assert OutboxMessage.objects.filter(state=OutboxState.DELIVERED).count() == count
    assert stats["duplicates"] == []
    assert stats["keys"] == count
    assert len(sims.sms_sent) == count


def test_a_partner_down_for_a_stretch_gets_every_message_once_when_back(sims: Simulators) -> None:
    _enqueue_sms(30)
    sims.set_faults("sms", down=True)

    for _ in range(3):
        report = outbox_drain(policy=FAST)
        assert report.delivered == 0
    backlog = outbox_backlog()
    assert backlog.pending == 30
    assert backlog.oldest_pending_at is not None
    assert OutboxMessage.objects.filter(attempts__gt=0).exists()

    sims.set_faults("sms", down=False)
    drain_until_settled(FAST)

    _delivered_once_each(sims, 30)
    assert outbox_backlog().pending == 0


def test_thirty_percent_5xx_still_delivers_each_message_exactly_once(sims: Simulators) -> None:
    # Half the failures happen after the partner applied the message (the reply is lost): the retry
    # carries the same idempotency key, and the partner answers it without applying it again.
    sims.set_faults("sms", error_rate=0.15, lost_reply_rate=0.15)
    _enqueue_sms(60)

    report = drain_until_settled(FAST)

    assert report.retried > 0
    assert sims.stats("sms")["retried_keys"] > 0
    _delivered_once_each(sims, 60)


def test_messages_of_one_dossier_are_delivered_in_order(sims: Simulators) -> None:
    sims.set_faults("sms", error_rate=0.3)
    _enqueue_sms(20, dossiers=1)

    drain_until_settled(FAST)

    assert [m["text"] for m in sims.sms_sent] == [f"tin {n}" for n in range(20)]


def test_a_malformed_reply_ends_as_a_dead_letter_with_the_reason_and_can_be_resent(sims: Simulators) -> None:
    sims.set_faults("sms", malformed=True)
    _enqueue_sms(2)

    report = outbox_drain(policy=FAST)

    assert report.dead == 2
    dead = OutboxMessage.objects.filter(state=OutboxState.DEAD)
    assert dead.count() == 2
    assert all("malformed reply" in m.last_error for m in dead)
    assert outbox_backlog().dead == 2

    sims.set_faults("sms", malformed=False)
    assert outbox_resend(message_ids=list(dead.values_list("pk", flat=True))) == 2
    drain_until_settled(FAST)
    _delivered_once_each(sims, 2)


def test_retries_stop_after_the_last_attempt(sims: Simulators) -> None:
    sims.set_faults("sms", error_rate=1.0)
    _enqueue_sms(1)
    policy = FAST.__class__(base=FAST.base, cap=FAST.cap, max_attempts=3)

    drain_until_settled(policy)

    message = OutboxMessage.objects.get()
    assert (message.state, message.attempts) == (OutboxState.DEAD, 3)
    assert "HTTP 503" in message.last_error


def test_enqueuing_the_same_key_twice_keeps_one_message(db: None) -> None:
    _enqueue_sms(1)
    _enqueue_sms(1)
    assert OutboxMessage.objects.count() == 1
