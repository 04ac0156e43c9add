"""Django side of the crash-safety test (`python -m tests.crash_child seed|check`), run in child processes
against the database the test's server and worker use; prints one JSON object.

- `seed`: a small province (two communes with their People's Committees, a receiving center, a procedure
  with two required components) and a reception officer's API token.
- `check`: what the database holds after the storm, read against the keys the clients sent (JSON list
  on standard input): one dossier per key, each complete (components, steps, first event, outbox rows),
  codes gap-free per agency and day, outbox states.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections import defaultdict
from typing import Any


def seed() -> dict[str, Any]:
    from motcua.dossiers.tests.factories import build_world
    from motcua.org.services import api_token_create
    from motcua.workcal.services import clear_calendar_cache

    clear_calendar_cache()
    world = build_world()
    other = world.other_agency.unit
    assert other is not None
    return {
        "token": api_token_create(username=world.staff["reception"].username),
        "procedure": world.procedure.code,
        "center": world.center.code,
        "subject_units": [world.subject_code, other.code],
        "components": ["to-khai", "giay-chung-sinh"],
    }


def check(keys: list[str]) -> dict[str, Any]:
    from django.db.models import Count

    from motcua.core.models_outbox import OutboxMessage
    from motcua.dossiers.models import Dossier, DossierEvent

    violations: list[str] = []
    dossiers = list(
        Dossier.objects.annotate(n_components=Count("components", distinct=True), n_steps=Count("steps", distinct=True))
        .select_related("handling_agency")
        .order_by("id")
    )
    by_key: dict[str, list[Dossier]] = defaultdict(list)
    for dossier in dossiers:
        by_key[dossier.idempotency_key].append(dossier)
    for key in keys:
        if len(by_key.get(key, [])) != 1:
            violations.append(f"key {key}: {len(by_key.get(key, []))} dossiers")
    for key in set(by_key) - set(keys):
        violations.append(f"dossier(s) {[d.code for d in by_key[key]]} under a key no client sent: {key!r}")

    first_events = set(DossierEvent.objects.filter(seq=1, action="receive").values_list("dossier_id", flat=True))
    outbox: dict[str, str] = dict(OutboxMessage.objects.values_list("idempotency_key", "state"))
    numbers: dict[tuple[str, str], list[int]] = defaultdict(list)
    for dossier in dossiers:
        if dossier.n_components != 2 or dossier.n_steps == 0 or dossier.id not in first_events:
            violations.append(
                f"{dossier.code} partial: {dossier.n_components} components, {dossier.n_steps} steps, "
                f"first event {'present' if dossier.id in first_events else 'missing'}"
            )
        for expected in (f"dvcqg:{dossier.code}:1", f"sms:{dossier.code}:1"):
            if outbox.get(expected) not in ("delivered", "pending"):
                violations.append(f"{dossier.code}: outbox message {expected} is {outbox.get(expected, 'missing')}")
        match = re.fullmatch(r"(.+)-(\d{6})-(\d{4,})", dossier.code)
        assert match is not None, dossier.code
        agency, day, number = match.groups()
        numbers[(agency, day)].append(int(number))
    for (agency, day), seen in sorted(numbers.items()):
        if sorted(seen) != list(range(1, len(seen) + 1)):
            missing = sorted(set(range(1, max(seen) + 1)) - set(seen))
            violations.append(f"codes of {agency} on {day} not gap-free: missing {missing[:10]}, {len(seen)} codes")
    states: dict[str, int] = defaultdict(int)
    for state in outbox.values():
        states[state] += 1
    return {
        "dossiers": len(dossiers),
        "codes_by_key": {key: [d.code for d in found] for key, found in by_key.items()},
        "codes": {f"{agency} {day}": len(seen) for (agency, day), seen in numbers.items()},
        "outbox": dict(states),
        "violations": violations,
    }


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    step = sys.argv[1]
    result = seed() if step == "seed" else check(json.load(sys.stdin))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
