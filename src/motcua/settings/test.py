"""Test settings: an in-memory SQLite database unless ``DATABASE_URL`` names another."""

import os

import dj_database_url

from .base import *  # noqa: F403

SECRET_KEY = "test-only-secret-key-not-for-production"
DEBUG = False
if not os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse("sqlite://:memory:")}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files come from the apps' folders; nothing is collected for tests.
WHITENOISE_AUTOREFRESH = True
# Notices are kept in memory where the tests can read them.
MOTCUA_ZALO_BACKEND = "memory"
MOTCUA_SMS_BACKEND = "memory"
