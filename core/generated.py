"""Texts the portal writes itself (a verdict, a proposed reason), kept as a code and its values so
that every reader gets them in their own language.

An app defines its texts where its models are, so they are known whenever a row is read:

    TWO_CITY_RULE = generated.define("projects.two_city_rule", _("... %(count)d."))

and stores ``code`` and ``params`` beside the Finnish text it keeps for the record. A page
writes ``generated.render(code, params, fallback=row.text)``: the text in the active language,
or, for a row written before codes existed (or typed by a person), the text as it was stored.
"""

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise

_TEXTS: dict[str, Promise] = {}


def define(code: str, text: Promise) -> str:
    """Register a text (a lazy gettext with %(name)s placeholders) under a code; return the code."""
    if code in _TEXTS and str(_TEXTS[code]) != str(text):
        raise ValueError(f"The generated text code {code!r} is defined twice.")
    _TEXTS[code] = text
    return code


def is_defined(code: str) -> bool:
    return code in _TEXTS


def render(code: str, params: Mapping[str, Any] | None, fallback: str = "") -> str:
    """The text of ``code`` with ``params`` in the active language; ``fallback`` if the code is
    empty or unknown (an old row, a reason a person wrote) or its values do not fit."""
    text = _TEXTS.get(code or "")
    if text is None:
        return fallback
    try:
        return str(text) % dict(params or {})
    except (KeyError, TypeError, ValueError):
        return fallback


def is_unchanged(code: str, params: Mapping[str, Any] | None, stored: str, submitted: str) -> bool:
    """Whether a person confirming a generated text left it as it was: the submitted text is the
    stored one or the text in any of the portal's languages (they saw it in their own). A
    changed text is theirs: the caller drops the code and keeps what they wrote."""
    from django.conf import settings
    from django.utils import translation

    if not code:
        return False
    wanted = " ".join(submitted.split())
    if wanted == " ".join(stored.split()):
        return True
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            if wanted == " ".join(render(code, params).split()):
                return True
    return False
