"""Finnish-first formatting for money and percentages, following the active language."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def eur(value: object, decimals: int | None = None) -> str:
    """``1234.5`` -> ``1 234,50 €`` in Finnish; whole euros show no decimals."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return ""
    if decimals is None:
        decimals = 0 if amount == amount.to_integral_value() else 2
    amount = amount.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return f"{number_format(amount, decimal_pos=decimals, force_grouping=True)}\xa0€"


@register.filter
def percent(value: object, decimals: int = 0) -> str:
    """``0.8`` -> ``80 %`` (Finnish puts a space before the sign)."""
    if value is None or value == "":
        return ""
    try:
        ratio = Decimal(str(value)) * 100
    except InvalidOperation:
        return ""
    # number_format cuts extra decimals off; a percentage is rounded (5,6 % -> 6 %).
    ratio = ratio.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return f"{number_format(ratio, decimal_pos=decimals, force_grouping=True)}\xa0%"


@register.filter
def page_numbers(page: object) -> list[object]:
    """The page numbers a list's pagination shows: the first and last, and two each side of the
    current one; the gaps are ``Paginator.ELLIPSIS`` (partials/pagination.html)."""
    paginator = getattr(page, "paginator", None)
    if paginator is None:
        return []
    return list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
