"""Benchmark settings: production-like (``hardened``: no debug, cached templates, persistent
connections) against PostgreSQL on loopback, served by gunicorn over plain HTTP; without
production's refusal of a missing broker or mail, which the benchmarks do not need."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-secret-key-not-for-production-012345")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sixaika_bench")
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "600")
# The load comes from one address: the API's anonymous throttle would answer 429.
os.environ.setdefault("SIXAIKA_API_ANON_RATE", "1000000/minute")

from .hardened import *  # noqa: E402,F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
SIXAIKA_2FA_REQUIRED_ROLES: list[str] = []
SIXAIKA_2FA_REQUIRED_BODIES: list[str] = []
AXES_ENABLED = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# The bench databases of each size share one Redis: keep their cached pages, totals and
# versions apart.
CACHES["default"]["KEY_PREFIX"] = DATABASES["default"]["NAME"]  # noqa: F405
