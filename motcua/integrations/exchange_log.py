"""The exchange log: every message to and from a partner, signed with the partner's key and hash-chained.

Like X-Road's message log: time, correlation id, content hash and a signature per message, so a
changed, removed or reordered record is found by `exchange_log_verify`. Each partner has its own HMAC
key, derived from `MOTCUA_EXCHANGE_KEY` (or the secret key), so one partner's key signs only its records.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db import transaction

from motcua.config import env
from motcua.integrations.models import ExchangeChainHead, ExchangeRecord

GENESIS = "0" * 64


@dataclass(frozen=True)
class Exchange:
    """A message as the transport saw it, before it is logged."""

    partner: str
    correlation_id: str
    direction: str
    at: datetime
    method: str
    url: str
    status: int | None
    body: str
    personal_data: bool = False
    actor: str = ""
    purpose: str = ""


def partner_key(partner: str) -> bytes:
    master = env("MOTCUA_EXCHANGE_KEY") or f"exchange-log:{settings.SECRET_KEY}"
    return hmac.new(master.encode(), partner.encode(), hashlib.sha256).digest()


def _canonical(seq: int, exchange: Exchange, body_sha256: str) -> bytes:
    fields = {
        "seq": seq,
        "at": exchange.at.astimezone(UTC).isoformat(),
        "partner": exchange.partner,
        "correlation_id": exchange.correlation_id,
        "direction": exchange.direction,
        "method": exchange.method,
        "url": exchange.url,
        "status": exchange.status,
        "body_sha256": body_sha256,
        "personal_data": exchange.personal_data,
        "actor": exchange.actor,
        "purpose": exchange.purpose,
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _sign(partner: str, canonical: bytes) -> str:
    return hmac.new(partner_key(partner), canonical, hashlib.sha256).hexdigest()


def _link(prev_hash: str, canonical: bytes, signature: str) -> str:
    return hashlib.sha256(prev_hash.encode() + canonical + signature.encode()).hexdigest()


def exchange_log_append(*, exchanges: list[Exchange]) -> None:
    """Sign and chain `exchanges` in order, in one transaction under the chain head's lock."""
    if not exchanges:
        return
    with transaction.atomic():
        ExchangeChainHead.objects.get_or_create(pk=1)
        head = ExchangeChainHead.objects.select_for_update().get(pk=1)
        seq, prev = head.seq, head.hash or GENESIS
        rows = []
        for exchange in exchanges:
            seq += 1
            body_sha256 = hashlib.sha256(exchange.body.encode()).hexdigest()
            canonical = _canonical(seq, exchange, body_sha256)
            signature = _sign(exchange.partner, canonical)
            prev_hash, prev = prev, _link(prev, canonical, signature)
            rows.append(
                ExchangeRecord(
                    seq=seq,
                    at=exchange.at,
                    partner=exchange.partner,
                    correlation_id=exchange.correlation_id,
                    direction=exchange.direction,
                    method=exchange.method,
                    url=exchange.url,
                    status=exchange.status,
                    body=exchange.body,
                    body_sha256=body_sha256,
                    personal_data=exchange.personal_data,
                    actor=exchange.actor,
                    purpose=exchange.purpose,
                    signature=signature,
                    prev_hash=prev_hash,
                    hash=prev,
                )
            )
        ExchangeRecord.objects.bulk_create(rows)
        head.seq, head.hash = seq, prev
        head.save(update_fields=["seq", "hash"])


def exchange_log_verify(records: Iterable[ExchangeRecord], *, head: ExchangeChainHead | None) -> Iterator[str]:
    """Problems found in `records` (in `seq` order) against the chain head; nothing when intact."""
    prev, expected_seq = GENESIS, 1
    for record in records:
        if record.seq != expected_seq:
            yield f"record {record.seq}: expected seq {expected_seq} (a record is missing)"
            expected_seq = record.seq
        if hashlib.sha256(record.body.encode()).hexdigest() != record.body_sha256:
            yield f"record {record.seq}: the body does not match its hash"
        exchange = Exchange(
            partner=record.partner,
            correlation_id=record.correlation_id,
            direction=record.direction,
            at=record.at,
            method=record.method,
            url=record.url,
            status=record.status,
            body=record.body,
            personal_data=record.personal_data,
            actor=record.actor,
            purpose=record.purpose,
        )
        canonical = _canonical(record.seq, exchange, record.body_sha256)
        if not hmac.compare_digest(_sign(record.partner, canonical), record.signature):
            yield f"record {record.seq}: bad signature for partner {record.partner}"
        if record.prev_hash != prev:
            yield f"record {record.seq}: not chained to the previous record"
        prev = _link(record.prev_hash, canonical, record.signature)
        if prev != record.hash:
            yield f"record {record.seq}: the chain hash does not match"
        expected_seq += 1
    if head is not None and (head.seq != expected_seq - 1 or (head.hash or GENESIS) != prev):
        yield f"chain head (seq {head.seq}) does not match the last record (seq {expected_seq - 1})"
