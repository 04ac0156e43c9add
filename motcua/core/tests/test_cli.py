from __future__ import annotations

import pytest

from motcua.cli import main


def test_hyphenated_command_names_reach_the_django_command(capsys: pytest.CaptureFixture[str]) -> None:
    main(["env-example"])

    assert "MOTCUA_DATA_DIR=./var" in capsys.readouterr().out
