"""Rating a dossier after its result is returned (domain.md §9), by whoever holds its receipt (QR token or
phone digits, proven by `dossier_track`): once per dossier, changeable for `MOTCUA_RATING_CHANGE_DAYS`."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from motcua.config import env
from motcua.core.errors import Conflict, InvalidInput
from motcua.dossiers.models import Dossier, DossierEvent, DossierRating, Satisfaction
from motcua.dossiers.states import Action, Status
from motcua.dossiers.tracking_selectors import TrackedDossier

MAX_COMMENT = 2000


def rating_change_window() -> timedelta:
    return timedelta(days=int(env("MOTCUA_RATING_CHANGE_DAYS")))


def dossier_rate(
    *, tracked: TrackedDossier, satisfaction: str, comment: str = "", now: datetime | None = None
) -> DossierRating:
    """Rate the dossier and the officer who returned its result; a second rating within the window
    replaces the first, after it the rating stands. `tracked` is the proof the caller holds the receipt."""
    if satisfaction not in Satisfaction.values:
        raise InvalidInput("Vui lòng chọn mức độ hài lòng.", code="invalid_satisfaction", allowed=Satisfaction.values)
    comment = comment.strip()
    if len(comment) > MAX_COMMENT:
        raise InvalidInput(f"Góp ý dài quá {MAX_COMMENT} ký tự.", code="comment_too_long")
    at = now or timezone.now()
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=tracked.dossier.pk)
        if dossier.status != Status.RETURNED:
            raise Conflict("Chỉ đánh giá được hồ sơ đã trả kết quả.", code="rating_not_open")
        rating = DossierRating.objects.filter(dossier=dossier).first()
        if rating is None:
            return DossierRating.objects.create(
                dossier=dossier, officer_id=_returning_officer(dossier.pk), satisfaction=satisfaction, comment=comment
            )
        if at - rating.created_at > rating_change_window():
            raise Conflict("Đã hết thời gian sửa đánh giá.", code="rating_locked")
        rating.satisfaction = satisfaction
        rating.comment = comment
        rating.changes += 1
        rating.save(update_fields=["satisfaction", "comment", "changes", "updated_at"])
    return rating


def _returning_officer(dossier_id: int) -> int | None:
    return (
        DossierEvent.objects.filter(dossier_id=dossier_id, action=Action.RETURN_RESULT)
        .order_by("-seq")
        .values_list("actor_id", flat=True)
        .first()
    )
