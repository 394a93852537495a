"""Imported first by every benchmark script.

``bench/calendar.py`` shadows the standard library's ``calendar`` for scripts in this
folder, so the folder is taken off the import path; the project's ``src`` goes on it and
Django is set up on the test settings (``DATABASE_URL`` picks the database).
"""

import os
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH]
sys.path.insert(0, str(BENCH.parent / "src"))


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings.test")
    import django

    django.setup()
