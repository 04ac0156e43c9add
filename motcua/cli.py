"""The `motcua` command: Django's management commands with the motcua settings."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if args and not args[0].startswith("-"):
        # `motcua import-procedures` and `motcua import_procedures` name the same command.
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["motcua", *args])


if __name__ == "__main__":
    main()
