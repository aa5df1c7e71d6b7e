"""Local development and the demo (`make run`)."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
# A fixed key is fine here: dev settings never serve real users (prod.py refuses it).
SECRET_KEY = SECRET_KEY or "django-insecure-newsdesk-dev-only-key"  # noqa: F405
