from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}"
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "axes",
    "csp",
    # Background jobs (Django's task framework, backported): long suggestion work.
    "django_tasks",
    "django_tasks_db",
    "newsdesk",
    "articles",
    "claims",
    "suggestions",
    "related",
]

MIDDLEWARE = [
    "newsdesk.middleware.RequestIdMiddleware",
    # Security headers outermost: a middleware adds its headers only to responses made
    # inside it, and some middleware below answer by themselves (a NUL in the query, an
    # ended session).
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "newsdesk.middleware.RejectNulInQueryMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "newsdesk.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "newsdesk.middleware.SessionLifetimeMiddleware",
    # A view's database error becomes a 503 page inside every middleware above, so the
    # response still gets their headers.
    "newsdesk.middleware.DatabaseBusyMiddleware",
    # Last, as django-axes asks: it turns a lock-out into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsdesk.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsdesk.context_processors.navigation",
                "newsdesk.context_processors.membership",
            ],
        },
    },
]

WSGI_APPLICATION = "newsdesk.wsgi.application"

# SQLite in the project root unless DATABASE_URL says otherwise (postgres://… in production).
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Two people saving at once must queue, not fail. A deferred transaction reads first and
    # upgrades to a write lock later; when two do that at once SQLite answers "database is
    # locked" at once rather than wait (either could be made to wait for the other forever).
    # IMMEDIATE takes the write lock at BEGIN, so the second writer waits up to `timeout`
    # seconds and then reads what the first one wrote. WAL lets pages be read meanwhile.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

# How long the database may take (PostgreSQL). A web request's statement gives up after
# DB_STATEMENT_TIMEOUT_MS and its wait for a row someone else holds after DB_LOCK_TIMEOUT_MS,
# well inside the web server's worker timeout, so the app answers in its own words (503,
# 409: newsdesk.middleware.DatabaseBusyMiddleware) rather than the worker being killed
# mid-request. Work meant to take long asks for DB_LONG_STATEMENT_TIMEOUT_MS while it runs
# (newsdesk.db.long_statements); management commands have it throughout, as manage.py says
# (NEWSDESK_DB_LONG_STATEMENTS), except runserver and test, which serve as the web does.
# 0 means no limit, as in PostgreSQL.
DB_STATEMENT_TIMEOUT_MS = env_int("NEWSDESK_DB_STATEMENT_TIMEOUT_MS", 15_000)
DB_LOCK_TIMEOUT_MS = env_int("NEWSDESK_DB_LOCK_TIMEOUT_MS", 3_000)
DB_LONG_STATEMENT_TIMEOUT_MS = env_int("NEWSDESK_DB_LONG_STATEMENT_TIMEOUT_MS", 30 * 60 * 1000)
if min(DB_STATEMENT_TIMEOUT_MS, DB_LOCK_TIMEOUT_MS, DB_LONG_STATEMENT_TIMEOUT_MS) < 0:
    raise ImproperlyConfigured(
        "NEWSDESK_DB_STATEMENT_TIMEOUT_MS, NEWSDESK_DB_LOCK_TIMEOUT_MS and "
        "NEWSDESK_DB_LONG_STATEMENT_TIMEOUT_MS must be 0 (no limit) or more."
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _statement_ms = (
        DB_LONG_STATEMENT_TIMEOUT_MS
        if env_bool("NEWSDESK_DB_LONG_STATEMENTS", False)
        else DB_STATEMENT_TIMEOUT_MS
    )
    # Sent with the connection's start-up packet (libpq `options`): in force before the
    # first query, at no extra round trip, and what `RESET` returns to after
    # long_statements(). Kept beside whatever options DATABASE_URL brought.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = " ".join(
        filter(
            None,
            [
                _options.get("options", ""),
                f"-c statement_timeout={_statement_ms}",
                f"-c lock_timeout={DB_LOCK_TIMEOUT_MS}",
            ],
        )
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------------
# What is worth keeping between requests (an article's suggestion scores) is kept here.
# With one host, each worker's own memory will do; with several app hosts behind a proxy,
# CACHE_URL=redis://host:6379/0 gives them one cache, so a text scored on one host is not
# scored again on the next. Sessions and login lock-outs live in the database, shared anyway.
CACHE_URL = os.environ.get("CACHE_URL", "").strip()
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"CACHE_URL must be a redis://, rediss:// or unix:// address; got {CACHE_URL!r}"
        )
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background jobs ----------------------------------------------------------------------
# Scoring a long article's sentences (and accepting them) takes longer than a request may
# (suggestions.tasks). NEWSDESK_TASKS=database queues it in the database for the worker
# that `make serve` starts beside gunicorn (`manage.py db_worker`); production defaults to
# it (prod.py). Elsewhere the default, `immediate`, runs a job at once inside the request
# that asks for it: the tests, and the demo (`make run`), which starts no worker.
NEWSDESK_TASKS = os.environ.get("NEWSDESK_TASKS", "immediate").strip().lower()
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}


def tasks_setting(kind: str) -> dict[str, dict[str, str]]:
    if kind not in TASK_BACKENDS:
        raise ImproperlyConfigured(
            f"NEWSDESK_TASKS must be one of {', '.join(TASK_BACKENDS)}; got {kind!r}"
        )
    return {"default": {"BACKEND": TASK_BACKENDS[kind]}}


TASKS = tasks_setting(NEWSDESK_TASKS)
# An article longer than this (in characters) has its suggestions scored by a job when
# they are not cached yet, and the page shows the job's progress; shorter ones are scored
# inside the request, in well under a second (docs/performance.md: about 2 ms a sentence,
# 0.2-0.35 s for 20,000 characters of news text on a loaded 2-core machine).
NEWSDESK_SUGGESTIONS_INLINE_CHARS = env_int("NEWSDESK_SUGGESTIONS_INLINE_CHARS", 20_000)
if NEWSDESK_SUGGESTIONS_INLINE_CHARS < 0:
    raise ImproperlyConfigured("NEWSDESK_SUGGESTIONS_INLINE_CHARS must be 0 or more.")

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out login is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "newsdesk.auth.NewsdeskBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# No composition rules (digits, symbols…): length and the common-password list do the work,
# and long passphrases pass (NIST SP 800-63B).

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
# Bootstrap and our own CSS/JS are served from here, never from a CDN.
STATICFILES_DIRS = [BASE_DIR / "static"]

# --- Sessions and login ----------------------------------------------------------------
# Idle sessions end after 30 minutes (each request renews the cookie); every session ends
# 12 hours after login whatever happens (newsdesk.middleware.SessionLifetimeMiddleware).
SESSION_IDLE_TIMEOUT = 30 * 60
SESSION_ABSOLUTE_AGE = 12 * 60 * 60
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_AGE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Brute-force protection (django-axes, newsdesk.lockout): 5 failures for one username from
# one address lock that pair out for 15 minutes, so other users at the address, and the same
# user elsewhere, are unaffected; 20 failures from one address, whatever the usernames, lock
# the address. Both counts live in the database, shared by every host.
AXES_FAILURE_LIMIT = env_int("NEWSDESK_LOGIN_FAILURE_LIMIT", 5)
NEWSDESK_LOGIN_ADDRESS_FAILURE_LIMIT = env_int("NEWSDESK_LOGIN_ADDRESS_FAILURE_LIMIT", 20)
_COOLOFF_MINUTES = env_int("NEWSDESK_LOGIN_COOLOFF_MINUTES", 15)
AXES_COOLOFF_TIME = timedelta(minutes=_COOLOFF_MINUTES)
if AXES_FAILURE_LIMIT < 1 or _COOLOFF_MINUTES < 1:
    raise ImproperlyConfigured(
        "NEWSDESK_LOGIN_FAILURE_LIMIT and NEWSDESK_LOGIN_COOLOFF_MINUTES must be 1 or more."
    )
if NEWSDESK_LOGIN_ADDRESS_FAILURE_LIMIT < AXES_FAILURE_LIMIT:
    # Below the per-username limit it would lock a whole office out for one forgotten password.
    raise ImproperlyConfigured(
        "NEWSDESK_LOGIN_ADDRESS_FAILURE_LIMIT must be at least NEWSDESK_LOGIN_FAILURE_LIMIT."
    )
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "newsdesk.lockout.AddressLimitedHandler"
AXES_LOCKOUT_CALLABLE = "newsdesk.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# Who the client is: the connection's address, or behind that many trusted proxies the
# address the outermost one saw (newsdesk.lockout.client_address). 0 trusts no header.
NEWSDESK_TRUSTED_PROXIES = env_int("NEWSDESK_TRUSTED_PROXIES", 0)
if NEWSDESK_TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("NEWSDESK_TRUSTED_PROXIES must be 0 or more.")
AXES_CLIENT_IP_CALLABLE = "newsdesk.lockout.client_address"

# --- Headers ------------------------------------------------------------------------------
# Nothing inline: every script and style comes from our own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Bootstrap draws its form controls' icons as data: SVGs.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# An article's text may be up to 2 MB (articles.extract.MAX_IMPORT_BYTES); a pasted text or
# an edited one arrives in the form body, with the other fields beside it. Larger bodies
# get the 400 page that says so (newsdesk.views.bad_request).
DATA_UPLOAD_MAX_MEMORY_SIZE = 3 * 1024 * 1024

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Newsdesk editorial rules -------------------------------------------------
# How many supporting sources, from distinct publishers, a claim needs before it
# can be confirmed.
NEWSDESK_CONFIRM_MIN_SOURCES = env_int("NEWSDESK_CONFIRM_MIN_SOURCES", 2)
if NEWSDESK_CONFIRM_MIN_SOURCES < 1:
    # Zero would confirm claims on no evidence at all.
    raise ImproperlyConfigured("NEWSDESK_CONFIRM_MIN_SOURCES must be 1 or more.")
# Second pair of eyes: whoever confirms must not have added every supporting source.
NEWSDESK_FOUR_EYES = env_bool("NEWSDESK_FOUR_EYES", True)
# Where Newsdesk is served: links to claims in reports made outside a web request.
NEWSDESK_BASE_URL = os.environ.get("NEWSDESK_BASE_URL", "http://127.0.0.1:8000")
# The newsroom named as the author of exported reviews.
NEWSDESK_NEWSROOM_NAME = os.environ.get("NEWSDESK_NEWSROOM_NAME", "Newsdesk")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "newsdesk.request_id.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO").upper()},
    # django-axes logs every successful login at INFO; lock-outs still show as WARNING.
    "loggers": {"axes": {"level": "WARNING"}},
}
