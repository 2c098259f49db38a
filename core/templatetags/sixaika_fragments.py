"""``{% fragments "app/partials/row.html" rows %}``: each of a list's rows, memoised
(core.fragments)."""

from collections.abc import Hashable, Iterable

from django import template
from django.utils.safestring import SafeString

from core.fragments import render_fragments

register = template.Library()


@register.simple_tag
def fragments(template_name: str, values: Iterable[Hashable]) -> SafeString:
    return render_fragments(template_name, values)
