"""Finnish by default: the language is the one the user chose (cookie), else Finnish.

Django's LocaleMiddleware would follow the browser's Accept-Language; a Finnish public service
shows Finnish until the user picks another language, and remembers that choice.
"""

from django.conf import settings
from django.contrib.auth import middleware as auth_middleware
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject

from core import auth as core_auth


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, with the user read by ``core.auth.get_user``: a password session's user and
    their role names by one prepared query (issue 19), every other session as Django reads it."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _user_of(request))


def _user_of(request: HttpRequest):
    if not hasattr(request, "_cached_user"):
        request._cached_user = core_auth.get_user(request)
    return request._cached_user


class RequireTwoFactorMiddleware:
    """Send users whose role requires two-step sign-in to set it up, or verify, first."""

    ALLOWED_PREFIXES = ("/accounts/", "/i18n/", "/static/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        from django.shortcuts import redirect

        from .two_factor import two_factor_required

        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and two_factor_required(user)
        ):
            return redirect("two_factor")
        return self.get_response(request)


class RequestSizeLimitMiddleware:
    """Refuse a request body larger than ``REQUEST_MAX_BYTES`` by its Content-Length, before
    anything reads it into memory or a temporary file (the CSRF check would, parsing the form).

    The answer is 413 with a page that says how large the upload was and what the limit is. The
    body is read and thrown away first (up to ``DRAIN_MAX_BYTES``): a server that answers and
    closes while the browser is still sending makes the browser show a connection error instead
    of the page. The forms keep their own, smaller limits per field.
    """

    DRAIN_MAX_BYTES = 256 * 1024 * 1024
    CHUNK = 64 * 1024

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length <= settings.REQUEST_MAX_BYTES:
            return self.get_response(request)
        response = HttpResponse(
            render_to_string(
                "413.html",
                {"size_mb": length / 2**20, "limit_mb": settings.REQUEST_MAX_BYTES / 2**20},
            ),
            status=413,
        )
        if length <= self.DRAIN_MAX_BYTES:
            stream = request.META["wsgi.input"]
            left = length
            while left > 0:
                chunk = stream.read(min(self.CHUNK, left))
                if not chunk:
                    break
                left -= len(chunk)
        else:
            response["Connection"] = "close"
        return response


class PrivateCacheMiddleware:
    """A page or file answered to a signed-in user is theirs alone: ``Cache-Control: private,
    no-store`` so that no shared cache (the city's proxy, a CDN) keeps it and the browser does
    not leave it on disk. Public pages for anonymous visitors keep their own caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        # Only a request with a session can be signed in; looking at the user of one without
        # costs nothing (no session or user query for anonymous visitors and API callers).
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if (
            session is not None
            and session.session_key
            and user is not None
            and user.is_authenticated
        ):
            response.headers.pop("Cache-Control", None)
            patch_cache_control(response, private=True, no_store=True)
        return response
