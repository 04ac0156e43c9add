"""Paper-broker detection (cò hồ sơ): contacts shared by many unrelated applicants, and officers on whose
desk dossiers loop through supplement requests. Grouped counts in SQL; a list with the evidence.

Contacts are read through `SharedContact`, the values that reach the minimum over all dossiers as of the
last `reports_refresh` (like every report, detection is as fresh as the last refresh)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Count, Q, QuerySet

from motcua.dossiers.models import Dossier, SupplementRequest
from motcua.reports.models import SharedContact

#: A family shares a phone or an address; more distinct personal IDs than a household has is the signal.
MIN_APPLICANTS = {"applicant_phone": 6, "applicant_email": 6, "applicant_address": 10}
#: An officer whose dossiers went through a second supplement request this often, and at this share of
#: the dossiers they asked supplements on (the rules say: ask once, completely — domain.md §4.4).
MIN_LOOPS, MIN_LOOP_SHARE = 5, 0.3
_LABELS = {"applicant_phone": "Số điện thoại", "applicant_email": "Thư điện tử", "applicant_address": "Địa chỉ"}
SAMPLE = 5


@dataclass(frozen=True)
class Suspect:
    kind: str
    label: str
    value: str
    dossiers: int
    applicants: int
    evidence: list[str]


def shared_contacts_refresh(*, changed: QuerySet[Dossier] | None = None) -> int:
    """Recount the contact values of the `changed` dossiers and the values already kept (every value when
    None) and keep those with at least their field's minimum of distinct applicants; returns the rows kept.

    A value can only reach the minimum, or fall below it, through a dossier that changed, so the values
    of the changed dossiers and those kept before are the only ones to recount."""
    kept = 0
    with transaction.atomic():
        for field, minimum in MIN_APPLICANTS.items():
            old = SharedContact.objects.filter(field=field)
            dossiers = Dossier.objects.exclude(**{field: ""})
            if changed is not None:
                recount = Q(**{f"{field}__in": changed.values(field)}) | Q(**{f"{field}__in": old.values("value")})
                dossiers = dossiers.filter(recount)
            # A value needs as many dossiers as applicants: a plain count (hashed) narrows the values before
            # the distinct count sorts them.
            frequent = dossiers.values(field).annotate(total=Count("pk")).filter(total__gte=minimum).values(field)
            values = list(
                dossiers.filter(**{f"{field}__in": frequent})
                .values(field)
                .annotate(applicants=Count("applicant_personal_id", distinct=True))
                .filter(applicants__gte=minimum)
                .values_list(field, flat=True)
                .order_by()
            )
            old.delete()
            kept += len(SharedContact.objects.bulk_create(SharedContact(field=field, value=v) for v in values))
    return kept


def brokers_detect(*, province: str, start: datetime, end: datetime) -> list[Suspect]:
    dossiers = Dossier.objects.filter(
        handling_agency__province_id=province, received_at__gte=start, received_at__lt=end
    )
    suspects: list[Suspect] = []
    for field, minimum in MIN_APPLICANTS.items():
        # Only the period's dossiers whose value is kept in `SharedContact` are grouped (a hashed semi-join
        # with a few values), not every value of the period.
        shared = SharedContact.objects.filter(field=field).values("value")
        groups = (
            dossiers.filter(**{f"{field}__in": shared})
            .values(field)
            .annotate(applicants=Count("applicant_personal_id", distinct=True), total=Count("received_at"))
            .filter(applicants__gte=minimum)
            .order_by("-applicants", field)
        )
        for group in groups:
            value = str(group[field])
            codes = list(
                dossiers.filter(**{field: value}).order_by("received_at").values_list("code", flat=True)[:SAMPLE]
            )
            suspects.append(Suspect("contact", _LABELS[field], value, group["total"], group["applicants"], codes))
    loops = (
        SupplementRequest.objects.filter(dossier__in=dossiers)
        .values("requested_by__username")
        .annotate(
            asked=Count("dossier", distinct=True),
            looped=Count("dossier", distinct=True, filter=Q(round__gte=2)),
        )
        .filter(looped__gte=MIN_LOOPS)
        .order_by("-looped")
    )
    for row in loops:
        if row["looped"] / row["asked"] < MIN_LOOP_SHARE:
            continue
        officer = str(row["requested_by__username"])
        codes = list(
            dossiers.filter(supplement_requests__requested_by__username=officer, supplement_requests__round__gte=2)
            .distinct()
            .values_list("code", flat=True)[:SAMPLE]
        )
        suspects.append(
            Suspect("officer", "Cán bộ yêu cầu bổ sung nhiều lần", officer, row["looped"], row["asked"], codes)
        )
    return suspects
