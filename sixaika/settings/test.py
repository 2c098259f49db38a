"""Test settings: real PostgreSQL and Redis on loopback (``DATABASE_URL`` / ``REDIS_URL``)."""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sixaika")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "false")

from .base import *  # noqa: E402,F403

DEBUG = False
# Each test process makes its database from the models (seconds) instead of running every
# migration (half a minute of CPU, nearly all of it rendering migration states).
# tests/test_migrations_house.py runs the migrations on an empty database of their own and
# checks that they make the same schema, column by column; `make lint` checks that no migration
# is missing (makemigrations --check).
DATABASES["default"].setdefault("TEST", {})["MIGRATE"] = False  # noqa: F405
# The test databases are thrown away at the end of the run: a commit need not wait for its WAL to
# reach the disk (about 2 ms per commit on this project's machines; the live servers of the
# browser journeys and the transactional tests commit thousands of times a run). Still real
# PostgreSQL with every constraint checked; only a crash of the server could lose a commit.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = os.environ.get("DJANGO_MEDIA_ROOT") or BASE_DIR / "var" / "test-media"  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The test client's login() authenticates without a request, which axes needs; the lockout
# tests turn axes on for themselves.
AXES_ENABLED = False
# Test processes side by side (pytest -n) share the Redis database: keep their cache keys
# (throttle counters, API validators) apart.
CACHES["default"]["KEY_PREFIX"] = f"test-{os.getpid()}"  # noqa: F405
# A page kept by one test would outlive its test's rolled-back data (the versions live in
# Redis, not in the transaction): the page cache's own tests turn it on (tests/core/
# test_page_cache.py, with a fresh version per test).
SIXAIKA_PAGE_CACHE = False
