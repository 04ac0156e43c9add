"""The WSGI module gunicorn loads: the URL configuration loaded at once and the process's lasting objects
set aside from the garbage collector (`gc.freeze`)."""

from __future__ import annotations

import os
import subprocess
import sys


def test_loading_the_application_loads_the_urls_and_freezes_what_it_loaded() -> None:
    probe = (
        "import gc, sys; import motcua.wsgi; "
        "print(gc.get_freeze_count(), 'motcua.dossiers.api' in sys.modules, gc.get_count()[2])"
    )
    done = subprocess.run(  # noqa: S603 - this interpreter, a fixed probe
        [sys.executable, "-c", probe],
        env={**os.environ, "MOTCUA_DEBUG": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    frozen, api_loaded, in_oldest = done.stdout.split()

    assert int(frozen) > 50_000
    assert api_loaded == "True"
    assert int(in_oldest) == 0
