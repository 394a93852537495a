"""System check: the configured province profile loads (``MOTCUA_PROFILE``)."""

from django.conf import settings
from django.core.checks import Error

from .loader import ProfileError, load_profile


def check_active_profile(app_configs=None, **kwargs):
    try:
        load_profile(settings.MOTCUA_PROFILE)
    except ProfileError as error:
        return [
            Error(str(error), hint="Set MOTCUA_PROFILE to a shipped profile.", id="motcua.E001")
        ]
    return []
