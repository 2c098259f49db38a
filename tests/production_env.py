"""The environment of a production process that starts: what README "Production" asks for,
pointing at the loopback PostgreSQL and Redis. Tests take away or change one variable."""

import os

STRIPPED = ("DJANGO_", "DATABASE_", "SIXAIKA_", "EMAIL_", "CELERY_", "REDIS_", "SENTRY_")

VALID = {
    "DJANGO_SETTINGS_MODULE": "sixaika.settings.production",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "DJANGO_ALLOWED_HOSTS": "portaali.6aika.fi",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "REDIS_URL": "redis://127.0.0.1:6379/11",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/10",
    "EMAIL_URL": "smtp+tls://portaali:salasana@smtp.kaupunki.fi:587",
    "SIXAIKA_BASE_URL": "https://portaali.6aika.fi",
    "DJANGO_DEFAULT_FROM_EMAIL": "portaali@6aika.fi",
}


def production_env(**changes: str | None) -> dict[str, str]:
    """The process environment without the portal's variables, then ``VALID`` with ``changes``
    (a value of None leaves that variable out)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(STRIPPED)}
    env.update({k: v for k, v in {**VALID, **changes}.items() if v is not None})
    return env
