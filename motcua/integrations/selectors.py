"""Reads of the integrations that carry rules: whose outbound messages an actor may list."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q, QuerySet

from motcua.core.errors import PermissionDenied
from motcua.core.models_outbox import OutboxMessage
from motcua.core.outbox import outbox_messages
from motcua.dossiers.selectors import dossiers_visible_to
from motcua.org.models import Role, StaffUser


def outbox_messages_for(
    actor: StaffUser, *, dossier_code: str | None = None, state: str | None = None
) -> QuerySet[OutboxMessage]:
    """System admins: every message. A supervisor: the messages of their province's dossiers, and those
    about no dossier when the province is the one this installation serves. Anyone else: refused."""
    messages = outbox_messages(dossier_code=dossier_code, state=state)
    if actor.is_active and actor.role == Role.SYSTEM_ADMIN:
        return messages
    if not (actor.is_active and actor.role == Role.SUPERVISOR):
        raise PermissionDenied(code="outbox_not_permitted")
    scope = Q(dossier_code__in=dossiers_visible_to(actor).values("code"))
    if actor.province_id == settings.MOTCUA_PROVINCE:
        scope |= Q(dossier_code="")
    return messages.filter(scope)
