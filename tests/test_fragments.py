"""Memoised rows (core.fragments): the HTML is kept under what the row shows and the
language, so a changed row renders anew and each language keeps its own."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.utils import translation

from core import fragments
from projects.selectors import PortfolioRow

TEMPLATE = "projects/partials/result_row.html"


def row(**changes) -> PortfolioRow:
    values = {
        "pk": 1146,
        "name": "Avoin data",
        "code": "A70011",
        "programme": "6Aika",
        "needs_completion": False,
        "leads": ("Forum Virium Helsinki Oy",),
        "cities": ("Helsinki", "Espoo"),
        "start_date": dt.date(2024, 1, 1),
        "end_date": dt.date(2027, 12, 31),
        "total_cost": Decimal("1200000.00"),
        "granted": Decimal("840000.00"),
        "status": "Käynnissä",
    }
    return PortfolioRow(**(values | changes))


@pytest.fixture(autouse=True)
def empty_memo():
    fragments._memo.cache_clear()
    yield
    fragments._memo.cache_clear()


def test_a_row_renders_what_it_holds():
    with translation.override("fi"):
        html = fragments.render_fragments(TEMPLATE, [row()])
    assert '<a href="/projects/1146/">Avoin data</a>' in html
    assert "A70011 · 6Aika" in html and "Forum Virium Helsinki Oy" in html
    assert "1.1.2024–31.12.2027" in html
    assert "1\xa0200\xa0000\xa0€" in html and "840\xa0000\xa0€" in html
    assert 'data-label="Tila">Käynnissä</td>' in html


def test_the_same_row_is_rendered_once_and_a_changed_row_anew():
    with translation.override("fi"):
        first = fragments.render_fragments(TEMPLATE, [row(), row()])
        assert fragments._memo.cache_info().misses == 1
        changed = fragments.render_fragments(TEMPLATE, [row(cities=("Helsinki",))])
    assert fragments._memo.cache_info().misses == 2
    assert first.count("<tr>") == 2 and "Espoo" in first
    assert "Espoo" not in changed and "Helsinki" in changed


def test_each_language_keeps_its_own_html():
    with translation.override("fi"):
        finnish = fragments.render_fragments(TEMPLATE, [row()])
    with translation.override("en"):
        english = fragments.render_fragments(TEMPLATE, [row()])
    assert 'data-label="Kokonaiskustannus"' in finnish
    assert 'data-label="Total cost"' in english


def test_in_debug_nothing_is_kept(settings):
    """The autoreloader swaps a changed template in place: a kept row would hide the change."""
    settings.DEBUG = True
    with translation.override("fi"):
        fragments.render_fragments(TEMPLATE, [row()])
    assert fragments._memo.cache_info().currsize == 0


# A list's pagination links, memoised per process (core.fragments.render_pagination): the same
# HTML as partials/pagination.html writes for every page, parameters and language.
def _written(page, query: str = "", htmx_target: str = "") -> str:
    return render_to_string(
        "partials/pagination.html", {"page": page, "query": query, "htmx_target": htmx_target}
    )


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_memo_writes_what_the_partial_writes(language, settings):
    settings.DEBUG = False
    fragments._pagination_kept.clear()
    paginator = Paginator(list(range(500)), 25)
    with translation.override(language):
        for number in (1, 2, 7, 19, 20):
            for query, target in (("", ""), ("state=draft", ""), ("q=a%26b", "#results")):
                page = paginator.page(number)
                expected = _written(page, query, target)
                assert fragments.render_pagination(page, query, target) == expected
                # again, from the memo: the same HTML for the same page, another page's own
                assert (
                    fragments.render_pagination(paginator.page(number), query, target) == expected
                )
        assert fragments._pagination_kept
        other = fragments.render_pagination(paginator.page(3), "state=draft")
        assert 'aria-current="page">3<' in other and "state=draft&amp;page=4" in other


def test_one_page_has_no_links_and_a_list_s_length_is_part_of_the_key(settings):
    settings.DEBUG = False
    fragments._pagination_kept.clear()
    assert fragments.render_pagination(Paginator([1, 2], 25).page(1)).strip() == ""
    shorter = fragments.render_pagination(Paginator(list(range(50)), 25).page(1))
    longer = fragments.render_pagination(Paginator(list(range(75)), 25).page(1))
    assert "page=3" in longer and "page=3" not in shorter


# base.html's constant parts ({% constant %}): rendered once per process and language.
@pytest.mark.django_db
def test_the_pages_constant_parts_are_the_templates_in_each_language(client, settings):
    from django.conf import settings as django_settings

    def page(language: str) -> str:
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
        html = client.get("/accessibility/").content.decode()
        return re.sub(r'value="[A-Za-z0-9]{64}"', 'value="token"', html)  # each request's own

    settings.DEBUG = True  # as written, every time
    written = {language: page(language) for language in ("fi", "sv", "en")}
    settings.DEBUG = False
    for _ in range(2):  # kept, then from what is kept
        for language, html in written.items():
            assert page(language) == html
    assert "Saavutettavuusseloste</a>" in written["fi"]
    assert "Accessibility statement</a>" in written["en"]
    assert written["sv"] != written["fi"]
    assert 'href="/static/css/portal.css"' in written["en"]
