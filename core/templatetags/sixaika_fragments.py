"""``{% fragments "app/partials/row.html" rows %}``: each of a list's rows, memoised;
``{% pagination page %}``: a list's pagination, memoised (core.fragments)."""

from collections.abc import Hashable, Iterable

from django import template
from django.conf import settings
from django.template.base import Node, NodeList, Parser, Token
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.fragments import render_fragments, render_pagination

register = template.Library()


@register.simple_tag
def fragments(template_name: str, values: Iterable[Hashable]) -> SafeString:
    return render_fragments(template_name, values)


@register.simple_tag
def pagination(page: object, query: str = "", htmx_target: str = "") -> SafeString:
    """``{% pagination page query=... htmx_target=... %}``: partials/pagination.html, memoised."""
    return render_pagination(page, query, htmx_target)


class ConstantNode(Node):
    """What ``{% constant %}`` holds, rendered once per process and language (the node lives as
    long as its compiled template, with the cached template loader, so does what it keeps)."""

    def __init__(self, nodelist: NodeList) -> None:
        self.nodelist = nodelist
        self.kept: dict[str | None, SafeString] = {}

    def render(self, context: Context) -> SafeString:
        if settings.DEBUG:
            return mark_safe(self.nodelist.render(context))  # noqa: S308 - the template's own
        language = get_language()
        html = self.kept.get(language)
        if html is None:
            html = self.kept[language] = mark_safe(self.nodelist.render(context))  # noqa: S308
        return html


@register.tag
def constant(parser: Parser, token: Token) -> ConstantNode:
    """``{% constant %}...{% endconstant %}``: a part of a template that reads nothing of its
    context (static files' addresses, URLs without arguments, translated words), so it is the
    same HTML for every request in a language: rendered once per process and language (issue
    19: base.html's links and words cost a third of a millisecond on every page). Put nothing
    in it that depends on the request, the user or the page."""
    nodelist = parser.parse(("endconstant",))
    parser.delete_first_token()
    return ConstantNode(nodelist)
