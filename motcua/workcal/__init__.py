"""Legal time: the working-day calendar (`calendar.py`, `build.py`), the deadline rules (`legal.py`) and the
cached per-province calendar (`services.get_calendar`). See each module's docstring for its interface."""
