"""Charts (core/charts.py): a figure with its whole title, a description, a picture named by
both, and its figures as a table; text in the picture is escaped."""

import re
from decimal import Decimal

from core.charts import Series, bar_chart, chart_figure, line_chart, stacked_bar_chart

LONG_TITLE = "Myönnetty rahoitus kaupungeittain, kun hanke lasketaan jokaiselle kaupungilleen"


def _figure(draw):
    return chart_figure(
        key="test",
        title=LONG_TITLE,
        description="Kuvaus <b>",
        draw=draw,
        head=["Kaupunki", "Myönnetty"],
        rows=[("Helsinki", "1 000 €"), ("Espoo <x>", "500 €")],
    )


def test_figure_has_its_whole_title_a_description_and_the_table():
    chart = _figure(lambda labelled_by: bar_chart([("Helsinki", 1000)], label_id=labelled_by))
    for html in (str(chart.html), str(chart.pdf)):
        assert f'<figcaption id="chart-test-title">{LONG_TITLE}</figcaption>' in html
        assert '<p class="chart-desc" id="chart-test-desc">Kuvaus &lt;b&gt;</p>' in html
        assert 'role="img"' in html and 'aria-labelledby="chart-test-title chart-test-desc"' in html
        assert '<th scope="row">Espoo &lt;x&gt;</th>' in html
        assert '<td class="num">500 €</td>' in html
    assert "<details>" in str(chart.html) and "<details>" not in str(chart.pdf)


def test_bars_write_their_values_and_escape_labels():
    svg = str(bar_chart([("<script>", Decimal(5)), ("Espoo", 10)], label_id="x"))
    assert "&lt;script&gt;" in svg and "<script>" not in svg
    assert re.search(r">5</text>", svg) and re.search(r">10</text>", svg)
    widths = [int(w) for w in re.findall(r'<rect[^>]*width="(\d+)"', svg)]
    assert widths[1] == 2 * widths[0]


def test_lines_have_a_legend_a_dash_and_skip_missing_points():
    svg = str(
        line_chart(
            ["K1", "K2", "K3"],
            [Series("Kulut", [1, None, 3]), Series("Suunnitelma", [1, 2, 3], dash="6 4")],
            label_id="x",
        )
    )
    assert ">Kulut</text>" in svg and ">Suunnitelma</text>" in svg
    assert 'stroke-dasharray="6 4"' in svg
    assert svg.count("<circle") == 5


def test_stacked_bars_name_every_segment_and_the_total():
    svg = str(
        stacked_bar_chart(
            [("Kausi 1", [("Vihreä", "green", 3), ("Punainen", "red", 1)])], label_id="x"
        )
    )
    assert ">Vihreä</text>" in svg and ">Punainen</text>" in svg
    assert ">4</text>" in svg  # the period's total


def test_stacked_bars_legend_wraps_inside_the_picture():
    """Four long names (the status colours in Swedish) do not fit on one line: the legend goes
    on under itself and the picture grows to hold it, so no name is cut off at its edge."""
    names = [
        "Grön – framskrider enligt plan",
        "Gul – risker",
        "Röd – framskrider inte enligt plan",
        "Inget läge angivet",
    ]
    colours = ("green", "amber", "red", "")
    segments = [(n, c, 1) for n, c in zip(names, colours, strict=True)]
    svg = str(stacked_bar_chart([("1/2025", segments)], label_id="x"))
    width, height = (int(v) for v in re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).groups())
    texts = {
        name: (int(x), int(y))
        for x, y, name in re.findall(r'<text x="(\d+)" y="(\d+)" [^>]*>([^<]+)</text>', svg)
    }
    lines = {texts[name][1] for name in names}
    assert len(lines) > 1
    for name in names:
        x, y = texts[name]
        assert x + 7 * len(name) <= width, name  # the width the layout gives a name
        assert y <= height, name
