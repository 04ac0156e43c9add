"""Paper-broker detection (cò hồ sơ): contacts shared by many unrelated applicants, and officers on whose
desk dossiers loop through supplement requests. Grouped counts in SQL; a list with the evidence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q

from motcua.dossiers.models import Dossier, SupplementRequest

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


def brokers_detect(*, province: str, start: datetime, end: datetime) -> list[Suspect]:
    dossiers = Dossier.objects.filter(
        handling_agency__province_id=province, received_at__gte=start, received_at__lt=end
    )
    suspects: list[Suspect] = []
    for field, minimum in MIN_APPLICANTS.items():
        # Counting distinct applicants sorts every row of the period; a value needs at least as many
        # dossiers as applicants, so a plain count (hashed, no sort) narrows the values first. Counting a
        # column of `dossier_received_contacts` (not the id) lets both queries read only that index.
        frequent = list(
            dossiers.exclude(**{field: ""})
            .values(field)
            .annotate(total=Count("received_at"))
            .filter(total__gte=minimum)
            .values_list(field, flat=True)
        )
        groups = (
            dossiers.filter(**{f"{field}__in": frequent})
            .values(field)
            .annotate(applicants=Count("applicant_personal_id", distinct=True), total=Count("received_at"))
            .filter(applicants__gte=minimum)
            .order_by("-applicants", field)
        )
        for group in groups if frequent else ():
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
