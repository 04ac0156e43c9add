# mypy: disallow-untyped-calls=False
"""The golden fixture: nine dossiers of one procedure around March 2026, each received through
`dossier_receive` and then given explicit timestamps, so every index value can be computed by hand
(see test_index766_golden.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from motcua.catalog.models import OnlineLevel
from motcua.dossiers.models import Document, Dossier, DossierComponent, DossierRating, Satisfaction
from motcua.dossiers.states import STATUS_OF, Status, SubState
from motcua.dossiers.tests.factories import World, receive
from motcua.reports.refresh import reports_refresh

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: str, hour: int = 8) -> datetime:
    month, dom = (int(x) for x in day.split("-"))
    return datetime(2026, month, dom, hour, tzinfo=TZ)


def _sub_state(status: Status) -> SubState:
    preferred = {Status.IN_PROGRESS: SubState.IN_HANDLING}
    return preferred.get(status) or next(sub for sub, st in STATUS_OF.items() if st == status)


def make(world: World, *, received: datetime, status: Status, channel: str = "direct", **fields: Any) -> Dossier:
    digitized = fields.pop("digitized", False)
    reused = fields.pop("reused", False)
    from_store = fields.pop("from_store", False)
    e_result = fields.pop("e_result", False)
    rating = fields.pop("rating", None)
    dossier = receive(world, received_at=received)
    Dossier.objects.filter(pk=dossier.pk).update(
        channel=channel,
        status=status,
        sub_state=_sub_state(status),
        clock_started_at=fields.pop("clock_started_at", received if status != Status.SUBMITTED else None),
        due_at=fields.pop("due_at", None),
        finished_at=fields.pop("finished_at", None),
        returned_at=fields.pop("returned_at", None),
        **fields,
    )
    first = DossierComponent.objects.filter(dossier=dossier).order_by("pk").first()
    assert first is not None
    DossierComponent.objects.filter(pk=first.pk).update(digitized=digitized, reused=reused, from_national_db=from_store)
    if e_result:
        document = Document.objects.create(sha256=f"{dossier.pk:064d}", size=1, content_type="application/pdf")
        dossier.result_documents.add(document)
    if rating:
        DossierRating.objects.create(dossier=dossier, satisfaction=rating)
    return dossier


def build_golden(world: World) -> dict[str, Dossier]:
    world.procedure.online_level = OnlineLevel.FULL
    world.procedure.save(update_fields=["online_level"])
    d = {
        "A": make(world, received=at("03-02"), status=Status.RETURNED, due_at=at("03-09"),
                  finished_at=at("03-05"), returned_at=at("03-06"), digitized=True, reused=True, e_result=True,
                  rating=Satisfaction.SATISFIED),
        "B": make(world, received=at("03-02", 9), status=Status.RESOLVED, channel="online", due_at=at("03-09", 9),
                  finished_at=at("03-10", 9), e_result=True, from_store=True, vneid_verified=True,
                  rating=Satisfaction.DISSATISFIED),
        "C": make(world, received=at("03-16"), status=Status.IN_PROGRESS, due_at=at("03-23")),
        "D": make(world, received=at("03-16"), status=Status.IN_PROGRESS, due_at=at("04-20"),
                  supplement_rounds=2, late_by_supplements=True),
        "E": make(world, received=at("03-20"), status=Status.SUBMITTED, channel="online"),
        "F": make(world, received=at("03-20"), status=Status.SUPPLEMENT_REQUESTED, due_at=at("03-25"),
                  paused_at=at("03-24"), supplement_rounds=1),
        "G": make(world, received=at("02-10"), status=Status.RETURNED, due_at=at("02-17"),
                  finished_at=at("02-16"), returned_at=at("02-16", 10)),
        "H": make(world, received=at("02-24"), status=Status.RETURNED, due_at=at("03-27"),
                  finished_at=at("03-03"), returned_at=at("03-04"), digitized=True),
        "I": make(world, received=at("03-05"), status=Status.WITHDRAWN, due_at=at("03-12"),
                  finished_at=at("03-06")),
    }  # fmt: skip
    reports_refresh(full=True)
    return d
