"""The ``motcua`` command: Django's management commands plus the System's own.

``--profile NAME`` anywhere on the line selects the province profile (and, on the embedded
default, that province's database in the data folder) before Django starts.
"""

import os
import sys


def _profile_from(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--profile" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--profile="):
            return arg.split("=", 1)[1]
    return None


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    profile = _profile_from(argv[1:])
    if profile:
        os.environ["MOTCUA_PROFILE"] = profile
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
