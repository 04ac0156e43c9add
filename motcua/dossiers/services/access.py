"""The log of staff reads of applicants' personal data."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from motcua.dossiers.models import Dossier, DossierAccessLog
from motcua.org.models import StaffUser


def access_log_record(*, actor: StaffUser, dossiers: Iterable[Dossier], purpose: str) -> None:
    """One row per dossier whose personal data `actor` was shown (one query for a whole list page)."""
    now = timezone.now()
    DossierAccessLog.objects.bulk_create(
        [DossierAccessLog(dossier=dossier, actor=actor, at=now, purpose=purpose) for dossier in dossiers]
    )
