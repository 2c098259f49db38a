"""Production settings: the hardened settings, and a refusal to start on what would hurt.

No secret key or SQLite (``hardened``), no Celery broker (tasks would run inside web requests),
console e-mail, a base URL that is localhost or plain http (every e-mail would link there), an
``.example`` sender or accessibility-feedback address: each stops the start with a message
naming the variable to set (README, "Production").
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .hardened import *  # noqa: F403
from .hardened import (
    CELERY_BROKER_URL,
    CELERY_TASK_ALWAYS_EAGER,
    DEFAULT_FROM_EMAIL,
    EMAIL_BACKEND,
    SIXAIKA_ACCESSIBILITY_EMAIL,
    SIXAIKA_BASE_URL,
)


def _refuse(problem: str) -> None:
    raise ImproperlyConfigured(f"Production refuses to start: {problem}")


if not CELERY_BROKER_URL or CELERY_TASK_ALWAYS_EAGER:
    _refuse(
        "set CELERY_BROKER_URL (or REDIS_URL) and leave CELERY_TASK_ALWAYS_EAGER off; without a "
        "broker reports and e-mails would run inside web requests."
    )
if EMAIL_BACKEND.endswith(("console.EmailBackend", "dummy.EmailBackend", "locmem.EmailBackend")):
    _refuse("set EMAIL_URL (e.g. smtp+tls://user:password@smtp.example.org:587); no mail is sent.")
_base = urlsplit(SIXAIKA_BASE_URL)
if _base.scheme != "https" or _base.hostname in (None, "localhost", "127.0.0.1", "::1"):
    _refuse(
        f"SIXAIKA_BASE_URL is {SIXAIKA_BASE_URL!r}: set it to the portal's public https address "
        "(e-mails link there)."
    )
for _name, _address in (
    ("DJANGO_DEFAULT_FROM_EMAIL", DEFAULT_FROM_EMAIL),
    ("SIXAIKA_ACCESSIBILITY_EMAIL", SIXAIKA_ACCESSIBILITY_EMAIL),
):
    if _address.lower().rstrip(">").endswith((".example", ".invalid", ".test", ".localhost")):
        _refuse(f"{_name} is {_address!r}: set a real address that someone reads.")
