"""Xinfang settings: one module, driven by environment variables (see .env.example)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from xinfang.env import env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("XINFANG_DATA_DIR", str(Path.cwd() / "var")) or "var").resolve()

# XINFANG_DEV=1 is set by `make run`, `make test` and `xinfang demo`-style development only: it
# allows the fixed development keys below. Production must set its own keys.
DEV = env_bool("XINFANG_DEV", False)
DEBUG = env_bool("XINFANG_DEBUG", False)

_DEV_SECRET = "dev-only-insecure-secret-key-never-use-in-production"
_DEV_DATA_KEY = "dev-only-insecure-data-key-never-use-in-production"

SECRET_KEY = env_str("XINFANG_SECRET_KEY") or (_DEV_SECRET if DEV else None)
if not SECRET_KEY:
    raise ImproperlyConfigured("XINFANG_SECRET_KEY is not set (see .env.example).")

# Keys the petitioner's personal data (ID numbers, phones): keyed hashes for matching and
# encryption at rest. Unlike SECRET_KEY it must never be rotated casually: matching depends on it.
XINFANG_DATA_KEY = env_str("XINFANG_DATA_KEY") or (_DEV_DATA_KEY if DEV else None)
if not XINFANG_DATA_KEY:
    raise ImproperlyConfigured("XINFANG_DATA_KEY is not set (see .env.example).")

ALLOWED_HOSTS = env_list("XINFANG_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEV else [])
CSRF_TRUSTED_ORIGINS = env_list("XINFANG_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "template_partials",
    "django_htmx",
    "ninja",
    "xinfang.org",
    "xinfang.deadlines",
    "xinfang.matters",
    "xinfang.audit",
    "xinfang.api",
    "xinfang.routing",
    "xinfang.desk",
    "xinfang.portal",
    "xinfang.reports",
    "xinfang.demo",
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
]

ROOT_URLCONF = "xinfang.urls"
WSGI_APPLICATION = "xinfang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
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

# The embedded default is SQLite in WAL mode; DATABASE_URL switches to PostgreSQL.
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'xinfang.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("XINFANG_DB_CONN_MAX_AGE", 0)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock when a transaction starts, so concurrent writers queue
        # instead of failing with "database is locked" half-way through a service.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": env_str("XINFANG_TEST_SQLITE_NAME") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("XINFANG_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_ROOT = Path(env_str("XINFANG_MEDIA_ROOT") or str(DATA_DIR / "media"))
# Trained routing models (xinfang routing-train): shared storage when there are several servers.
XINFANG_ROUTING_MODEL_DIR = Path(env_str("XINFANG_ROUTING_MODEL_DIR") or str(DATA_DIR / "routing"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or DEV
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Development serves static files straight from the apps; production runs collectstatic.
WHITENOISE_USE_FINDERS = DEBUG or DEV
WHITENOISE_AUTOREFRESH = DEBUG
XINFANG_MAX_ATTACHMENT_BYTES = env_int("XINFANG_MAX_ATTACHMENT_BYTES", 20 * 1024 * 1024)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "desk:home"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_SECURE = env_bool("XINFANG_SECURE_COOKIES", not (DEBUG or DEV))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

EMAIL_BACKEND = env_str("XINFANG_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("XINFANG_FROM_EMAIL", "xinfang@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("XINFANG_LOG_LEVEL", "INFO")},
}

# --- Portal ---
# The public side (xinfang.portal): online submission, receipt, look-up by number and query code.
# The unit (its short name, e.g. 清信) that registers online submissions; unset: the one petition
# office at the top level of the jurisdiction (refused clearly when there is none or several).
XINFANG_PORTAL_OFFICE = env_str("XINFANG_PORTAL_OFFICE", "") or ""
# Attachments to an online submission: JPEG, PNG or PDF, checked by content.
XINFANG_PORTAL_MAX_FILE_BYTES = env_int("XINFANG_PORTAL_MAX_FILE_BYTES", 10 * 1024 * 1024)
XINFANG_PORTAL_MAX_FILES = env_int("XINFANG_PORTAL_MAX_FILES", 5)
# Rate limits, counted in the database (shared by every app server) per window of minutes.
# Failed look-ups per client: after SOFT a self-hosted challenge, after HARD a refusal until the
# window ends. Failed look-ups of one number (from anywhere): after SOFT the challenge for it.
XINFANG_PORTAL_WINDOW_MINUTES = env_int("XINFANG_PORTAL_WINDOW_MINUTES", 15)
XINFANG_PORTAL_LOOKUP_SOFT = env_int("XINFANG_PORTAL_LOOKUP_SOFT", 5)
XINFANG_PORTAL_LOOKUP_HARD = env_int("XINFANG_PORTAL_LOOKUP_HARD", 20)
XINFANG_PORTAL_NUMBER_SOFT = env_int("XINFANG_PORTAL_NUMBER_SOFT", 5)
# Submission attempts per client and window: after SOFT the challenge, after HARD a refusal.
XINFANG_PORTAL_SUBMIT_SOFT = env_int("XINFANG_PORTAL_SUBMIT_SOFT", 5)
XINFANG_PORTAL_SUBMIT_HARD = env_int("XINFANG_PORTAL_SUBMIT_HARD", 20)
# The client's address comes from REMOTE_ADDR; behind a reverse proxy that sets it, name the
# header here as Django sees it (e.g. HTTP_X_FORWARDED_FOR: its last entry is used). Never set
# it without such a proxy: clients could then pick their own address.
XINFANG_PORTAL_PROXY_HEADER = env_str("XINFANG_PORTAL_PROXY_HEADER", "") or ""
# Seconds the receipt e-mail waits for the mail server before giving up (the failure is logged;
# the petitioner still sees the receipt page).
EMAIL_TIMEOUT = env_int("XINFANG_EMAIL_TIMEOUT", 10)
