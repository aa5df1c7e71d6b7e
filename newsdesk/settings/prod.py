"""Production: everything from the environment, and refuse to start when unsafe."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, env_bool, env_int, tasks_setting

if env_bool("DJANGO_DEBUG", False):
    raise ImproperlyConfigured("DJANGO_DEBUG must be off in production (newsdesk.settings.prod).")
DEBUG = False

# A real key is long, random and not one of the development placeholders.
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure") or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random string of at least 50 characters in "
        "production; generate one with: "
        "python -c 'import secrets; print(secrets.token_urlsafe(64))'"
    )

# TLS is terminated in front of the app; these make browsers insist on it.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31_536_000)
if SECURE_HSTS_SECONDS < 0:
    raise ImproperlyConfigured("DJANGO_SECURE_HSTS_SECONDS must be 0 or more.")
# Turning either off is a documented choice for a proxy that redirects to https or sends
# HSTS itself; `check --deploy` would still warn about it, so exactly that warning is
# silenced, and only when the choice was made.
SILENCED_SYSTEM_CHECKS = [
    *(["security.W008"] if not SECURE_SSL_REDIRECT else []),
    *(["security.W004"] if not SECURE_HSTS_SECONDS else []),
]
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Load balancers probe the health check over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

MIDDLEWARE = [*MIDDLEWARE]  # noqa: F405
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)

# Static files: hashed names, compressed, served by WhiteNoise (run collectstatic first).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Long suggestion work runs in the worker `make serve` starts (manage.py db_worker), not in
# a request: NEWSDESK_TASKS=immediate only where no worker runs.
TASKS = tasks_setting(os.environ.get("NEWSDESK_TASKS", "database").strip().lower())
