"""`motcua audit-verify` names the dossier and the event that was altered, removed or reordered."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.tests.factories import DossierFactory, World


def _verify() -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("audit_verify", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_intact_chains_pass(world: World) -> None:
    DossierFactory.create_batch(2, world=world, returned=True)
    out, err = _verify()
    assert "2 dossiers checked" in out
    assert err == ""


def _broken(world: World) -> tuple[Dossier, Dossier]:
    intact = DossierFactory.create(world=world, returned=True)
    target = DossierFactory.create(world=world, returned=True)
    return intact, target


def _run_broken() -> str:
    err = StringIO()
    with pytest.raises(CommandError, match="1 of 2 dossiers"):
        call_command("audit_verify", stdout=StringIO(), stderr=err)
    return err.getvalue()


def test_an_altered_event_is_named(world: World) -> None:
    intact, target = _broken(world)
    event = DossierEvent.objects.get(dossier=target, seq=4)
    DossierEvent.objects.filter(pk=event.pk).update(reason="sửa lén")

    report = _run_broken()

    assert f"dossier {target.code}: event seq 4 (id {event.pk})" in report
    assert "altered" in report
    assert intact.code not in report


def test_a_removed_event_is_found(world: World) -> None:
    _, target = _broken(world)
    DossierEvent.objects.filter(dossier=target, seq=3).delete()

    report = _run_broken()

    assert f"dossier {target.code}: event seq 4" in report


def test_removing_the_newest_event_is_found(world: World) -> None:
    _, target = _broken(world)
    DossierEvent.objects.filter(dossier=target, seq=target.event_count).delete()

    assert f"dossier {target.code}: chain" in _run_broken()


def test_reordered_events_are_found(world: World) -> None:
    _, target = _broken(world)
    events = {e.seq: e for e in DossierEvent.objects.filter(dossier=target, seq__in=[2, 3])}
    DossierEvent.objects.filter(pk=events[2].pk).update(seq=1000)
    DossierEvent.objects.filter(pk=events[3].pk).update(seq=2)
    DossierEvent.objects.filter(pk=events[2].pk).update(seq=3)

    report = _run_broken()

    assert f"dossier {target.code}: event seq 2 (id {events[3].pk})" in report
