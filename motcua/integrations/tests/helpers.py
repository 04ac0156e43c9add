from __future__ import annotations

import time

from motcua.core.models_outbox import OutboxMessage, OutboxState
from motcua.core.outbox import RetryPolicy
from motcua.integrations.delivery import DrainReport, outbox_drain


def drain_until_settled(policy: RetryPolicy, *, deadline_s: float = 20) -> DrainReport:
    """Drain again and again (retries wait for their short backoff) until nothing is pending."""
    total = DrainReport()
    end = time.monotonic() + deadline_s
    while OutboxMessage.objects.filter(state=OutboxState.PENDING).exists():
        assert time.monotonic() < end, "the outbox did not settle"
        report = outbox_drain(policy=policy, concurrency=4)
        total.delivered += report.delivered
        total.retried += report.retried
        total.dead += report.dead
        time.sleep(0.005)
    return total
