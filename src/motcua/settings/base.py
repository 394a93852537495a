"""Settings shared by every environment; everything deployment-specific comes from the
environment (``DATABASE_URL``, ``MOTCUA_SECRET_KEY``, ``MOTCUA_DEBUG``, ``MOTCUA_ALLOWED_HOSTS``,
``MOTCUA_PROFILE``, ``MOTCUA_DATA_DIR``)."""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# The province profile the System runs (profiles/*.toml).
MOTCUA_PROFILE = os.environ.get("MOTCUA_PROFILE", "bac-ninh")

# Outbox delivery (SPEC §3 item 23): in-process after commit on the embedded default.
MOTCUA_OUTBOX_IN_PROCESS = env_bool("MOTCUA_OUTBOX_IN_PROCESS", True)
MOTCUA_OUTBOX_MAX_ATTEMPTS = int(os.environ.get("MOTCUA_OUTBOX_MAX_ATTEMPTS", "8"))
MOTCUA_OUTBOX_BACKOFF_SECONDS = int(os.environ.get("MOTCUA_OUTBOX_BACKOFF_SECONDS", "30"))
MOTCUA_OUTBOX_MAX_DELAY = int(os.environ.get("MOTCUA_OUTBOX_MAX_DELAY", str(6 * 3600)))
# Notices to applicants (SPEC §3 item 9): channels tried, and the e-mail/Zalo backends. SMS
# is chosen by MOTCUA_SMS_BACKEND. The embedded default writes every notice to the console.
MOTCUA_NOTIFY_CHANNELS = env_list("MOTCUA_NOTIFY_CHANNELS", "email,sms,zalo")
EMAIL_BACKEND = os.environ.get(
    "MOTCUA_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("MOTCUA_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("MOTCUA_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("MOTCUA_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("MOTCUA_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("MOTCUA_EMAIL_TLS", False)
EMAIL_TIMEOUT = int(os.environ.get("MOTCUA_EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("MOTCUA_EMAIL_FROM", "dichvucong@localhost")
MOTCUA_ZALO_BACKEND = os.environ.get("MOTCUA_ZALO_BACKEND", "console")
MOTCUA_ZALO_URL = os.environ.get(
    "MOTCUA_ZALO_URL", "https://business.openapi.zalo.me/message/template"
)
MOTCUA_ZALO_ACCESS_TOKEN = os.environ.get("MOTCUA_ZALO_ACCESS_TOKEN", "")
MOTCUA_ZALO_TEMPLATE_ID = os.environ.get("MOTCUA_ZALO_TEMPLATE_ID", "")

# The RFC 3161 time-stamping service that dates signed results (PAdES B-T); empty: the
# System's own demo TSA.
MOTCUA_TSA_URL = os.environ.get("MOTCUA_TSA_URL", "")
MOTCUA_TSA_TIMEOUT = int(os.environ.get("MOTCUA_TSA_TIMEOUT", "10"))
# Seconds a process keeps the calendar overrides before reading them again.
MOTCUA_CALENDAR_CACHE_SECONDS = int(os.environ.get("MOTCUA_CALENDAR_CACHE_SECONDS", "60"))

# Embedded default: database, uploaded files and keys live in one data folder.
DATA_DIR = Path(os.environ.get("MOTCUA_DATA_DIR", Path.cwd() / "motcua-data")).resolve()

SECRET_KEY = os.environ.get("MOTCUA_SECRET_KEY", "")
DEBUG = env_bool("MOTCUA_DEBUG", False)
ALLOWED_HOSTS = env_list("MOTCUA_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

INSTALLED_APPS = [
    "motcua.accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "motcua.calendar",
    "motcua.catalogue",
    "motcua.outbox",
    "motcua.dossiers",
    "motcua.documents",
    "motcua.signing",
    "motcua.population",
    "motcua.nationalportal",
    "motcua.backoffice",
    "motcua.identity",
    "motcua.vault",
    "motcua.payments",
    "motcua.postal",
    "motcua.notifications",
    "motcua.feedback",
    "motcua.portal",
    "motcua.api",
    "motcua.web",
    "motcua.demo",
    "motcua.audit",
    "rest_framework_api_key",
    "motcua.apikeys",
    "motcua.jobs",
    "motcua.operations",
    "motcua.reports",
    "motcua.archive",
]

MIDDLEWARE = [
    "motcua.operations.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "motcua.operations.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.web.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / f'{MOTCUA_PROFILE}.sqlite3'}",
        conn_max_age=int(os.environ.get("MOTCUA_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one writer commits; IMMEDIATE takes the write lock at
    # BEGIN so concurrent writers queue instead of failing on lock upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0


def replica_database(environ) -> dict | None:
    """The ``replica`` database alias where ``DATABASE_REPLICA_URL`` names a read replica of
    the primary (SPEC §5 scale-out): only the reports read from it, through
    ``motcua.operations.replica.reporting_db``; the tests use the primary in its place."""
    url = environ.get("DATABASE_REPLICA_URL", "")
    if not url:
        return None
    replica = dj_database_url.parse(
        url, conn_max_age=int(environ.get("MOTCUA_DB_CONN_MAX_AGE", "60"))
    )
    replica["TEST"] = {"MIRROR": "default"}
    return replica


if (replica := replica_database(os.environ)) is not None:
    DATABASES["replica"] = replica

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["motcua.accounts.backends.LockoutBackend"]
LOGIN_URL = "backoffice:login"
#: Where the Portal sends applicants who must sign in (the national SSO or a phone code).
MOTCUA_PORTAL_SIGN_IN_URL = "identity:sign_in"
LOGIN_REDIRECT_URL = "backoffice:dashboard"

# Lockout after repeated failures, idle sessions expire (TN 11: level-3 system).
MOTCUA_LOGIN_ATTEMPTS = int(os.environ.get("MOTCUA_LOGIN_ATTEMPTS", "5"))
MOTCUA_LOCKOUT_MINUTES = int(os.environ.get("MOTCUA_LOCKOUT_MINUTES", "15"))
SESSION_COOKIE_AGE = int(os.environ.get("MOTCUA_SESSION_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
OTP_TOTP_ISSUER = "MotCua"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese by default, English available (SPEC §5).
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["motcua.formats"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("MOTCUA_STATIC_ROOT", DATA_DIR / "static"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MOTCUA_MEDIA_ROOT", DATA_DIR / "media"))


def file_storage(environ) -> dict:
    """Where uploaded files and results are kept (SPEC §5): ``MOTCUA_STORAGE=disk`` (the
    embedded default, under MEDIA_ROOT) or ``s3``, S3-compatible object storage shared by every
    app server and worker: ``MOTCUA_S3_BUCKET``, ``MOTCUA_S3_ENDPOINT_URL`` (MinIO and other
    non-AWS services), ``MOTCUA_S3_REGION``, ``MOTCUA_S3_ACCESS_KEY``, ``MOTCUA_S3_SECRET_KEY``
    (none: the machine's own credentials), ``MOTCUA_S3_PREFIX``, ``MOTCUA_S3_ADDRESSING_STYLE``
    (``path`` for MinIO) and ``MOTCUA_S3_URL_SECONDS`` (lifetime of a signed download link).
    Files stay private: links to them are signed."""
    from django.core.exceptions import ImproperlyConfigured

    kind = environ.get("MOTCUA_STORAGE", "disk")
    if kind == "disk":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind != "s3":
        raise ImproperlyConfigured(f"MOTCUA_STORAGE must be disk or s3, not {kind!r}")
    if not environ.get("MOTCUA_S3_BUCKET"):
        raise ImproperlyConfigured("MOTCUA_STORAGE=s3 needs MOTCUA_S3_BUCKET")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": environ["MOTCUA_S3_BUCKET"],
            "endpoint_url": environ.get("MOTCUA_S3_ENDPOINT_URL") or None,
            "region_name": environ.get("MOTCUA_S3_REGION") or None,
            "access_key": environ.get("MOTCUA_S3_ACCESS_KEY") or None,
            "secret_key": environ.get("MOTCUA_S3_SECRET_KEY") or None,
            "location": environ.get("MOTCUA_S3_PREFIX", ""),
            "addressing_style": environ.get("MOTCUA_S3_ADDRESSING_STYLE") or None,
            "signature_version": "s3v4",
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": int(environ.get("MOTCUA_S3_URL_SECONDS", "300")),
            # A name already taken gets a new one, as on disk: nothing stored is replaced.
            "file_overwrite": False,
        },
    }


STORAGES = {
    "default": file_storage(os.environ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}


def cache(environ) -> dict:
    """The cache of rate-limit counters, banners and page fragments: per process by default;
    with ``MOTCUA_CACHE_URL`` (e.g. ``redis://cache:6379/1``) one Redis cache shared by every
    app server, so that limits hold across them (SPEC §5 scale-out)."""
    url = environ.get("MOTCUA_CACHE_URL", "")
    if not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": environ.get("MOTCUA_CACHE_PREFIX", "motcua"),
    }


CACHES = {"default": cache(os.environ)}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "motcua.api.pagination.CursorPagination",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "EXCEPTION_HANDLER": "motcua.api.errors.exception_handler",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_RATES": {"lookup": os.environ.get("MOTCUA_LOOKUP_RATE", "60/minute")},
}

SPECTACULAR_SETTINGS = {
    "TITLE": "MotCua API",
    "DESCRIPTION": "Hệ thống thông tin giải quyết thủ tục hành chính — REST API.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "AgencyLevelEnum": "motcua.catalogue.models.Agency.Level",
        "AgencyStatusEnum": "motcua.catalogue.models.Agency.Status",
        "ProcedureLevelEnum": "motcua.catalogue.models.Procedure.Level",
        "DossierStatusEnum": "motcua.dossiers.models.Status",
    },
}

# Plain text by default; MOTCUA_LOG_FORMAT=json writes one JSON object per line with the
# request id and user id (motcua.operations.logs).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "motcua.operations.logs.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"}
        | ({"formatter": "json"} if os.environ.get("MOTCUA_LOG_FORMAT") == "json" else {})
    },
    "root": {"handlers": ["console"], "level": os.environ.get("MOTCUA_LOG_LEVEL", "INFO")},
}

# Uploads are scanned by ClamAV's daemon at this address ("unix:/run/clamav/clamd.ctl" or
# "127.0.0.1:3310"); empty: not scanned (motcua.operations.antivirus).
MOTCUA_CLAMAV_ADDRESS = os.environ.get("MOTCUA_CLAMAV_ADDRESS", "")
MOTCUA_CLAMAV_TIMEOUT = float(os.environ.get("MOTCUA_CLAMAV_TIMEOUT", "30"))

# Applicant sign-in (SPEC §3 item 2; HG 5.6, TN 5.5, VP 10). "fake": the in-process identity
# provider of the demo and the tests; "oidc": the national public-service portal's SSO, found
# by OpenID Connect discovery at MOTCUA_SSO_ISSUER.
MOTCUA_SSO_PROVIDER = os.environ.get("MOTCUA_SSO_PROVIDER", "fake")
MOTCUA_SSO_ISSUER = os.environ.get("MOTCUA_SSO_ISSUER", "")
MOTCUA_SSO_CLIENT_ID = os.environ.get("MOTCUA_SSO_CLIENT_ID", "motcua")
MOTCUA_SSO_CLIENT_SECRET = os.environ.get("MOTCUA_SSO_CLIENT_SECRET", "")
MOTCUA_SSO_SCOPE = os.environ.get("MOTCUA_SSO_SCOPE", "openid profile email phone")
MOTCUA_SSO_TIMEOUT = float(os.environ.get("MOTCUA_SSO_TIMEOUT", "10"))
# The claims that carry the personal ID number (VNeID) and the tax code (business accounts).
MOTCUA_SSO_CLAIM_PERSONAL_ID = os.environ.get("MOTCUA_SSO_CLAIM_PERSONAL_ID", "personal_id")
MOTCUA_SSO_CLAIM_TAX_CODE = os.environ.get("MOTCUA_SSO_CLAIM_TAX_CODE", "tax_code")
# Text messages: "console" (the log, for the demo), "memory" (tests) or "http" (the gateway).
MOTCUA_SMS_BACKEND = os.environ.get("MOTCUA_SMS_BACKEND", "console")
MOTCUA_SMS_URL = os.environ.get("MOTCUA_SMS_URL", "")
MOTCUA_SMS_TOKEN = os.environ.get("MOTCUA_SMS_TOKEN", "")
MOTCUA_SMS_SENDER = os.environ.get("MOTCUA_SMS_SENDER", "MOTCUA")
MOTCUA_SMS_TIMEOUT = float(os.environ.get("MOTCUA_SMS_TIMEOUT", "10"))

# Online payment of fees (SPEC §3 item 5): "fake" (in-process, demo and tests) or "vnpay".
MOTCUA_PAYMENT_GATEWAY = os.environ.get("MOTCUA_PAYMENT_GATEWAY", "fake")
MOTCUA_PAYMENT_URL = os.environ.get("MOTCUA_PAYMENT_URL", "")
MOTCUA_PAYMENT_MERCHANT = os.environ.get("MOTCUA_PAYMENT_MERCHANT", "")
MOTCUA_PAYMENT_SECRET = os.environ.get("MOTCUA_PAYMENT_SECRET", "")
MOTCUA_PAYMENT_API_URL = os.environ.get("MOTCUA_PAYMENT_API_URL", "")
MOTCUA_PAYMENT_TIMEOUT = float(os.environ.get("MOTCUA_PAYMENT_TIMEOUT", "10"))

# Background work at scale (SPEC §5): Celery workers behind a broker, Redis by default,
# RabbitMQ with an amqp:// URL. Only used where MOTCUA_OUTBOX_IN_PROCESS is off; the embedded
# default never sends a task and runs the jobs with ``motcua run_jobs``.
CELERY_BROKER_URL = os.environ.get("MOTCUA_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("MOTCUA_CELERY_QUEUE", "motcua")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = float(os.environ.get("MOTCUA_BROKER_TIMEOUT", "2"))
# A request must not hang on a broker that is down: the sweep sends what was not handed over.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
    # Nor on one that accepts the connection but does not answer (stalled, or cut off).
    "socket_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
    # Redis: a task a killed worker had not acknowledged is given again after this long.
    "visibility_timeout": int(os.environ.get("MOTCUA_BROKER_VISIBILITY_TIMEOUT", "3600")),
}
# Scheduled jobs (SPEC §3 item 24); ``motcua run_jobs`` runs the same jobs once.
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {"task": "motcua.outbox.sweep", "schedule": 60.0},
    "deadline-warnings": {"task": "motcua.jobs.run", "schedule": 900.0, "args": ["deadlines"]},
    "reception-alerts": {"task": "motcua.jobs.run", "schedule": 900.0, "args": ["reception"]},
    "supplement-timeouts": {"task": "motcua.jobs.run", "schedule": 3600.0, "args": ["supplements"]},
    "originals-expiry": {"task": "motcua.jobs.run", "schedule": 3600.0, "args": ["originals"]},
    "consistency-check": {
        "task": "motcua.jobs.run",
        "schedule": crontab(hour=1, minute=30),
        "args": ["consistency"],
    },
    "payment-reconciliation": {"task": "motcua.jobs.run", "schedule": 600.0, "args": ["payments"]},
    "national-dossiers": {
        "task": "motcua.jobs.run",
        "schedule": 600.0,
        "args": ["national-dossiers"],
    },
    "national-catalogue": {
        "task": "motcua.jobs.run",
        "schedule": crontab(hour=2, minute=0),
        "args": ["national-catalogue"],
    },
    "phone-codes-purge": {"task": "motcua.jobs.run", "schedule": 3600.0, "args": ["phone-codes"]},
    # Month-end snapshots and the reports due on the profile's dates (HT 14, VP 24.1, HG 21).
    "scheduled-reports": {
        "task": "motcua.jobs.run",
        "schedule": crontab(hour=0, minute=30),
        "args": ["reports"],
    },
}

# Public pages of the Portal (SPEC §3 items 1, 4; §6). Lookups without signing in are limited
# per client address and, by SMS, per phone number; the SMS gateway authenticates with a shared
# token (none set: the SMS endpoint refuses everyone). The limits hold across app servers only
# with a shared cache (MOTCUA_CACHE_URL).
MOTCUA_PORTAL_MAX_AGE = int(os.environ.get("MOTCUA_PORTAL_MAX_AGE", "300"))
MOTCUA_PORTAL_LOOKUP_RATE = os.environ.get("MOTCUA_PORTAL_LOOKUP_RATE", "30/minute")
MOTCUA_SMS_LOOKUP_RATE = os.environ.get("MOTCUA_SMS_LOOKUP_RATE", "10/hour")
MOTCUA_SMS_LOOKUP_KEYWORD = os.environ.get("MOTCUA_SMS_LOOKUP_KEYWORD", "TRACUU")
MOTCUA_SMS_GATEWAY_TOKEN = os.environ.get("MOTCUA_SMS_GATEWAY_TOKEN", "")

# API keys of integrating systems (SPEC §3 item 21; HG 11): accepted by the API beside the
# session, each with its own limit, every call logged; one alert per key and window (seconds).
MIDDLEWARE.append("motcua.apikeys.middleware.KeyCallLog")
REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"].append(
    "motcua.apikeys.authentication.KeyAuthentication"
)
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = ["motcua.apikeys.authentication.KeyRateThrottle"]
MOTCUA_APIKEY_ALERT_WINDOW = int(os.environ.get("MOTCUA_APIKEY_ALERT_WINDOW", "3600"))

# Returning results by post (SPEC §3 item 15): "fake" (in-process) or "http" (the postal
# service's API, HMAC-signed); the webhook secret authenticates its delivery notices.
MOTCUA_POSTAL_SERVICE = os.environ.get("MOTCUA_POSTAL_SERVICE", "fake")
MOTCUA_POSTAL_URL = os.environ.get("MOTCUA_POSTAL_URL", "")
MOTCUA_POSTAL_CLIENT_ID = os.environ.get("MOTCUA_POSTAL_CLIENT_ID", "")
MOTCUA_POSTAL_SECRET = os.environ.get("MOTCUA_POSTAL_SECRET", "")
MOTCUA_POSTAL_TIMEOUT = float(os.environ.get("MOTCUA_POSTAL_TIMEOUT", "10"))
MOTCUA_POSTAL_WEBHOOK_SECRET = os.environ.get("MOTCUA_POSTAL_WEBHOOK_SECRET", "")

# The national public-service portal (SPEC §3 item 22): "fake" (in-process, the demo and the
# tests) or "http" (the portal's integration gateway, requests signed with the shared secret).
MOTCUA_NATIONAL_PORTAL = os.environ.get("MOTCUA_NATIONAL_PORTAL", "fake")
MOTCUA_NATIONAL_PORTAL_URL = os.environ.get("MOTCUA_NATIONAL_PORTAL_URL", "")
MOTCUA_NATIONAL_PORTAL_CLIENT_ID = os.environ.get("MOTCUA_NATIONAL_PORTAL_CLIENT_ID", "")
MOTCUA_NATIONAL_PORTAL_SECRET = os.environ.get("MOTCUA_NATIONAL_PORTAL_SECRET", "")
MOTCUA_NATIONAL_PORTAL_TIMEOUT = float(os.environ.get("MOTCUA_NATIONAL_PORTAL_TIMEOUT", "10"))
# Extra attempts of a call that is safe to repeat, waiting BACKOFF × 2ⁿ seconds between them.
MOTCUA_NATIONAL_PORTAL_RETRIES = int(os.environ.get("MOTCUA_NATIONAL_PORTAL_RETRIES", "2"))
MOTCUA_NATIONAL_PORTAL_BACKOFF = float(os.environ.get("MOTCUA_NATIONAL_PORTAL_BACKOFF", "1"))
