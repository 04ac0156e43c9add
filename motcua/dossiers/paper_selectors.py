"""Late paper transfers: received more than 1 working day after the e-transfer, or still not received."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet

from motcua.dossiers.models import PaperTransfer
from motcua.dossiers.selectors import dossiers_visible_to
from motcua.org.models import StaffUser


def paper_transfers_late(actor: StaffUser, *, now: datetime) -> QuerySet[PaperTransfer]:
    """Transfers of dossiers the actor may see that arrived late or are overdue now."""
    return PaperTransfer.objects.filter(
        Q(late=True) | Q(received_at__isnull=True, due_at__lt=now),
        dossier__in=dossiers_visible_to(actor),
    ).select_related("dossier")


def is_late(transfer: PaperTransfer, now: datetime) -> bool:
    return transfer.late or (transfer.received_at is None and transfer.due_at < now)
