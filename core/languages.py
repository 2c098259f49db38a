"""The language the portal writes to a user in: the one they last chose, else Finnish."""

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction

from .models import UserLanguage


def _supported(language: str | None) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


def language_of(user) -> str:
    """The user's language (one query unless ``preferred_language`` was selected with them)."""
    if user is None or not getattr(user, "pk", None):
        return settings.LANGUAGE_CODE
    try:
        return _supported(user.preferred_language.language)
    except UserLanguage.DoesNotExist:
        return settings.LANGUAGE_CODE


def languages_of(user_ids: Iterable[int]) -> dict[int, str]:
    """user id -> language for many users in one query; Finnish for those who never chose."""
    ids = set(user_ids)
    chosen = dict(UserLanguage.objects.filter(user_id__in=ids).values_list("user_id", "language"))
    return {pk: _supported(chosen.get(pk)) for pk in ids}


def user_language_set(*, user, language: str) -> None:
    """Remember the language a signed-in user chose (the language switcher calls this)."""
    if language != _supported(language) or not getattr(user, "pk", None):
        return
    with transaction.atomic():
        UserLanguage.objects.update_or_create(user=user, defaults={"language": language})
