"""Settings for AIRCOP Targeting, all read from the environment.

Two ways to run (design.md):
- embedded (no DATABASE_URL): SQLite under var/, Celery tasks run in-process, local memory cache;
- full (DATABASE_URL and CELERY_BROKER_URL/REDIS_URL): PostgreSQL, Redis, real workers.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
VAR_DIR = Path(env("AIRCOP_VAR_DIR", default=str(BASE_DIR / "var")))


def _embedded_secret_key() -> str:
    """A per-installation key kept under var/ so a laptop run needs no configuration."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default=None) or _embedded_secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

EMBEDDED = "DATABASE_URL" not in env

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_api_key",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "axes",
    "django_htmx",
    "simple_history",
    "aircop.audit",
    "aircop.api",
    "aircop.web",
    "agencies",
    "targeting.manifests",
    "targeting.ingestion",
    "targeting.rules",
    "targeting.triage",
    "agencies.cases",
    "agencies.airlines",
    "agencies.network",
    "agencies.training",
    "agencies.operations",
    "agencies.consultations",
    "liaison",
    "aircop.results",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "aircop.audit.middleware.RequestContextMiddleware",
    "agencies.middleware.TaskForceTimezoneMiddleware",
    "agencies.consultations.middleware.AirlineStaffConfinementMiddleware",
    # Axes must come last so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "aircop.urls"
WSGI_APPLICATION = "aircop.wsgi.application"
ASGI_APPLICATION = "aircop.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "agencies.context_processors.membership",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
if EMBEDDED:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("SQLITE_PATH", default=str(VAR_DIR / "aircop.sqlite3")),
            "OPTIONS": {"timeout": 20},
        }
    }
else:
    DATABASES = {"default": env.db("DATABASE_URL")}
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery -----------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default=None)
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
# Without a broker (the embedded mode) tasks run in-process, still only after commit.
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Overridable so that a test run (or a second installation sharing a Redis) has its own queue.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="default")
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Liaison: check the channels and send what still waits in the outbox.
    "liaison-drain-outbox": {"task": "liaison.drain_outbox", "schedule": 60.0},
    # Consultation requests: overdue ones marked, airlines reminded once of those due in 24 h.
    "consultations-remind-airlines": {
        "task": "consultations.remind_airlines_of_due_requests",
        "schedule": 15 * 60.0,
    },
}
CELERY_TIMEZONE = "UTC"

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "agencies.Person"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "agencies.backends.PersonBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)  # one shift
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-axes: lock a username (from any address) after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
# The account is what gets locked ("account lockout"): officers at an airport often share one
# public address, so locking by address would lock a whole shift out. Hence axes.W006 is
# silenced below on purpose; rate limits per address belong to the reverse proxy.
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# django-guardian: no anonymous user row (every person belongs to an agency).
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "aircop.api.authentication.PersonalTokenAuthentication",
        "aircop.api.authentication.ProviderTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["aircop.api.permissions.IsPerson"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "aircop.api.errors.json_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": env("API_RATE", default="6000/hour"),
        "ingest": env("INGEST_RATE", default="600/minute"),  # per data provider
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "AIRCOP Targeting API",
    "DESCRIPTION": "Passenger data, screening, triage, cases and liaison for JAITFs.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["aircop.api.permissions.IsPerson"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Swagger UI is served by us (no outside hosts).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("pt", _("Portuguese")),
    ("ar", _("Arabic")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"  # stored in UTC; shown in the task force's zone (TaskForceTimezoneMiddleware)

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "aircop" / "web" / "static"]
# Uploaded files live outside the web root and are served only through permission checks.
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "uploads")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=12 * 1024 * 1024)

# --- Email ----------------------------------------------------------------------------------
# EMAIL_URL as django-environ reads it (smtp+tls://user:pass@host:587, consolemail://,
# filemail:///path), turned into Django 6.1's MAILERS.
_email = env.email_url("EMAIL_URL", default="consolemail://")
_email_options = {
    option: _email[key]
    for key, option in [
        ("EMAIL_HOST", "host"),
        ("EMAIL_PORT", "port"),
        ("EMAIL_HOST_USER", "username"),
        ("EMAIL_HOST_PASSWORD", "password"),
        ("EMAIL_USE_TLS", "use_tls"),
        ("EMAIL_USE_SSL", "use_ssl"),
        ("EMAIL_FILE_PATH", "file_path"),
    ]
    if _email.get(key) not in (None, "")
}
if not _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend"):
    _email_options = {k: v for k, v in _email_options.items() if k == "file_path"}
if "file_path" in _email_options:  # filemail:///var/mail gives "var/mail": the path is absolute
    _email_options["file_path"] = "/" + str(_email_options["file_path"]).lstrip("/")
MAILERS = {"default": {"BACKEND": _email["EMAIL_BACKEND"], "OPTIONS": _email_options}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="aircop-targeting@localhost")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# --- Security -------------------------------------------------------------------------------
# Off only when explicitly said (the local demo and the test suite speak plain HTTP).
HTTPS = env.bool("AIRCOP_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# --- Passenger data -------------------------------------------------------------------------
# Largest message or file accepted (the ingest API answers 413 above it).
INGEST_MAX_BYTES = env.int("INGEST_MAX_BYTES", default=10 * 1024 * 1024)
# A message is late when received less than this many minutes before scheduled departure.
# API is sent at flight closure and PNR's last push at departure (T-0): by default, late means
# after departure; a state that wants API earlier raises the cut-off.
INGEST_LATE_CUTOFF_MINUTES = {
    "PAXLST": env.int("API_LATE_CUTOFF_MINUTES", default=0),
    "PNRGOV": env.int("PNR_LATE_CUTOFF_MINUTES", default=0),
    "manifest": env.int("MANIFEST_LATE_CUTOFF_MINUTES", default=0),
}
# Keys the hashes of card numbers; keep it stable (changing it breaks links across payments).
CARD_HASH_KEY = env("CARD_HASH_KEY", default=SECRET_KEY)
# Largest photo or scanned document attached to a case file.
CASE_ATTACHMENT_MAX_BYTES = env.int("CASE_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)

# --- Liaison --------------------------------------------------------------------------------
# This installation's name in the messages it sends (aircop-exchange/1 "sender.installation").
LIAISON_INSTALLATION = env("LIAISON_INSTALLATION", default="aircop-local")
# This installation's Ed25519 key (PEM) for signing requests to peer task forces; without it,
# a key is made on first use in var/liaison-ed25519.pem (0600). `liaison_key show` prints the
# public half to give to the peers.
LIAISON_SIGNING_KEY = env("LIAISON_SIGNING_KEY", default=None)
# A signed request whose timestamp is further than this from our clock is refused.
LIAISON_MAX_SKEW_SECONDS = env.int("LIAISON_MAX_SKEW_SECONDS", default=300)
# Largest message a peer may post to /liaison/inbound/ (413 above it).
LIAISON_MAX_BYTES = env.int("LIAISON_MAX_BYTES", default=1024 * 1024)

# --- Triage ---------------------------------------------------------------------------------
# The queue keeps a flight this many hours after it arrived or left, for late decisions.
TRIAGE_QUEUE_PAST_HOURS = env.int("TRIAGE_QUEUE_PAST_HOURS", default=2)
# How often an open queue page asks whether anything changed (an unchanged queue costs 2 queries).
TRIAGE_POLL_SECONDS = env.int("TRIAGE_POLL_SECONDS", default=10)
# Travellers per page of the queue.
TRIAGE_PAGE_SIZE = env.int("TRIAGE_PAGE_SIZE", default=50)
# The longest the queue's grouping of hits is kept; any screening or list change renews it.
TRIAGE_CACHE_SECONDS = env.int("TRIAGE_CACHE_SECONDS", default=300)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
