"""An uploaded import file kept between its preview and the confirmation.

The file waits in the cache (Redis in production, shared by every web worker) under a random
token, not in the session: a session row or cookie is no place for a file of megabytes. The
token is bound to the user who uploaded it, and the file is gone after an hour or once used. If
the cache has lost it (Redis restarted), the person is asked to upload the file again.
"""

import secrets

from django.core.cache import cache

TIMEOUT_SECONDS = 60 * 60


def _key(kind: str, token: str) -> str:
    return f"import-preview:{kind}:{token}"


def preview_store(*, kind: str, user_id: int, filename: str, content: bytes) -> str:
    """Keep the file; returns its token."""
    token = secrets.token_urlsafe(24)
    cache.set(
        _key(kind, token),
        {"user": user_id, "filename": filename, "content": content},
        TIMEOUT_SECONDS,
    )
    return token


def preview_load(*, kind: str, user_id: int, token: str) -> tuple[str, bytes] | None:
    """(filename, content) of the user's kept file, or None if it has expired or is another's."""
    if not token:
        return None
    stored = cache.get(_key(kind, token))
    if not stored or stored.get("user") != user_id:
        return None
    return stored["filename"], stored["content"]


def preview_discard(*, kind: str, token: str) -> None:
    if token:
        cache.delete(_key(kind, token))
