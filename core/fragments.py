"""Memoised rendering of the small fragments a page repeats many times (a list's rows).

A fragment is rendered from one plain, hashable value (a NamedTuple of exactly what the row
shows, built by a selector) and the active language, and from nothing else: no request, no
other context. The same value therefore always renders to the same HTML in a process, so the
HTML is kept per process, keyed on the value: nothing needs invalidating, because a changed row
is a different value, and no other process or cache server can hold a stale copy. Templates and
translations do not change while a process runs; in DEBUG the memo is off, because the
autoreloader swaps changed templates in place. A value holds plain data only (strings, numbers,
dates, tuples of them; a lazy translation made a string): values that compare equal must render
alike, which plain data read from the same columns do.

Rendering a row through the template language costs a third of a millisecond and more (every
variable, filter and translation resolved anew); a list page repeats it for every row on every
request, while the rows themselves rarely change.
"""

from collections.abc import Hashable, Iterable
from functools import lru_cache
from typing import Any, NamedTuple

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

# Rows of a few hundred bytes to a couple of kilobytes: some tens of megabytes per process at
# most. Large enough for every row of a 5 000-project portfolio in a language or two (at 4 096
# the deep pages of the list were rendered anew on every request, issue 19).
MEMO_SIZE = 16384


def render_fragments(template_name: str, values: Iterable[Hashable]) -> SafeString:
    """``template_name`` rendered with each of ``values`` as ``row``, in the active language,
    one after another."""
    render = _render if settings.DEBUG else _memo
    language = get_language()
    return SafeString("\n".join(render(template_name, value, language) for value in values))


def _render(template_name: str, value: Hashable, language: str | None) -> SafeString:
    # ``language`` is the active one: it is an argument so that the memo keeps one HTML per
    # language.
    return SafeString(render_to_string(template_name, {"row": value}))


_memo = lru_cache(maxsize=MEMO_SIZE)(_render)


PAGINATION_TEMPLATE = "partials/pagination.html"


def render_pagination(page: Any, query: str = "", htmx_target: str = "") -> SafeString:
    """A list's pagination (``partials/pagination.html``), memoised per process the same way: the
    links are a function of the page's number, the number of pages, the list's other
    parameters, the swap's target and the language, and of nothing else (issue 19: rendering
    them cost more than half a millisecond of every page of a list)."""
    paginator = getattr(page, "paginator", None)
    if paginator is None:
        return _render_pagination(page, query, htmx_target)
    key = PageKey(page.number, paginator.num_pages, str(query or ""), str(htmx_target or ""))
    if settings.DEBUG:
        return _render_pagination(page, key.query, key.htmx_target)
    return _pagination_memo(key, get_language(), page)


class PageKey(NamedTuple):
    number: int
    pages: int
    query: str
    htmx_target: str


def _render_pagination(page: Any, query: str, htmx_target: str) -> SafeString:
    return SafeString(
        render_to_string(
            PAGINATION_TEMPLATE, {"page": page, "query": query, "htmx_target": htmx_target}
        )
    )


# The page at hand renders a key's HTML the first time (any page with the same key renders the
# same); emptied when full, as a process's memo need not be exact.
_pagination_kept: dict[tuple[PageKey, str | None], SafeString] = {}


def _pagination_memo(key: PageKey, language: str | None, page: Any) -> SafeString:
    html = _pagination_kept.get((key, language))
    if html is None:
        html = _render_pagination(page, key.query, key.htmx_target)
        if len(_pagination_kept) >= MEMO_SIZE:
            _pagination_kept.clear()
        _pagination_kept[(key, language)] = html
    return html
