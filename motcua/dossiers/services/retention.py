"""Retention of applicants' personal data (Decree 13/2023/NĐ-CP, Art. 16: kept no longer than needed).

A closed dossier (returned, refused, withdrawn or stopped) keeps its applicant's personal data for
`MOTCUA_RETENTION_DAYS` after it closed; then `dossiers_anonymize_expired` clears the name, personal ID,
birth date, phone, e-mail, street address, the request fingerprint and the rating's free-text comment.
What the statistics and the legal record need stays: the dossier, its codes, procedure, dates, statuses,
commune, channel, components and documents, the satisfaction level, and its event chain, to which the
anonymization is appended as one more event by the system (so `motcua audit-verify` still passes and the
trail says when and why the data went). The event is not sent to partner systems: they keep their own copy
under their own retention, and an update with empty fields would overwrite it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from motcua.config import env
from motcua.dossiers.models import Dossier, DossierRating
from motcua.dossiers.services.events import event_build
from motcua.dossiers.states import FINAL

#: The event recorded on the dossier's trail (ẩn danh hóa dữ liệu cá nhân).
ANONYMIZE = "anonymize-personal-data"
#: The name an anonymized dossier carries; also how a finished anonymization is recognised.
ANONYMIZED_NAME = "(đã ẩn danh)"
_CLEARED = ["applicant_name", "applicant_personal_id", "applicant_birth_date", "applicant_phone"]
_CLEARED += ["applicant_email", "applicant_address", "idempotency_fingerprint"]


def retention_days() -> int:
    """Days personal data of a closed dossier is kept (0: kept for ever)."""
    return int(env("MOTCUA_RETENTION_DAYS"))


def dossiers_past_retention(*, now: datetime | None = None) -> list[int]:
    """Primary keys of closed dossiers whose personal data is past retention and not yet anonymized."""
    days = retention_days()
    if days <= 0:
        return []
    cutoff = (now or timezone.now()) - timedelta(days=days)
    # Closed when the result went back (returned) or when handling ended (refused, withdrawn, stopped).
    closed_before = Q(returned_at__lt=cutoff) | Q(returned_at__isnull=True, finished_at__lt=cutoff)
    candidates = Dossier.objects.filter(closed_before, sub_state__in=list(FINAL)).exclude(
        applicant_name=ANONYMIZED_NAME
    )
    return list(candidates.order_by("pk").values_list("pk", flat=True))


def dossiers_anonymize_expired(*, now: datetime | None = None) -> list[str]:
    """Anonymize every dossier past retention (a system caller: no actor), each in its own transaction
    under its row lock; the codes. Running it again anonymizes nothing more (idempotent)."""
    at = now or timezone.now()
    return [code for pk in dossiers_past_retention(now=at) if (code := _anonymize(pk, at)) is not None]


def _anonymize(pk: int, at: datetime) -> str | None:
    with transaction.atomic():
        dossier = (
            Dossier.objects.select_for_update(of=("self",))
            .filter(pk=pk, sub_state__in=list(FINAL))
            .exclude(applicant_name=ANONYMIZED_NAME)
            .first()
        )
        if dossier is None:
            return None
        cleared = [name for name in _CLEARED if getattr(dossier, name) not in ("", None)]
        dossier.applicant_name = ANONYMIZED_NAME
        dossier.applicant_personal_id = ""
        dossier.applicant_birth_date = None
        dossier.applicant_phone = dossier.applicant_email = dossier.applicant_address = ""
        dossier.idempotency_fingerprint = ""
        comments = DossierRating.objects.filter(dossier=dossier).exclude(comment="").update(comment="")
        event = event_build(
            dossier=dossier,
            action=ANONYMIZE,
            actor=None,
            at=at,
            from_status=dossier.status,
            from_sub_state=dossier.sub_state,
            reason=f"Hết thời hạn lưu giữ dữ liệu cá nhân ({retention_days()} ngày sau khi kết thúc hồ sơ).",
            payload={"fields": cleared, "rating_comment": bool(comments), "retention_days": retention_days()},
        )
        event.save(force_insert=True)
        dossier.save()
        return dossier.code
