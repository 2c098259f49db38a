"""Status colours carry a word, not only a colour (WCAG 1.4.1): every green/amber/red badge on a
rendered page holds the colour's name and meaning as text, in the page's language."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from projects import services

from . import factories

BADGE = re.compile(r'<span class="rag rag--(?P<colour>[a-z]*)">(?P<text>.*?)</span>', re.S)
WORDS = {
    "fi": {
        "green": "Vihreä – etenee suunnitellusti",
        "amber": "Keltainen – riskejä",
        "red": "Punainen – ei etene suunnitellusti",
    },
    "sv": {
        "green": "Grön – framskrider enligt plan",
        "amber": "Gul – risker",
        "red": "Röd – framskrider inte enligt plan",
    },
    "en": {
        "green": "Green – on track",
        "amber": "Amber – at risk",
        "red": "Red – off track",
    },
}
STATUSES = {
    "overall_status": "green",
    "schedule_status": "amber",
    "budget_status": "green",
    "scope_status": "red",
}


def badges(html: str) -> list[tuple[str, str]]:
    return [(m["colour"], " ".join(m["text"].split())) for m in BADGE.finditer(html)]


@pytest.fixture
def submitted(demo_users, client_as):
    """A status report with all three colours, submitted through the form by its coordinator."""
    project = factories.project(name="Värikoodattu hanke", cities=("helsinki", "espoo"))
    period = services.reporting_periods_generate(
        first_start=dt.date(2030, 1, 1), months=6, count=1
    )[0]
    report = services.status_report_start(
        project=project, period=period, by=demo_users["koordinaattori-helsinki"]
    )
    data = STATUSES | {
        "narrative": "Edistyttiin.",
        "costs_to_date": "1 000",
        "risks": "Ei suuria.",
        "next_steps": "Jatketaan.",
        "version": report.version,
        "submit": "1",
    }
    response = client_as("koordinaattori-helsinki").post(
        reverse("projects:report_edit", args=[report.pk]), data
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.costs_to_date == Decimal(1000)
    return report


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_report_page_names_every_colour_in_words(submitted, client_as, lang):
    client = client_as("toimisto")
    client.cookies["django_language"] = lang
    html = client.get(reverse("projects:report_detail", args=[submitted.pk])).content.decode()
    words = WORDS[lang]
    assert badges(html) == [(colour, words[colour]) for colour in STATUSES.values()]


@pytest.mark.django_db
def test_report_list_and_project_timeline_name_the_colour(submitted, client_as):
    client = client_as("toimisto")
    listed = client.get(reverse("projects:report_list"), {"state": "submitted"}).content.decode()
    shown = badges(listed)  # other submitted reports may be listed too: each names its colour
    assert ("green", WORDS["fi"]["green"]) in shown
    assert all(colour in WORDS["fi"] and text == WORDS["fi"][colour] for colour, text in shown)
    page = client.get(reverse("projects:detail", args=[submitted.project.pk])).content.decode()
    assert badges(page) == [("green", WORDS["fi"]["green"])]


@pytest.mark.django_db
def test_colour_choices_in_the_form_are_labelled_with_words(demo_users, client_as):
    project = factories.project(name="Lomakkeen värit", cities=("helsinki", "espoo"))
    period = services.reporting_periods_generate(
        first_start=dt.date(2030, 1, 1), months=6, count=1
    )[0]
    report = services.status_report_start(
        project=project, period=period, by=demo_users["koordinaattori-helsinki"]
    )
    html = (
        client_as("koordinaattori-helsinki")
        .get(reverse("projects:report_edit", args=[report.pk]))
        .content.decode()
    )
    expected = [(colour, WORDS["fi"][colour]) for colour in ("green", "amber", "red")]
    assert badges(html) == expected * len(STATUSES)  # four radio groups, each colour with words
