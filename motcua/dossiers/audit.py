"""The hash chain of dossier events: pure functions shared by the writer and `motcua audit-verify`.

Each event's hash is SHA-256 over the canonical JSON of its content (dossier code, sequence number,
action, statuses, actor, time, reason, payload) followed by the previous event's hash. The dossier row
keeps the count and the last hash, so removing the newest events is detected as well.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

GENESIS = "0" * 64
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def canonical_event(
    *,
    dossier_code: str,
    seq: int,
    action: str,
    from_status: int | None,
    to_status: int,
    from_sub_state: str,
    to_sub_state: str,
    actor_username: str,
    at: datetime,
    reason: str,
    payload: dict[str, Any],
) -> bytes:
    content = {
        "dossier": dossier_code,
        "seq": seq,
        "action": action,
        "from_status": from_status,
        "to_status": to_status,
        "from_sub_state": from_sub_state,
        "to_sub_state": to_sub_state,
        "actor": actor_username,
        # Integer microseconds since the epoch: the same instant gives the same text whatever the zone.
        "at": (at - _EPOCH) // timedelta(microseconds=1),
        "reason": reason,
        "payload": payload,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def chain_hash(canonical: bytes, prev_hash: str) -> str:
    return hashlib.sha256(canonical + prev_hash.encode()).hexdigest()


@dataclass(frozen=True)
class StoredEvent:
    """An event row as read back for verification."""

    id: int
    seq: int
    canonical: bytes
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ChainProblem:
    event_id: int | None
    seq: int | None
    problem: str


def verify_chain(events: Iterable[StoredEvent], *, expected_count: int, expected_head: str) -> list[ChainProblem]:
    """Problems of one dossier's chain, given its events in `seq` order (empty when intact)."""
    problems: list[ChainProblem] = []
    prev = GENESIS
    count = 0
    for position, event in enumerate(events, start=1):
        count += 1
        if event.seq != position:
            problems.append(ChainProblem(event.id, event.seq, f"sequence {event.seq} where {position} was expected"))
        if event.prev_hash != prev:
            problems.append(ChainProblem(event.id, event.seq, "previous hash does not match: removed or reordered"))
        if chain_hash(event.canonical, event.prev_hash) != event.hash:
            problems.append(ChainProblem(event.id, event.seq, "content does not match its hash: altered"))
        prev = event.hash
    if count != expected_count or prev != (expected_head or GENESIS):
        problems.append(ChainProblem(None, None, f"{count} events where the dossier records {expected_count}"))
    return problems
