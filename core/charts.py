"""Charts as inline SVG, drawn on the server: the same markup in the PDF and in the browser.

No JavaScript and no fonts of their own. Every chart is shown by ``chart_figure``: its title as
the figure's caption (HTML, so it wraps and is never cut), a sentence saying what it shows, the
picture (named by both), and its figures as a table, behind a disclosure on a screen and printed
in the PDF. Colour is never the only signal: bars carry their values as text, lines differ in
dash as well as colour, and the legend names every series.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

Number = Decimal | int

PRIMARY = "#00566b"
SECONDARY = "#b34700"
STATUS_FILL = {"green": "#2e7d32", "amber": "#c77c00", "red": "#b00020", "": "#767676"}
FONT = 'font-family="sans-serif" font-size="11"'

BAR = 16
GAP = 6
LABEL_WIDTH = 170
BAR_WIDTH = 250
VALUE_WIDTH = 110
LEGEND_LINE = 18  # a stacked bar chart's legend wraps onto lines this far apart


def _svg(body: SafeString | str, width: int, height: int, label_id: str) -> SafeString:
    return mark_safe(  # noqa: S308 - the body is built with format_html
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{label_id}">{body}</svg>'
    )


def _short(label: str, limit: int = 30) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(
    rows: Sequence[tuple[str, Number]],
    *,
    label_id: str,
    value_format: Callable[[Number], str] = str,
    fill: str = PRIMARY,
) -> SafeString:
    """Horizontal bars of ``rows`` (label, value), each with its value written beside it."""
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    height = max(1, len(rows)) * (BAR + GAP) + GAP
    largest = max((Decimal(v) for _label, v in rows), default=Decimal(0)) or Decimal(1)
    parts = []
    for index, (label, value) in enumerate(rows):
        y = GAP + index * (BAR + GAP)
        length = max(int(Decimal(BAR_WIDTH) * Decimal(value) / largest), 1)
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" {}>{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
                '<text x="{}" y="{}" {}>{}</text>',
                LABEL_WIDTH - 6,
                y + BAR - 4,
                mark_safe(FONT),  # noqa: S308 - a constant
                _short(str(label)),
                LABEL_WIDTH,
                y,
                length,
                BAR,
                fill,
                LABEL_WIDTH + length + 4,
                y + BAR - 4,
                mark_safe(FONT),  # noqa: S308 - a constant
                value_format(value),
            )
        )
    return _svg(mark_safe("".join(parts)), width, height, label_id)  # noqa: S308


@dataclass(frozen=True)
class Series:
    """One line of a line chart: its name (in the legend), colour, dash and one value per x
    label (None where there is none)."""

    name: str
    values: Sequence[Number | None]
    colour: str = PRIMARY
    dash: str = ""


def line_chart(
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    label_id: str,
    value_format: Callable[[Number], str] = str,
) -> SafeString:
    """Lines over ``x_labels`` with a zero-based y axis, the top value written at the axis, a
    dot at every point and the last point's value written at its end."""
    width, height = 560, 240
    left, right, top, bottom = 90, 100, 24, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [Decimal(v) for s in series for v in s.values if v is not None]
    largest = max(values, default=Decimal(0)) or Decimal(1)
    steps = max(len(x_labels) - 1, 1)

    def xy(index: int, value: Number) -> tuple[int, int]:
        x = left + int(plot_w * index / steps) if len(x_labels) > 1 else left + plot_w // 2
        y = top + plot_h - int(Decimal(plot_h) * Decimal(value) / largest)
        return x, y

    font = mark_safe(FONT)  # noqa: S308 - a constant
    parts = [
        format_html(
            '<line x1="{l}" y1="{b}" x2="{r}" y2="{b}" stroke="#555"></line>'
            '<line x1="{l}" y1="{t}" x2="{l}" y2="{b}" stroke="#555"></line>'
            '<text x="{lx}" y="{ty}" text-anchor="end" {f}>{top}</text>'
            '<text x="{lx}" y="{b}" text-anchor="end" {f}>{zero}</text>',
            l=left,
            r=left + plot_w,
            t=top,
            b=top + plot_h,
            lx=left - 6,
            ty=top + 4,
            f=font,
            top=value_format(largest),
            zero=value_format(0),
        )
    ]
    every = max(1, len(x_labels) // 8)  # at most about eight labels under the axis
    for index, label in enumerate(x_labels):
        if index % every and index != len(x_labels) - 1:
            continue
        x, _y = xy(index, 0)
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" {}>{}</text>',
                x,
                top + plot_h + 16,
                font,
                _short(label, 14),
            )
        )
    for position, line in enumerate(series):
        points = [(i, v) for i, v in enumerate(line.values) if v is not None]
        coords = [xy(i, v) for i, v in points]
        if len(coords) > 1:
            parts.append(
                format_html(
                    '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5"{}>'
                    "</polyline>",
                    " ".join(f"{x},{y}" for x, y in coords),
                    line.colour,
                    format_html(' stroke-dasharray="{}"', line.dash) if line.dash else "",
                )
            )
        for x, y in coords:
            parts.append(
                format_html('<circle cx="{}" cy="{}" r="3" fill="{}"></circle>', x, y, line.colour)
            )
        if coords:
            x, y = coords[-1]
            parts.append(
                format_html(
                    '<text x="{}" y="{}" {} fill="{}">{}</text>',
                    x + 6,
                    y + 4 + position * 12,
                    font,
                    "#1a1a1a",
                    value_format(points[-1][1]),
                )
            )
        # the legend, under the axis labels
        lx = left + position * 200
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2.5"{}></line>'
                '<text x="{}" y="{}" {}>{}</text>',
                lx,
                height - 8,
                lx + 24,
                height - 8,
                line.colour,
                format_html(' stroke-dasharray="{}"', line.dash) if line.dash else "",
                lx + 30,
                height - 4,
                font,
                line.name,
            )
        )
    return _svg(mark_safe("".join(parts)), width, height, label_id)  # noqa: S308


def stacked_bar_chart(
    rows: Sequence[tuple[str, Sequence[tuple[str, str, int]]]],
    *,
    label_id: str,
) -> SafeString:
    """One horizontal bar per row (label, [(segment name, colour key, count)]), its segments
    side by side, each segment's count written in it and every segment named in the legend."""
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    legend: dict[str, str] = {}
    for _label, segments in rows:
        for name, colour, _n in segments:
            legend.setdefault(name, colour)
    # The legend's items side by side, a new line where the next would pass the chart's width
    # (four long names in Swedish do not fit on one).
    places: list[tuple[int, int]] = []
    lx, line = 0, 0
    for name in legend:
        item = 30 + 7 * len(name)
        if lx and lx + item > width:
            lx, line = 0, line + 1
        places.append((lx, line))
        lx += item
    bars = max(1, len(rows)) * (BAR + GAP) + GAP
    height = bars + 24 + line * LEGEND_LINE
    largest = max((sum(n for *_x, n in segs) for _l, segs in rows), default=0) or 1
    font = mark_safe(FONT)  # noqa: S308 - a constant
    parts = []
    for index, (label, segments) in enumerate(rows):
        y = GAP + index * (BAR + GAP)
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" {}>{}</text>',
                LABEL_WIDTH - 6,
                y + BAR - 4,
                font,
                _short(label),
            )
        )
        x = LABEL_WIDTH
        for _name, colour, n in segments:
            if not n:
                continue
            length = max(int(BAR_WIDTH * n / largest), 1)
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#fff"></rect>'
                    '<text x="{}" y="{}" text-anchor="middle" {} fill="#fff">{}</text>',
                    x,
                    y,
                    length,
                    BAR,
                    STATUS_FILL.get(colour, colour),
                    x + length / 2,
                    y + BAR - 4,
                    font,
                    n if length >= 14 else "",
                )
            )
            x += length
        parts.append(
            format_html(
                '<text x="{}" y="{}" {}>{}</text>',
                x + 4,
                y + BAR - 4,
                font,
                sum(n for *_x, n in segments),
            )
        )
    for (name, colour), (lx, line) in zip(legend.items(), places, strict=True):
        top = bars + 8 + line * LEGEND_LINE
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="12" height="12" fill="{}"></rect>'
                '<text x="{}" y="{}" {}>{}</text>',
                lx,
                top,
                STATUS_FILL.get(colour, colour),
                lx + 16,
                top + 10,
                font,
                name,
            )
        )
    return _svg(mark_safe("".join(parts)), width, height, label_id)  # noqa: S308


@dataclass(frozen=True)
class Chart:
    """A chart ready to show: ``html`` is the figure for a screen (the table behind a
    disclosure), ``pdf`` the same for paper (the table printed under the picture)."""

    title: str
    html: SafeString
    pdf: SafeString

    def __str__(self) -> str:
        return str(self.html)

    def __html__(self) -> str:
        return str(self.html)


def chart_figure(
    *,
    key: str,
    title: str,
    description: str,
    draw: Callable[[str], SafeString],
    head: Sequence[str],
    rows: Sequence[Sequence[object]],
) -> Chart:
    """The figure of a chart: ``draw(labelled_by)`` makes the picture, named by the title and
    the description; ``head`` and ``rows`` are its figures as a table (the first column names
    the row, the others are numbers, already formatted). ``key`` makes the ids: unique on a page."""
    ident = f"chart-{key}"
    context = {
        "id": ident,
        "title": title,
        "description": description,
        "svg": draw(f"{ident}-title {ident}-desc"),
        "head": head,
        "rows": rows,
    }
    return Chart(
        title=title,
        html=mark_safe(render_to_string("partials/chart.html", {**context, "toggle": True})),  # noqa: S308
        pdf=mark_safe(render_to_string("partials/chart.html", {**context, "toggle": False})),  # noqa: S308
    )
