"""Ratings: after the result is returned, once per dossier and officer, changeable for a few days."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.core.errors import Conflict, InvalidInput
from motcua.dossiers.models import DossierRating
from motcua.dossiers.services.ratings import dossier_rate
from motcua.dossiers.services.tracking import tracking_token
from motcua.dossiers.tests.factories import DossierFactory, World
from motcua.dossiers.tracking_selectors import dossier_track


def test_one_rating_per_dossier_changeable_within_the_window(world: World) -> None:
    dossier = DossierFactory.create(world=world, returned=True)
    tracked = dossier_track(code=dossier.code, token=tracking_token(dossier), client="t")

    first = dossier_rate(tracked=tracked, satisfaction="neutral", comment="  Chờ lâu  ")
    second = dossier_rate(tracked=tracked, satisfaction="satisfied")

    assert first.pk == second.pk
    assert (second.satisfaction, second.comment, second.changes, second.officer) == (
        "satisfied",
        "",
        1,
        world.staff["reception"],
    )
    with pytest.raises(Conflict) as locked:
        dossier_rate(tracked=tracked, satisfaction="dissatisfied", now=timezone.now() + timedelta(days=8))
    assert locked.value.code == "rating_locked"
    assert DossierRating.objects.get().satisfaction == "satisfied"


def test_only_returned_dossiers_and_known_values(world: World) -> None:
    open_dossier = DossierFactory.create(world=world, handling=True)
    tracked = dossier_track(code=open_dossier.code, token=tracking_token(open_dossier), client="t")
    with pytest.raises(Conflict):
        dossier_rate(tracked=tracked, satisfaction="satisfied")
    returned = DossierFactory.create(world=world, returned=True)
    tracked = dossier_track(code=returned.code, token=tracking_token(returned), client="t")
    with pytest.raises(InvalidInput):
        dossier_rate(tracked=tracked, satisfaction="5 stars")
    with pytest.raises(InvalidInput):
        dossier_rate(tracked=tracked, satisfaction="satisfied", comment="x" * 2001)
    assert not DossierRating.objects.exists()
