"""Whole public pages kept in the cache for anonymous visitors: ``@public_page("projects", ...)``.

A public page (the portfolio, a project, the decision register, the bodies, the annual clock)
is the same HTML for every anonymous visitor who asks for the same URL in the same language on
the same day, until the data it shows changes. Rendering it costs 10-40 ms of CPU; reading it
from the cache well under one. The decorator keeps the view's response under a key made of

- the full URL (host, path and query string) and the HTMX headers the views answer to,
- the active language (the visitor's chosen one, core's ChosenLanguageMiddleware),
- today's date in the portal's time zone (pages say what is upcoming, current or overdue),
- the versions of the apps whose data the page shows (core/versions.py: any save or delete in
  those apps changes them, so a saved change shows on the next request),
- the code's own version (a deployment with new templates or texts does not serve old pages).

What is never kept or served from the cache: anything but an anonymous GET or HEAD without a
session or a message waiting (signed-in users, and visitors with a session, always get the page
rendered for them); a response that is not a plain 200, sets a cookie, says ``private`` or
``no-store``, varies on a header the key does not hold, or shows a message. The middleware runs
on every request as before, cached or not: security headers, ``Vary``, the language's headers
and the session's and CSRF's cookies are added to a cached page as to a rendered one.

The CSRF token: the language switch on every page is a POST form with the visitor's own token.
The page is kept with a marker where the token was, and each visitor gets the page with a token
of their own in its place (``get_token``, as ``{% csrf_token %}`` would: the CSRF cookie is set
as before). Protection is unchanged: the kept page holds no token at all. A page is not kept
when the CSRF secret shows in it any other way.

Redis down: the cache degrades to each process's memory (core/cache.py), where a write in one
process would not reach the versions another reads: pages are then rendered for every request,
as without this module, and kept again once Redis answers. A change saved while Redis was down
did not change the versions in Redis: pages kept before show it when they expire, ``TIMEOUT``
at most. Only the portal's own Redis cache keeps pages (a cache in each process's memory, the
embedded default's, never does).
"""

import hashlib
import os
import re
from collections.abc import Callable
from functools import lru_cache, wraps
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.utils import timezone
from django.utils.cache import cc_delim_re
from django.utils.translation import get_language

from . import versions

TIMEOUT = 300  # seconds: bounds what the key cannot see (the hour of the day)
KEY_PREFIX = "core:page:"
DATA_KEY_PREFIX = "core:shared-data:"
# Where the visitor's CSRF token goes; never part of a page's own text (checked before keeping).
TOKEN_MARKER = b"\x00csrf-token\x00"
# A masked CSRF token: 64 letters and digits (django.middleware.csrf).
_TOKEN_RE = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
# The request headers a kept page may vary on: what the key holds (the HTMX ones) or what it
# holds the meaning of (the cookies: only the language's is read, and it is in the key; the
# session's and messages' are never served from the cache; Accept-Language: the portal does
# not negotiate, the language is the visitor's chosen one).
_KEYED_VARY = {"cookie", "accept-language", "hx-request", "hx-boosted"}
_HTMX_HEADERS = ("HX-Request", "HX-Boosted")
T = TypeVar("T")


def public_page(*apps: str) -> Callable:
    """Keep the view's page for anonymous visitors until the data of ``apps`` changes."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def cached_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not _may_use_cache(request):
                return view(request, *args, **kwargs)
            key = _key(request, apps)
            kept = cache.get(key) if _shared() else None
            if kept is not None and _shared():
                return _served(request, kept)
            response = view(request, *args, **kwargs)
            entry = _keepable(request, response)
            if entry is not None and _shared():
                cache.set(key, entry, TIMEOUT)
            return response

        return cached_view

    return decorator


def public_data(
    request: HttpRequest, apps: tuple[str, ...], make: Callable[[], T], *, also: str = ""
) -> T:
    """``make()``, kept like a public page (the same key, and ``also``, which says what else
    it depends on; the same rules: anonymous GET or HEAD only), for a view that answers with
    it on every request itself (the API's pages: its throttle, content negotiation and
    validators still run every time)."""
    if not _may_use_cache(request):
        return make()
    key = _key(request, apps) + ":data:" + hashlib.sha256(also.encode()).hexdigest()
    return _kept(key, make)


def shared_data(apps: tuple[str, ...], make: Callable[[], T], *, what: str) -> T:
    """``make()``, kept until the data of ``apps`` changes (or ``TIMEOUT``), for signed-in pages
    too: for what a selector reads that is the same for everybody who may see it (``what``
    names it and everything else it depends on: an object's id, the time of day it tells
    apart). Who may see it is decided by the caller on every request, before asking; nothing
    about the user may be in it. Each request gets a copy of its own (the cache's), so the
    caller may annotate it. Off where pages are (``SIXAIKA_PAGE_CACHE``) and while Redis is
    down."""
    if not settings.SIXAIKA_PAGE_CACHE:
        return make()
    parts = [what, versions.version(*apps), _code_version()]
    key = DATA_KEY_PREFIX + hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return _kept(key, make)


def _kept(key: str, make: Callable[[], T]) -> T:
    """What the shared cache holds under ``key``, or ``make()``, kept there for next time."""
    kept = cache.get(key) if _shared() else None
    if kept is None or not _shared():
        kept = make()
        if _shared():
            cache.set(key, kept, TIMEOUT)
    return kept


def _shared() -> bool:
    """Whether the cache is one every process shares, now: the portal's Redis cache while
    Redis answers (core/cache.py). A write in one process changes the versions every process
    reads only there; a cache in each process's memory would serve another's stale page."""
    return getattr(cache, "degraded", True) is False


def _may_use_cache(request: HttpRequest) -> bool:
    if not settings.SIXAIKA_PAGE_CACHE or request.method not in ("GET", "HEAD"):
        return False
    # A session may hold what a page shows (messages, a sign-in under way): only visitors
    # without one share pages. Without a session cookie the user is anonymous, and asking
    # costs no query.
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    if "messages" in request.COOKIES:  # django.contrib.messages' CookieStorage
        return False
    user = getattr(request, "user", None)
    return user is not None and not user.is_authenticated


def _key(request: HttpRequest, apps: tuple[str, ...]) -> str:
    parts = [
        request.build_absolute_uri(),
        get_language() or "",
        timezone.localdate().isoformat(),
        versions.version(*apps) if apps else "",
        _code_version(),
        *(request.headers.get(name, "") for name in _HTMX_HEADERS),
    ]
    return KEY_PREFIX + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _keepable(request: HttpRequest, response: HttpResponse) -> dict | None:
    """What to keep of the view's ``response``, or None when it must not be kept."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    if hasattr(response, "render") and not response.is_rendered:
        return None  # a TemplateResponse: the views here render, this is not one of them
    control = {p.strip().lower() for p in cc_delim_re.split(response.get("Cache-Control", ""))}
    if control & {"private", "no-store", "no-cache"}:
        return None
    vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
    if vary - _KEYED_VARY:
        return None
    if len(messages.get_messages(request)):
        return None
    content = response.content
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        content = _without_token(request, content)
        if content is None:
            return None
    return {
        "content": content,
        "headers": [(k, v) for k, v in response.items() if k.lower() != "content-length"],
    }


def _without_token(request: HttpRequest, content: bytes) -> bytes | None:
    """``content`` with each of the request's CSRF tokens replaced by the marker; None when
    the secret would still show (or the marker was there already)."""
    secret = request.META.get("CSRF_COOKIE", "")
    if not secret or TOKEN_MARKER in content:
        return None

    def marked(match: re.Match) -> bytes:
        token = match.group().decode()
        return TOKEN_MARKER if _unmask_cipher_token(token) == secret else match.group()

    content = _TOKEN_RE.sub(marked, content)
    if secret.encode() in content:
        return None
    return content


def _served(request: HttpRequest, kept: dict) -> HttpResponse:
    content = kept["content"]
    if TOKEN_MARKER in content:
        content = content.replace(TOKEN_MARKER, get_token(request).encode())
    response = HttpResponse(content)
    for name, value in kept["headers"]:
        response[name] = value
    return response


@lru_cache(maxsize=1)
def _code_version() -> str:
    """The deployed code's templates, texts and modules, by their names, sizes and times: a
    page kept by other code is not served."""
    root = Path(settings.BASE_DIR)
    skip = {".venv", "var", ".git", "node_modules", "staticfiles", "media", "__pycache__"}
    digest = hashlib.sha256()
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in skip and not d.startswith("."))
        for name in sorted(files):
            if name.endswith((".py", ".html", ".txt", ".mo")):
                stat = os.stat(os.path.join(folder, name))
                digest.update(f"{folder}/{name}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]
