"""``{% fragments "app/partials/row.html" rows %}``: each of a list's rows, memoised;
``{% pagination page %}``: a list's pagination, memoised (core.fragments)."""

from collections.abc import Hashable, Iterable

from django import template
from django.utils.safestring import SafeString

from core.fragments import render_fragments, render_pagination

register = template.Library()


@register.simple_tag
def fragments(template_name: str, values: Iterable[Hashable]) -> SafeString:
    return render_fragments(template_name, values)


@register.simple_tag
def pagination(page: object, query: str = "", htmx_target: str = "") -> SafeString:
    """``{% pagination page query=... htmx_target=... %}``: partials/pagination.html, memoised."""
    return render_pagination(page, query, htmx_target)
