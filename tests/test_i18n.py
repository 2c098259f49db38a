"""Finnish by default, English (and Swedish) on request, remembered in the language cookie."""

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation


@pytest.mark.django_db
def test_finnish_is_the_default(client, org_6aika):
    html = client.get(reverse("governance:bodies")).content.decode()
    assert '<html lang="fi">' in html
    assert "Johtoryhmä ja ohjausryhmä" in html
    assert "Henkilökohtainen varajäsen" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "heading", "body_name", "city_word"),
    [
        ("en", "Board and steering group", "Steering group", "Personal deputy"),
        ("sv", "Ledningsgrupp och styrgrupp", "Styrgrupp", "Personlig suppleant"),
    ],
)
def test_switching_language_is_remembered(client, org_6aika, code, heading, body_name, city_word):
    url = reverse("governance:bodies")
    response = client.post(reverse("set_language"), {"language": code, "next": url})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == code
    html = client.get(url).content.decode()  # a new request: the cookie carries the choice
    assert f'<html lang="{code}">' in html
    assert heading in html
    assert body_name in html
    assert city_word in html


def _render(template, **ctx):
    return Template("{% load sixaika_format %}" + template).render(Context(ctx))


def test_finnish_money_and_date_formats():
    with translation.override("fi"):
        assert _render("{{ v|eur }}", v=Decimal("1234.56")) == "1\xa0234,56\xa0€"
        assert _render("{{ v|eur }}", v=325000) == "325\xa0000\xa0€"
        assert _render("{{ v|percent }}", v=Decimal("0.8")) == "80\xa0%"
        # rounded, not cut: 5,59 % is 6 %, 20,5 % is 21 %
        assert _render("{{ v|percent }}", v=Decimal("0.0559")) == "6\xa0%"
        assert _render("{{ v|percent }}", v=Decimal("0.205")) == "21\xa0%"
        assert _render("{{ d|date }}", d=date(2023, 12, 31)) == "31.12.2023"
        assert _render("{{ d|date:'SHORT_DATE_FORMAT' }}", d=date(2022, 1, 1)) == "1.1.2022"
    with translation.override("en"):
        assert _render("{{ v|eur }}", v=Decimal("1234.56")) == "1,234.56\xa0€"


def test_swedish_formats_are_those_used_in_finland():
    """Finland-Swedish writes dates and numbers as Finnish does, not as Sweden (2023-12-31)."""
    with translation.override("sv"):
        assert _render("{{ v|eur }}", v=Decimal("1234.56")) == "1\xa0234,56\xa0€"
        assert _render("{{ d|date }}", d=date(2023, 12, 31)) == "31.12.2023"
        assert _render("{{ d|date:'SHORT_DATE_FORMAT' }}", d=date(2022, 1, 1)) == "1.1.2022"
        when = datetime(2023, 12, 31, 14, 30, tzinfo=UTC)  # shown in Helsinki time: 16.30
        assert _render("{{ w|date:'SHORT_DATETIME_FORMAT' }}", w=when) == "31.12.2023 16.30"


def test_english_pages_write_one_date_format():
    with translation.override("en"):
        day = date(2023, 12, 31)
        assert _render("{{ d|date }}", d=day) == "Dec. 31, 2023"
        assert _render("{{ d|date:'SHORT_DATE_FORMAT' }}", d=day) == "Dec. 31, 2023"


@pytest.mark.django_db
def test_browser_language_does_not_override_finnish_default(client, org_6aika):
    html = client.get(
        reverse("governance:bodies"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
    ).content.decode()
    assert '<html lang="fi">' in html
    assert "Johtoryhmä ja ohjausryhmä" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("fi", ["Nimi", "Nimi (laskeva)", "Tunnus", "Tunnus (laskeva)", "Myönnetty (laskeva)"]),
        ("sv", ["Namn", "Namn (fallande)", "Kod", "Kod (fallande)", "Beviljat (fallande)"]),
        ("en", ["Name", "Name (descending)", "Code", "Code (descending)", "Granted (descending)"]),
    ],
)
def test_portfolio_sort_options_follow_the_language(client, code, expected):
    """The descending sort labels are in the page's language too, not fixed at import time."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    html = client.get(reverse("projects:list")).content.decode()
    select = html[html.index('name="sort"') :]
    select = select[: select.index("</select>")]
    options = [
        " ".join(o.split()) for o in re.findall(r"<option[^>]*>(.*?)</option>", select, re.S)
    ]
    for label in expected:
        assert label in options, (label, options)
