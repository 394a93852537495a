"""The small province of the dossier tests, for the deployment tests."""

from tests.dossiers.conftest import world  # noqa: F401 — the fixture, shared
