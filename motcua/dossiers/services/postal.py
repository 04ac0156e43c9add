"""Public post (bưu chính công ích, domain.md §7, §11.5): pickups of paper dossiers and of results.

When the desk hands a boundary-free paper dossier to the post (`paper_transfer_send(by_post=True)`), or
returns a result by post, the pickup request is written to the outbox in that same transaction; the
integrations app books it with the postal service. What the post says back (the tracking number, the
delivery) comes in through `services.system`.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from motcua.core.outbox import outbox_enqueue
from motcua.dossiers.models import Dossier

POST, SHIPMENT = "post", "shipment"
POSTAL_CARRIER = "Bưu chính công ích"


class Carries(StrEnum):
    """What a shipment carries: the paper dossier to the handling body, or the result to the applicant."""

    PAPER = "paper"
    RESULT = "result"


def postal_pickup_enqueue(*, dossier: Dossier, carries: Carries, at: datetime) -> None:
    """Ask the post to pick `carries` up at the receiving desk; the caller holds the dossier's lock and
    runs this in its transaction. One pickup per dossier and kind (the idempotency key)."""
    center = dossier.receiving_center
    if carries is Carries.PAPER:
        recipient = {"name": dossier.handling_agency.name, "agency_code": dossier.handling_agency.code}
        contents = f"Hồ sơ giấy {dossier.code}"
    else:
        recipient = {
            "name": dossier.applicant_name,
            "address": dossier.applicant_address,
            "phone": dossier.applicant_phone,
        }
        contents = f"Kết quả giải quyết hồ sơ {dossier.code}"
    outbox_enqueue(
        partner=POST,
        kind=SHIPMENT,
        payload={
            "dossier_code": dossier.code,
            "carries": carries.value,
            "sender": {"name": center.name, "address": center.address},
            "recipient": recipient,
            "contents": contents,
        },
        dossier_code=dossier.code,
        idempotency_key=f"{POST}:{dossier.code}:{carries.value}",
        now=at,
    )
