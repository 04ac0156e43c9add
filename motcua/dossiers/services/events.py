"""Appending to a dossier's hash-chained history; every lifecycle service writes through here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from motcua.core.inserts import row_build, rows_insert
from motcua.dossiers.audit import GENESIS, StoredEvent, canonical_event, chain_hash
from motcua.dossiers.models import Dossier, DossierComponent, DossierEvent
from motcua.dossiers.services import sync
from motcua.org.models import StaffUser

#: The author of events the system records by itself (the supplement sweep).
SYSTEM_ACTOR, SYSTEM_ACTOR_NAME = "system", "Hệ thống"


def event_append(
    *,
    dossier: Dossier,
    action: str,
    actor: StaffUser | None,
    at: datetime,
    from_status: int | None,
    from_sub_state: str,
    reason: str = "",
    payload: dict[str, Any] | None = None,
    components: list[DossierComponent] | None = None,
) -> DossierEvent:
    """Record `action` as the dossier's next event (`actor` None: the system). The caller holds the
    dossier's row lock and has already set the new status; this saves the chain head on the dossier.
    `components`: the dossier's components when the caller has them (spares the outbound record a query)."""
    event = event_build(
        dossier=dossier,
        action=action,
        actor=actor,
        at=at,
        from_status=from_status,
        from_sub_state=from_sub_state,
        reason=reason,
        payload=payload,
    )
    rows_insert([event])
    dossier.save()
    sync.dossier_event_sync(dossier=dossier, event=event, components=components)
    return event


def event_insert(*, dossier: Dossier, event: DossierEvent, components: list[DossierComponent] | None = None) -> None:
    """Save `event` from `event_build` and enqueue its messages, when the dossier row already holds the
    chain head (written with it); `event_append` is the usual way."""
    rows_insert([event])
    sync.dossier_event_sync(dossier=dossier, event=event, components=components)


def event_build(
    *,
    dossier: Dossier,
    action: str,
    actor: StaffUser | None,
    at: datetime,
    from_status: int | None,
    from_sub_state: str,
    reason: str = "",
    payload: dict[str, Any] | None = None,
) -> DossierEvent:
    """The dossier's next event, chained and not yet saved; `dossier.event_count` and `last_event_hash`
    already point at it (in memory). `event_append` saves both; reception builds its first event before
    inserting the dossier, so the dossier row is written once with its chain head."""
    payload = payload or {}
    username = actor.username if actor is not None else SYSTEM_ACTOR
    seq = dossier.event_count + 1
    prev_hash = dossier.last_event_hash or GENESIS
    canonical = canonical_event(
        dossier_code=dossier.code,
        seq=seq,
        action=action,
        from_status=from_status,
        to_status=dossier.status,
        from_sub_state=from_sub_state,
        to_sub_state=dossier.sub_state,
        actor_username=username,
        at=at,
        reason=reason,
        payload=payload,
    )
    event = row_build(
        DossierEvent,
        dossier=dossier,
        seq=seq,
        action=action,
        from_status=from_status,
        to_status=dossier.status,
        from_sub_state=from_sub_state,
        to_sub_state=dossier.sub_state,
        actor=actor,
        actor_username=username,
        actor_name=actor.get_full_name() if actor is not None else SYSTEM_ACTOR_NAME,
        actor_role=actor.role if actor is not None else "",
        at=at,
        reason=reason,
        payload=payload,
        prev_hash=prev_hash,
        hash=chain_hash(canonical, prev_hash),
    )
    dossier.event_count = seq
    dossier.last_event_hash = event.hash
    return event


def stored_event(event: DossierEvent, dossier_code: str) -> StoredEvent:
    """An event row in the form `audit.verify_chain` checks."""
    canonical = canonical_event(
        dossier_code=dossier_code,
        seq=event.seq,
        action=event.action,
        from_status=event.from_status,
        to_status=event.to_status,
        from_sub_state=event.from_sub_state,
        to_sub_state=event.to_sub_state,
        actor_username=event.actor_username,
        at=event.at,
        reason=event.reason,
        payload=event.payload,
    )
    return StoredEvent(id=event.id, seq=event.seq, canonical=canonical, prev_hash=event.prev_hash, hash=event.hash)
