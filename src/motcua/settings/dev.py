"""The embedded default: SQLite and files in the data folder, a generated secret key."""

import secrets

from .base import *  # noqa: F403
from .base import DATA_DIR, SECRET_KEY, env_bool

DEBUG = env_bool("MOTCUA_DEBUG", True)

DATA_DIR.mkdir(parents=True, exist_ok=True)
if not SECRET_KEY:
    # One key per data folder, kept so that sessions survive a restart.
    key_file = DATA_DIR / "secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    SECRET_KEY = key_file.read_text().strip()
