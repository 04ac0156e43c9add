"""Public dossier pages: page weight of tracking, online submission, confirmation and center pages, and the
timing of a tracking lookup with a wrong token against one with an unknown code (they must not differ).

- Page weight: HTML plus the stylesheets and scripts each page links (fonts aside). Target < 100 KB.
- Lookup timing: `dossier_track` called 300 times each way, interleaved; median and p95 in ms. The
  difference of the medians should sit within the noise (a few percent), so timing does not tell
  whether a code exists.

Runs in a child process on a fresh SQLite database in a temporary MOTCUA_DATA_DIR, with a small
province built by the test factories (dev extras, as `make bench` installs).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time

from bench.bench_search import PAGE_BUDGET, _page_weight

LOOKUPS = 300


def _measure() -> None:
    import django

    django.setup()
    from urllib.parse import urlsplit

    from django.test import Client
    from django.test.utils import setup_test_environment

    from motcua.citizens.services import citizen_sign_in
    from motcua.citizens.session import SESSION_KEY
    from motcua.core.errors import NotFound
    from motcua.dossiers.services.drafts import draft_create
    from motcua.dossiers.services.tracking import tracking_url
    from motcua.dossiers.tests.factories import PERSONAL_ID, DossierFactory, build_world
    from motcua.dossiers.tracking_selectors import dossier_track

    setup_test_environment()
    world = build_world()
    returned = DossierFactory.create(world=world, returned=True)
    citizen = citizen_sign_in(
        issuer="bench", claims={"personal_id": PERSONAL_ID, "name": "Nguyễn Văn An", "birthdate": "1990-01-15"}
    )
    draft = draft_create(personal_id=PERSONAL_ID, procedure_code=world.procedure.code, data={}, vneid_verified=True)
    qr = urlsplit(tracking_url(returned))
    anonymous, signed_in = Client(), Client()
    session = signed_in.session
    session[SESSION_KEY] = citizen.personal_id
    session.save()
    pages = [
        (anonymous, "tracking form", "/tra-cuu-ho-so/"),
        (anonymous, "tracking result by QR (returned, with rating form)", f"{qr.path}?{qr.query}"),
        (anonymous, "online submission, not signed in", f"/nop-truc-tuyen/{world.procedure.code}/"),
        (signed_in, "online submission form (draft)", f"/nop-truc-tuyen/{world.procedure.code}/{draft.token}/"),
        (anonymous, "center page", f"/trung-tam/{world.center.code}/"),
    ]
    print("### Page weight (HTML + linked CSS/JS, fonts aside)\n")
    print("| page | HTML bytes | CSS/JS bytes | total KB | target |")
    print("|---|---:|---:|---:|---|")
    for client, name, url in pages:
        page, assets = _page_weight(client, url)
        print(f"| {name} | {page:,} | {assets:,} | {(page + assets) / 1024:.1f} | < {PAGE_BUDGET // 1024} KB |")

    timings: dict[str, list[float]] = {"wrong token, existing code": [], "unknown code": []}
    codes = {"wrong token, existing code": returned.code, "unknown code": "H38.999-260101-0001"}
    wrong = secrets.token_urlsafe(18)
    for n in range(LOOKUPS):
        for name, code in codes.items():
            began = time.perf_counter()
            with contextlib.suppress(NotFound):
                dossier_track(code=code, token=wrong, client=f"bench-{name}-{n}")
            timings[name].append((time.perf_counter() - began) * 1000)
    print(f"\n### Tracking lookup that fails ({LOOKUPS} each, interleaved)\n")
    print("| case | median ms | p95 ms |")
    print("|---|---:|---:|")
    for name, values in timings.items():
        values.sort()
        print(f"| {name} | {statistics.median(values):.3f} | {values[int(len(values) * 0.95)]:.3f} |")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="motcua-bench-portal-") as data_dir:
        env = {
            **os.environ,
            "MOTCUA_DATA_DIR": data_dir,
            "DJANGO_SETTINGS_MODULE": "motcua.settings",
            "MOTCUA_ALLOWED_HOSTS": "testserver",
            # The lookups measure the comparison, not the limiter's refusals.
            "MOTCUA_TRACKING_LIMIT_CLIENT": "1000000/600",
            "MOTCUA_TRACKING_LIMIT_CODE": "1000000/600",
        }
        env.pop("DATABASE_URL", None)
        subprocess.run([sys.executable, "-m", "motcua.cli", "migrate", "-v0"], env=env, check=True)
        subprocess.run([sys.executable, "-m", "bench.bench_portal", "--measure"], env=env, check=True)


if __name__ == "__main__":
    if "--measure" in sys.argv:
        _measure()
    else:
        main()
