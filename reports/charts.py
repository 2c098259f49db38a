"""Bar charts as inline SVG, drawn on the server: the same markup in the PDF and in the browser.

No JavaScript and no fonts of its own; each bar carries its value as text, so the chart reads
without colour and the table beside it stays the source of the figures.
"""

from collections.abc import Callable, Sequence
from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

BAR = 16
GAP = 6
LABEL_WIDTH = 150
BAR_WIDTH = 230
VALUE_WIDTH = 100
TITLE = 18


def bar_chart(
    title: str,
    rows: Sequence[tuple[str, Decimal | int]],
    *,
    value_format: Callable[[Decimal | int], str] = str,
) -> SafeString:
    """A horizontal bar chart of ``rows`` (label, value) with the title as its accessible name."""
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    height = TITLE + max(1, len(rows)) * (BAR + GAP) + GAP
    largest = max((Decimal(v) for _label, v in rows), default=Decimal(0)) or Decimal(1)
    parts = []
    for index, (label, value) in enumerate(rows):
        y = TITLE + GAP + index * (BAR + GAP)
        length = int(Decimal(BAR_WIDTH) * Decimal(value) / largest)
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" font-size="10">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="#0000bf"></rect>'
                '<text x="{}" y="{}" font-size="10">{}</text>',
                LABEL_WIDTH - 6,
                y + BAR - 4,
                label[:28],
                LABEL_WIDTH,
                y,
                max(length, 1),
                BAR,
                LABEL_WIDTH + max(length, 1) + 4,
                y + BAR - 4,
                value_format(value),
            )
        )
    return mark_safe(  # noqa: S308 - every piece above is escaped by format_html
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
        f'<text x="0" y="12" font-size="11" font-weight="bold">{escape(title)}</text>'
        f"{''.join(parts)}</svg>"
    )
