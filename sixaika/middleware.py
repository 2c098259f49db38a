"""Finnish by default: the language is the one the user chose (cookie), else Finnish.

Django's LocaleMiddleware would follow the browser's Accept-Language; a Finnish public service
shows Finnish until the user picks another language, and remembers that choice.
"""

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class RequireTwoFactorMiddleware:
    """Send users whose role requires two-step sign-in to set it up, or verify, first."""

    ALLOWED_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/media/")

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
