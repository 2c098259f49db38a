"""Hardened settings that production and the benchmarks share: no debug, a secret key and
PostgreSQL required, TLS, secure cookies, JSON logs, the file storage. ``production`` adds the
refusals of what would hurt a real deployment (``bench`` runs without a broker or mail)."""

from django.core.exceptions import ImproperlyConfigured

from sixaika.object_storage import s3_storage

from .base import *  # noqa: F403
from .base import DATABASES, LOGGING, env

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

# Uploaded files and reports: the media folder of one machine (a volume), or with
# SIXAIKA_S3_BUCKET an S3-compatible bucket that every web and worker machine shares
# (django-storages). The bucket is private: files are only ever served through the portal's
# permission-checked download views, never by a public or signed bucket URL.
SIXAIKA_S3_BUCKET = env.str("SIXAIKA_S3_BUCKET", default="")
_default_storage = (
    s3_storage(
        bucket=SIXAIKA_S3_BUCKET,
        endpoint_url=env.str("SIXAIKA_S3_ENDPOINT_URL", default=""),
        region=env.str("SIXAIKA_S3_REGION", default=""),
        access_key=env.str("SIXAIKA_S3_ACCESS_KEY_ID", default=""),
        secret_key=env.str("SIXAIKA_S3_SECRET_ACCESS_KEY", default=""),
        prefix=env.str("SIXAIKA_S3_PREFIX", default=""),
    )
    if SIXAIKA_S3_BUCKET
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
# Static files with hashed names, and (by default) gzip and brotli copies made by collectstatic
# for whitenoise to serve. DJANGO_STATIC_COMPRESS=false skips the copies, for a proxy that
# compresses itself (and the smoke test, where compressing the vendored files takes minutes).
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env.bool("DJANGO_STATIC_COMPRESS", default=True)
        else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
    },
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
# and for everybody who holds a seat (member or deputy) in these bodies, whatever their role
SIXAIKA_2FA_REQUIRED_BODIES = env.list("SIXAIKA_2FA_REQUIRED_BODIES", default=["board"])
# One JSON object per log line (time, level, logger, message, request id, task).
LOGGING["handlers"]["console"]["formatter"] = env.str("SIXAIKA_LOG_FORMAT", default="json")
