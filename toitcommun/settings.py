"""Settings for Toit commun, read from the environment.

Every setting that differs between a laptop and production comes from an
environment variable. In production (DEBUG off) a missing SECRET_KEY is an
error, never a silent default.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
PRODUCTION = env_bool("PRODUCTION", False)

_DEV_SECRET = "dev-only-secret-key-not-for-production-3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e"  # noqa: S105 - used only when PRODUCTION is off
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when PRODUCTION=1.")
    SECRET_KEY = _DEV_SECRET

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # WhiteNoise serves static files under runserver too, as it does under gunicorn.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "template_partials",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "toitcommun.access",
    "toitcommun.territory",
    "toitcommun.organizations",
    "toitcommun.housing",
    "toitcommun.directory",
    "toitcommun.people",
    "toitcommun.support",
    "toitcommun.collective",
    "toitcommun.jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag on every answer that may be stored; If-None-Match answered 304.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "toitcommun.request_guard.RequestGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF check, which reads the body: an upload too large is refused unread.
    "toitcommun.uploads.UploadLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Anonymous public pages and API reads from the cache (toitcommun/public_cache.py).
    "toitcommun.public_cache.PublicCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "toitcommun.access.middleware.NoStoreForAuthenticatedMiddleware",
    "axes.middleware.AxesMiddleware",
    "toitcommun.middleware.ErrorPagesMiddleware",
]

ROOT_URLCONF = "toitcommun.urls"
WSGI_APPLICATION = "toitcommun.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "toitcommun" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["toitcommun.templatetags"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "toitcommun.access.context_processors.roles",
                "toitcommun.context_processors.maps",
            ],
        },
    }
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
SQLITE_PATH = BASE_DIR / "var" / "toitcommun.sqlite3"
SQLITE_PATH.parent.mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{SQLITE_PATH}",
        # A connection kept for a minute, checked before reuse: opening one per request cost
        # PostgreSQL pages about a third of their rate (issue 10). 0 closes it after each request.
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_NAME") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def cache_from_url(url: str) -> dict:
    """Django's cache settings for CACHE_URL: ``redis://host:port/db`` (or ``rediss://``,
    ``unix://``), ``locmem://`` (the default: this process only), ``file:///path`` or ``dummy://``."""
    if not url or url.startswith("locmem://"):
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": url[len("locmem://"):]}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
                "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "toitcommun")}
    if url.startswith("file://"):
        return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": url[len("file://"):]}
    if url == "dummy://":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(f"CACHE_URL: unknown scheme in {url.split(':', 1)[0]!r} (redis, locmem, file, dummy).")


# The cache (pages and fragments, sessions, rate limits): local to each process unless CACHE_URL
# names a shared one. Every process of a deployment with more than one must share it (Redis).
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {"default": cache_from_url(CACHE_URL)}
CACHE_IS_SHARED = CACHES["default"]["BACKEND"].endswith(("RedisCache", "FileBasedCache"))
# A background job's progress, published by the worker and read by every web process: the shared
# cache, or else files under var/ that the processes of one machine share (`make run`).
CACHES["jobs"] = (
    CACHES["default"] if CACHE_IS_SHARED else
    {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
     "LOCATION": os.environ.get("JOBS_PROGRESS_DIR") or str(BASE_DIR / "var" / "job-progress")}
)
# Sessions live in the database; with a shared cache they are read from it too (cached_db writes
# through, so a restarted Redis loses none). A cache local to one process is never trusted with
# them: a logout in one worker would leave the session alive in the others.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db" if CACHE_IS_SHARED else "django.contrib.sessions.backends.db"
)

# Background jobs (long imports and exports): django-tasks, kept in the database and run by
# `manage.py db_worker` (docs/deploy.md). TASKS_BACKEND=immediate runs them inside the request.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }.get(TASKS_BACKEND) or TASKS_BACKEND,
        "QUEUES": ["default"],
    }
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "toitcommun.access.validators.BreachedStylePasswordValidator"},
]

LOGIN_URL = "access:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Login lockout (django-axes): five failures lock one username from one address for
# 30 minutes; other usernames from that address, and that username from elsewhere, still
# sign in. One address that fails often, whatever the usernames, is slowed down rather than
# locked (LOGIN_IP_SLOWDOWN_*), so that one guesser behind a shared proxy cannot lock out everybody.
# Failures are counted in the database (axes' database handler), so every process and every
# machine sees the same count; so is the slowdown, read from the same rows.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A refused attempt during a lockout does not push its end further: the time announced holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "toitcommun.access.views.locked_out"
AXES_VERBOSE = False
# Locks are released from /comptes/verrouillages/, which audits it; not from axes' own admin.
AXES_ENABLE_ADMIN = False
# Behind reverse proxies, how many of them append to X-Forwarded-For (0: use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "toitcommun.access.selectors.client_ip"
LOGIN_IP_SLOWDOWN_AFTER = int(os.environ.get("LOGIN_IP_SLOWDOWN_AFTER", "20"))
LOGIN_IP_SLOWDOWN_MAX_SECONDS = int(os.environ.get("LOGIN_IP_SLOWDOWN_MAX_SECONDS", "60"))
# Errors reported from a service's public page: at most this many per sending address per hour.
PUBLIC_REPORTS_PER_HOUR = int(os.environ.get("PUBLIC_REPORTS_PER_HOUR", "5"))

# API tokens expire; API_TOKEN_DAYS sets how long a new one lives.
API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "30"))

# E-mail (password reset): printed on the console unless EMAIL_BACKEND says otherwise.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Toit commun <ne-pas-repondre@toitcommun.invalid>")
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
AXES_ENABLED = env_bool("AXES_ENABLED", True)

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Toronto"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [
    BASE_DIR / "toitcommun" / "static",
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
    ("vendor/lucide", BASE_DIR / "node_modules" / "lucide-static" / "icons"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# WhiteNoise serves the static files in every mode, so that `make run` (gunicorn, DEBUG off)
# is styled. Outside production it finds them where they live (our static/ and the npm
# vendor folders above), rescanning on each request when DEBUG is on (`make dev`);
# in production it serves collectstatic's hashed, compressed copies from STATIC_ROOT.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG and not PRODUCTION
if not PRODUCTION:
    # Nothing is collected outside production: an absent STATIC_ROOT is expected there.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
FORMS_URLFIELD_ASSUME_HTTPS = True

# Request bodies: forms and JSON up to 2.5 MB; a multipart upload (a spreadsheet of at most
# 10 MB and its form) up to 11 MB. Larger bodies are refused from their Content-Length,
# unread (toitcommun/request_guard.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
UPLOAD_MAX_BYTES = 11 * 1024 * 1024

# Housing files larger than this are imported by the background worker, the page showing its progress.
IMPORT_IN_BACKGROUND_FROM_BYTES = int(os.environ.get("IMPORT_IN_BACKGROUND_FROM_BYTES", str(512 * 1024)))

# How long an anonymous public page or API read is kept in the cache (CACHES' default alias),
# at most: any write ends it sooner (toitcommun/public_cache.py). 0 turns the page cache off.
PUBLIC_CACHE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS", "60"))

# Vacancy figures older than this many days (before the date asked about) are shown as stale.
HOUSING_STALE_AFTER_DAYS = int(os.environ.get("HOUSING_STALE_AFTER_DAYS", "90"))
# A tenant's consent to share lasts at most this many days (a year by default).
CONSENT_MAX_DAYS = int(os.environ.get("CONSENT_MAX_DAYS", "366"))
# A referral sent and not answered within this many days has expired: computed when read, no job to run.
REFERRAL_ANSWER_DAYS = int(os.environ.get("REFERRAL_ANSWER_DAYS", "14"))

# How long each category of personal information is kept, in years, before `manage.py apply_retention`
# destroys it (docs/retention.md says why these defaults). Counted from:
# - notes, summaries: the person's last intervention with the organization that wrote them;
# - referral_reasons: the referral's last step, once it is no longer open;
# - contact (phone, e-mail, languages): the person's last activity anywhere (intervention, referral, consent);
# - consent_scans: the end (or revocation) of the consent the signed form proves.
RETENTION_YEARS = {
    "notes": int(os.environ.get("RETENTION_NOTES_YEARS", "2")),
    "summaries": int(os.environ.get("RETENTION_SUMMARIES_YEARS", "5")),
    "referral_reasons": int(os.environ.get("RETENTION_REFERRAL_REASONS_YEARS", "5")),
    "contact": int(os.environ.get("RETENTION_CONTACT_YEARS", "3")),
    "consent_scans": int(os.environ.get("RETENTION_CONSENT_SCANS_YEARS", "5")),
}
# Research exports: a cell counting fewer than this many (but more than none) is shown as "< N".
RESEARCH_MIN_CELL = int(os.environ.get("RESEARCH_MIN_CELL", "5"))
# A signed consent form's scan (PDF, JPEG or PNG) is at most this many bytes.
CONSENT_SCAN_MAX_BYTES = int(os.environ.get("CONSENT_SCAN_MAX_BYTES", str(5 * 1024 * 1024)))

# Map tiles: the site map degrades to the table when these cannot load.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = os.environ.get(
    "MAP_TILE_ATTRIBUTION", "© contributeurs d'OpenStreetMap"
)
_tile_origin = "/".join(MAP_TILE_URL.split("/")[:3]) if MAP_TILE_URL.startswith("http") else ""

# Content Security Policy: only our own scripts and styles; map tiles from one origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"] + ([_tile_origin] if _tile_origin else []),
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "toitcommun.views.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8
if PRODUCTION:
    DEBUG = False
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
