"""The read-replica router sends only the reports app's reads to the replica."""

from __future__ import annotations

from django.apps import apps

from motcua.core.routing import REPLICA, ReportsReplicaRouter


def test_reports_reads_go_to_the_replica_and_everything_else_to_the_primary() -> None:
    router = ReportsReplicaRouter()
    fact = apps.get_model("reports", "DossierFact")
    dossier = apps.get_model("dossiers", "Dossier")

    assert router.db_for_read(fact) == REPLICA
    assert router.db_for_read(dossier) is None
    assert router.db_for_write(fact) == "default"
    assert router.allow_migrate("default", "reports")
    assert not router.allow_migrate(REPLICA, "reports")
