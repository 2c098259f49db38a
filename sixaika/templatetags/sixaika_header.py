"""``{% site_nav %}`` and ``{% language_switch %}``: the header's menu and language switch of
a signed-in page, memoised per process (as core.fragments does a list's rows).

Both are the same HTML for every request with the same few inputs: the active language, the
page's place in the URLs (or its path, for the switch's ``next``), the menu's answers of
``can`` (sixaika.context_processors: decided on every request, as before) and the username.
Each is rendered once per such value from a context of exactly those values, with a marker
where the CSRF token goes; every request gets its own token in the marker's place, as
``{% csrf_token %}`` would put it there (issue 19: the menu cost a millisecond and more of
every signed-in page). A visitor's header is rendered as it always was (public pages are
kept whole, core/page_cache.py).
"""

from functools import lru_cache
from typing import NamedTuple

from django import template
from django.conf import settings
from django.middleware.csrf import get_token
from django.template.context import Context
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

# Where the token goes: a header holding these letters anywhere else (a path, a username) is
# rendered as it always was.
TOKEN_MARKER = "csrf-token-marker-3f9c2a"  # noqa: S105 - a placeholder, not a secret
MEMO_SIZE = 4096


class Match(NamedTuple):
    namespace: str
    url_name: str


class RequestView(NamedTuple):
    resolver_match: Match | None
    get_full_path: str


class UserView(NamedTuple):
    is_authenticated: bool
    get_username: str


class CanView(NamedTuple):
    list_meetings: bool
    read_coordination: bool
    view_reports: bool
    view_audit: bool
    use_admin: bool


class Header(NamedTuple):
    template_name: str
    request: RequestView
    user: UserView | None
    can: CanView | None


def _render(header: Header, language: str | None) -> str | None:
    # ``language`` is the active one: an argument so that the memo keeps one per language.
    html = render_to_string(
        header.template_name,
        {
            "request": header.request,
            "user": header.user,
            "can": header.can,
            "csrf_token": TOKEN_MARKER,
        },
    )
    return html if html.count(TOKEN_MARKER) == 1 else None


_memo = lru_cache(maxsize=MEMO_SIZE)(_render)


def _header(context: Context, template_name: str, *, with_can: bool, path: bool) -> SafeString:
    request = context.get("request")
    user = context.get("user")
    can = context.get("can")
    if request is None or user is None or not user.is_authenticated or (with_can and not can):
        return _as_always(context, template_name)  # a visitor, or a page without a request
    match = request.resolver_match
    header = Header(
        template_name=template_name,
        request=RequestView(
            resolver_match=Match(match.namespace, match.url_name) if match else None,
            get_full_path=request.get_full_path() if path else "",
        ),
        user=UserView(True, user.get_username()),
        can=CanView(*(getattr(can, name) for name in CanView._fields)) if with_can else None,
    )
    render = _render if settings.DEBUG else _memo
    html = render(header, get_language())
    if html is None:
        return _as_always(context, template_name)
    # The page's own token (the context's, made once per render: the menu's and the language
    # switch's forms and the page's share it, as {% csrf_token %} does), not a new mask per call.
    token = context.get("csrf_token")
    token = str(token) if token is not None else get_token(request)
    return mark_safe(html.replace(TOKEN_MARKER, token))  # noqa: S308


def _as_always(context: Context, template_name: str) -> SafeString:
    """As ``{% include template_name %}`` renders it."""
    return context.template.engine.get_template(template_name).render(context)


@register.simple_tag(takes_context=True)
def site_nav(context: Context) -> SafeString:
    return _header(context, "partials/nav.html", with_can=True, path=False)


@register.simple_tag(takes_context=True)
def language_switch(context: Context) -> SafeString:
    return _header(context, "partials/language_switch.html", with_can=False, path=True)
