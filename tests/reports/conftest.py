"""The small province of the dossier tests, for the reports."""

from ..dossiers.conftest import world  # noqa: F401
