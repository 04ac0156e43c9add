"""Dossier codes (mã hồ sơ), Circular 03/2025/TT-VPCP Art. 13: `<handling agency e-id>-YYMMDD-NNNN`."""

from __future__ import annotations

from datetime import date

from motcua.dossiers.models import DossierSequence
from motcua.org.models import Agency


def dossier_code_allocate(*, agency: Agency, day: date) -> str:
    """The next code of `agency` on `day`. Call inside the reception transaction: the counter row stays
    locked until commit, so concurrent receptions queue and a rolled-back one leaves no gap."""
    locked = DossierSequence.objects.select_for_update()
    try:
        sequence = locked.get(agency=agency, day=day)
    except DossierSequence.DoesNotExist:
        # The day's first reception: INSERT … ON CONFLICT DO NOTHING, so two first receptions cannot both
        # create the row (the second waits for the first's commit), then lock it as above.
        DossierSequence.objects.bulk_create([DossierSequence(agency=agency, day=day)], ignore_conflicts=True)
        sequence = locked.get(agency=agency, day=day)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    # At least 4 digits, growing as needed past 9999.
    return f"{agency.code}-{day:%y%m%d}-{sequence.last_number:04d}"
