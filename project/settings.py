"""Tidu settings: one module, driven by environment variables.

Unset variables give the embedded default (SQLite in ``var/``, Celery eager, DEBUG on);
production sets ``DATABASE_URL``, ``CELERY_BROKER_URL``, ``SECRET_KEY`` and
``DEBUG=0``. A malformed value stops start-up with a message naming the variable.
"""

import datetime
import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TIDU_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-for-the-embedded-default-only"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The site's public address: the QR code on every official document links to its /verify/ page.
TIDU_PUBLIC_URL = os.environ.get("TIDU_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
if not TIDU_PUBLIC_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"TIDU_PUBLIC_URL must start with http:// or https://, got {TIDU_PUBLIC_URL!r}")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "viewflow",
    "viewflow.workflow",
    "steplog",  # the ground: every app below writes steps; it imports none of them
    "enterprises",
    "notifications",
    "approvals",
    "documents",
    "rewards",
    "workflows",
    "dashboard",  # top of the house: reads every app above; nothing imports it
    "axes",  # login lockout; last, as django-axes asks
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After the locale (its 400 speaks the user's language), before anything reads the path or a field.
    "project.middleware.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # answers a locked-out login (after authentication)
    "steplog.middleware.RequestContextMiddleware",
    "project.middleware.DatabaseUnavailableMiddleware",  # a lost database answers 503, not 500
]

ROOT_URLCONF = "project.urls"
WSGI_APPLICATION = "project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "project" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "workflows.context_processors.pool_refresh_notice",
                "workflows.context_processors.returned_cases_notice",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]


def database_from_env() -> dict:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "tidu.sqlite3")),
            # Concurrent writers queue for the write lock instead of failing with
            # "database is locked" (measured: 14 of 16 failed without it).
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    if not url.startswith(("postgres://", "postgresql://", "sqlite://")):
        raise ImproperlyConfigured(
            f"DATABASE_URL must start with postgres:// or sqlite://, got {url.split(':')[0]!r}"
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is malformed: {exc}") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    return config


DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "enterprises.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out name and address before the password is checked
    "enterprises.auth.RoleBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
if DEBUG:
    # Demo passwords are short on purpose; production keeps the full set.
    AUTH_PASSWORD_VALIDATORS = AUTH_PASSWORD_VALIDATORS[:1]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# One date format per language, the same 2026-11-30 in both (project/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["project.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "project" / "static"]
STATIC_ROOT = VAR_DIR / "static"
# `make setup` collects into it; WhiteNoise warns on every start while it does not exist.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# gunicorn serves the collected static files itself (WhiteNoise); in development they are re-read as they change.
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
TIDU_MAX_IMPORT_BYTES = env_int("TIDU_MAX_IMPORT_BYTES", 20 * 1024 * 1024)
# An application's attachment (PDF, JPG, PNG, XLSX, judged by content) may be at most this many bytes.
TIDU_MAX_ATTACHMENT_BYTES = env_int("TIDU_MAX_ATTACHMENT_BYTES", 20 * 1024 * 1024)
# Enterprise lists: refused above MAX_ROWS; above ASYNC_ROWS the page and the API hand them to the worker.
TIDU_IMPORT_MAX_ROWS = env_int("TIDU_IMPORT_MAX_ROWS", 100_000)
TIDU_IMPORT_ASYNC_ROWS = env_int("TIDU_IMPORT_ASYNC_ROWS", 2_000)

# Celery: eager (in-process) unless a broker is configured.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "").strip()
if CELERY_BROKER_URL and not CELERY_BROKER_URL.startswith(("redis://", "rediss://", "memory://")):
    raise ImproperlyConfigured(
        f"CELERY_BROKER_URL must start with redis://, got {CELERY_BROKER_URL.split(':')[0]!r}"
    )
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    # Eager tasks never reach a broker, but Celery 5.7 still builds a producer to serialise them:
    # name the in-memory transport (with a host, or kombu warns about a missing one).
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "") or None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Keep every task well under Redis' visibility timeout so nothing is redelivered mid-run.
CELERY_TASK_TIME_LIMIT = 600
CELERY_TASK_SOFT_TIME_LIMIT = 540
# Publishing fails within about a second when the broker is unreachable (one connect of at most
# a second, one quick retry), so a page never hangs on it: every side effect is recorded in the
# database first and its sweep queues it again (steplog.dispatch, TIDU_SWEEP_STALLED_SECONDS).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 1}
CELERY_BROKER_CONNECTION_TIMEOUT = 1.0
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# Owed side effects not done this many seconds after they were recorded (the broker was down, a
# worker died) are taken up by their sweeps: documents waiting for their PDF, titles waiting for
# their entitlements, imports queued but not started, e-mail and SMS deliveries never picked up.
TIDU_SWEEP_STALLED_SECONDS = env_int("TIDU_SWEEP_STALLED_SECONDS", 120)
if TIDU_SWEEP_STALLED_SECONDS < 1:
    raise ImproperlyConfigured("TIDU_SWEEP_STALLED_SECONDS must be at least 1")
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # Reminders, escalations and viewflow's due timers (approvals.services.sla.due_timers_run).
    "approvals-due-timers": {"task": "approvals.run_due_timers", "schedule": 60.0},
    # A daily checkpoint of the step log, written to TIDU_AUDIT_CHECKPOINT_DIR.
    "approvals-checkpoint": {"task": "approvals.export_checkpoint", "schedule": 24 * 3600.0},
    # Documents still waiting for their PDF (e.g. the broker was down): render again.
    "documents-requeue-stalled": {"task": "documents.requeue_stalled", "schedule": 60.0},
    # Final recognitions whose title has no entitlement yet (免申即享 owed): compute them.
    "workflows-entitlements-owed": {"task": "workflows.entitlements_owed", "schedule": 60.0},
    # Imports queued but never started: queue again; imports whose worker died: reported failed.
    "enterprises-import-jobs-stalled": {"task": "enterprises.import_jobs_stalled", "schedule": 60.0},
    # E-mail and SMS deliveries that failed (after their backoff) or were never picked up: send again.
    "notifications-send-due": {"task": "notifications.send_due", "schedule": 60.0},
    # Title-expiry reminders 180, 90 and 30 days ahead; each (title, threshold) once.
    "notifications-expiring-titles": {"task": "notifications.remind_expiring_titles", "schedule": 24 * 3600.0},
    # This year's dashboard figures of every reach, computed before the cached ones expire.
    "dashboard-warm-figures": {"task": "dashboard.warm_figures", "schedule": 50.0},
}
# Working days a task may stay overdue before it is escalated to the city reviewers' queue.
TIDU_ESCALATE_AFTER_OVERDUE_DAYS = env_int("TIDU_ESCALATE_AFTER_OVERDUE_DAYS", 3)
# Where daily step-log checkpoints go; point it at storage the database administrators cannot rewrite.
TIDU_AUDIT_CHECKPOINT_DIR = Path(os.environ.get("TIDU_AUDIT_CHECKPOINT_DIR", VAR_DIR / "checkpoints"))
# The bureau's Ed25519 key (PEM, private) that signs checkpoints and evidence bundles: make one with
# `manage.py signing_key_create PATH`. Unset with DEBUG on, a development key is made under var/ on first use
# (with a warning); unset with DEBUG off, each signing fails with a message naming this variable.
TIDU_SIGNING_KEY_FILE = os.environ.get("TIDU_SIGNING_KEY_FILE", "").strip() or None
TIDU_SIGNING_KEY_DEV_FILE = VAR_DIR / "signing" / "development-ed25519.pem" if DEBUG else None
# Notifications: the SMS gateway (a class with send(*, phone, text); the default only logs),
# and how often a failed e-mail or SMS is tried (the first retry after N minutes, doubling).
TIDU_SMS_BACKEND = os.environ.get("TIDU_SMS_BACKEND", "notifications.sms.LoggingSmsBackend")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
TIDU_NOTIFICATION_MAX_ATTEMPTS = env_int("TIDU_NOTIFICATION_MAX_ATTEMPTS", 5)
TIDU_NOTIFICATION_RETRY_MINUTES = env_int("TIDU_NOTIFICATION_RETRY_MINUTES", 1)
if TIDU_NOTIFICATION_MAX_ATTEMPTS < 1 or TIDU_NOTIFICATION_RETRY_MINUTES < 1:
    raise ImproperlyConfigured("TIDU_NOTIFICATION_MAX_ATTEMPTS and TIDU_NOTIFICATION_RETRY_MINUTES must be at least 1")

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes a missing or bad credential a 401, not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["project.api.FilterBackend"],  # a blank filter value is refused
    # JSON with a NUL in any string is a 400 naming the field (PostgreSQL refuses NUL in text).
    "DEFAULT_PARSER_CLASSES": [
        "project.middleware.NulRefusingJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "project.api.PageNumberPagination",  # ?page= with no number is 404
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "project.schema.ErrorsDocumentedSchema",  # documents the error statuses
    "EXCEPTION_HANDLER": "project.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["enterprises.throttles.AnonThrottle", "enterprises.throttles.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {},  # below, from the environment
    # Proxies in front of Django whose X-Forwarded-For is trusted (0: the client is REMOTE_ADDR).
    "NUM_PROXIES": env_int("TIDU_TRUSTED_PROXIES", 0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tidu (梯度) API",
    "DESCRIPTION": "专精特新 enterprise cultivation: registry, cases, approvals, rewards, documents.",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    # Several models name a choice field "kind"; give each choice set its own schema name.
    "ENUM_NAME_OVERRIDES": {
        "ApplicationKindEnum": "workflows.models.ApplicationKind",
        "DocumentKindEnum": "documents.models.DocumentKind",
        "JurisdictionKindEnum": "enterprises.models.JurisdictionKind",
        "CoachingActivityKindEnum": "workflows.models.coaching.CoachingActivityKind",
    },
}

# Throttles on the public doors: past a rate, 429 and the time to try again. A rate is
# "<count>/<second|minute|hour|day>" or "off". Counters live in the cache: with several
# processes, set CACHE_URL (redis://) so they share one count.
def env_rate(name: str, default: str) -> str | None:
    raw = (os.environ.get(name) or default).strip()
    if raw.lower() == "off":
        return None
    if not re.fullmatch(r"[1-9][0-9]*/(second|minute|hour|day)", raw):
        raise ImproperlyConfigured(f"{name} must look like 10/hour (or off), got {raw!r}")
    return raw


REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    "anon": env_rate("TIDU_RATE_ANON", "60/minute"),  # anonymous API callers (public verification, schema)
    "user": env_rate("TIDU_RATE_USER", "3000/hour"),  # token and session API callers, per user
    "signup": env_rate("TIDU_RATE_SIGNUP", "10/hour"),  # self-registrations posted, per address
    "verify": env_rate("TIDU_RATE_VERIFY", "60/minute"),  # /verify/ code lookups, per address
    "verify_upload": env_rate("TIDU_RATE_VERIFY_UPLOAD", "20/hour"),  # /verify/ PDF uploads, per address
}
CACHE_URL = os.environ.get("CACHE_URL", "").strip()
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured(f"CACHE_URL must start with redis://, got {CACHE_URL.split(':')[0]!r}")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# Login lockout (django-axes): after TIDU_LOGIN_FAILURE_LIMIT failures for one name from one
# address, that pair is locked for TIDU_LOGIN_LOCKOUT_MINUTES; each failure is still a step.
AXES_ENABLED = env_bool("TIDU_LOGIN_LOCKOUT", True)
AXES_FAILURE_LIMIT = env_int("TIDU_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("TIDU_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "enterprises.throttles.login_locked_out"
AXES_CLIENT_IP_CALLABLE = "enterprises.throttles.client_ip"
AXES_VERBOSE = False
if AXES_FAILURE_LIMIT < 1 or AXES_COOLOFF_TIME.total_seconds() < 60:
    raise ImproperlyConfigured("TIDU_LOGIN_FAILURE_LIMIT and TIDU_LOGIN_LOCKOUT_MINUTES must be at least 1")

VIEWFLOW = {}

# Plug-in points that let lower apps call upper ones without importing them.
# Each entry is a dotted path to a callable; see the docstring where each is used.
# `manage.py run_due_timers` runs these after the SLA sweep (beat runs each on its own entry);
# each takes no argument and returns a dict of counts.
TIDU_DUE_SWEEP_HOOKS: list[str] = [
    "notifications.services.notifications_send_due",
    "notifications.services.title_expiry_reminders_send",
    "enterprises.services.import_jobs.import_jobs_stalled_sweep",
    "documents.services.documents_render_stalled",
    "workflows.services.entitlements_owed.entitlements_owed_compute",
    "workflows.services.rediagnosis.coaching_rediagnosis_owed",
    "dashboard.selectors.dashboard_figures_warm",
]
TIDU_METRICS_SAVED_HOOKS: list[str] = [
    "workflows.services.coaching.coaching_plans_rediagnose",
]
# Called inside a jurisdiction move's transaction with ``move=`` and ``by=``: what follows the enterprise.
TIDU_JURISDICTION_MOVED_HOOKS: list[str] = [
    "approvals.services.queues.queue_tasks_follow_move",
]
# Files an evidence bundle carries besides the steps (steplog.evidence): each takes ``subject=``
# and returns the exhibits (a document's PDF, …) that the subject's steps recorded by SHA-256.
TIDU_EVIDENCE_EXHIBIT_HOOKS: list[str] = [
    "documents.evidence.document_exhibits",
]
# What the rewards forecast prices: (enterprise, tier) pairs from the cases above rewards.
TIDU_FORECAST_CANDIDATES: list[str] = [
    "workflows.selectors.forecast.recommended_applications",
    "workflows.selectors.forecast.ready_to_apply",
]
# `manage.py demo` runs these in order; each is idempotent and takes ``stdout=``.
TIDU_DEMO_STEPS: list[str] = [
    "approvals.services.demo.load_provisional_calendar",
    "enterprises.services.demo.load_registry",
    "workflows.services.demo.load_pool_cases",
    "workflows.services.coaching.demo_coaching_plans",
    "workflows.services.demo.load_applications",
    "workflows.services.demo.load_payouts",
    "documents.services.demo.render_documents",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# HTTPS only, unless DEBUG is on (`make run`, tests) or each switch is turned off for a plain-http
# trial (SECURE_SSL_REDIRECT=0 SECURE_HSTS_SECONDS=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0).
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# One year once DEBUG is off; browsers then refuse plain http for the site for that long.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if SECURE_HSTS_SECONDS < 0:
    raise ImproperlyConfigured(f"SECURE_HSTS_SECONDS must be 0 or more, got {SECURE_HSTS_SECONDS}")
# Behind the TLS-terminating proxy the request reaches Django over http: trust the proxy's
# X-Forwarded-Proto (the proxy must set it) so the SSL redirect does not loop.
if env_bool("TRUST_X_FORWARDED_PROTO", not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
