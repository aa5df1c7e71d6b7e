"""The test suite: same as dev, with fast password hashing."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "django-insecure-newsdesk-test-only-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
NEWSDESK_CONFIRM_MIN_SOURCES = 2
NEWSDESK_FOUR_EYES = True
