"""Production settings: refuse to start without a secret key or on SQLite."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, env

DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY or SECRET_KEY.startswith("embedded-default"):
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY: production refuses to start without one.")
if "sqlite" in DATABASES["default"]["ENGINE"]:
    raise ImproperlyConfigured(
        "Set DATABASE_URL to PostgreSQL: production refuses to start on SQLite."
    )
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
# PostgreSQL's JIT compiles any query whose estimate passes jit_above_cost: the portfolio search
# (ILIKE over 5 000 projects) spent 100 ms compiling for a 30 ms query. Short OLTP queries never
# repay it (docs/benchmarks-explain.md); DATABASE_JIT=on restores the server's default.
if not env.bool("DATABASE_JIT", default=False):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SIXAIKA_2FA_REQUIRED_ROLES = env.list(
    "SIXAIKA_2FA_REQUIRED_ROLES", default=["strategy_office", "board"]
)
SIXAIKA_2FA_REQUIRED_BODIES = env.list("SIXAIKA_2FA_REQUIRED_BODIES", default=["board"])
