"""The whole demo: the province's organization and catalog (`catalog.demo`), then every center's queue
services. It sits above every app it seeds, so no lower app has to know about the demo as a whole."""

from __future__ import annotations

from motcua.catalog.demo import DemoSummary, demo_seed
from motcua.org.models import ServiceCenter
from motcua.queueing.services.setup import queue_setup_demo


def demo_all_seed(*, province_code: str) -> DemoSummary:
    """Seed everything the demo shows; idempotent like each part."""
    summary = demo_seed(province_code=province_code)
    for center in ServiceCenter.objects.filter(province_id=province_code, is_active=True).order_by("code"):
        queue_setup_demo(center=center)
    return summary
