"""SIXNET is loaded by load_6aika exactly as its project page gives it."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from projects.models import Action, Project

PAGE = (Path(__file__).resolve().parents[2] / "docs" / "sources" / "sixnet.txt").read_text()


def page_actions() -> list[tuple[str, list[str]]]:
    """The page's action areas (" 1. ...") and their sub-actions ("  - ...")."""
    areas: list[tuple[str, list[str]]] = []
    for line in PAGE.splitlines():
        if m := re.match(r"^ \d\. (.+)$", line):
            areas.append((m.group(1).strip(), []))
        elif (m := re.match(r"^  -\s*(.+)$", line)) and areas:
            areas[-1][1].append(m.group(1).strip())
    return areas


def sixnet() -> Project:
    return Project.objects.get(name_fi__startswith="SIXNET")


@pytest.mark.django_db
def test_sixnet_facts_match_the_page():
    call_command("load_6aika")
    project = sixnet()
    assert f"{project.name_fi}\n" in PAGE
    lead = project.implementers.get()
    assert lead.is_lead and lead.organisation.name == "Business Tampere Oy"
    assert f"Toteuttaja: {lead.organisation.name}" in PAGE
    grant = project.grants.get()
    assert grant.funder.name == "Pirkanmaan liitto"
    assert grant.instrument == "AKKE" and grant.amount == Decimal("260000")
    assert project.total_cost == Decimal("325000")
    assert project.funding_rate == Decimal("0.8")
    assert (
        "Rahoitus: Pirkanmaan liiton AKKE-rahoitus 260 000€, kokonaiskustannusarvio 325 000€"
        in PAGE
    )
    assert (project.start_date.isoformat(), project.end_date.isoformat()) == (
        "2022-01-01",
        "2023-12-31",
    )
    assert "Toteutusaika: 1.1.2022-31.12.2023" in PAGE
    assert project.programme.slug == "other" and not project.programme.requires_two_cities
    assert project.status == Project.Status.CLOSED
    assert not project.needs_completion
    assert [c.slug for c in project.cities.all()] == ["tampere"]
    summary = PAGE.split("Toteutusaika: 1.1.2022-31.12.2023\n\n")[1].split(
        "\n\nHankkeen keskeiset toimenpiteet"
    )[0]
    assert summary.startswith("Hankkeella luodaan") and summary.endswith("varmistamiseksi.")
    assert project.summary_fi == summary


@pytest.mark.django_db
def test_sixnet_actions_are_exactly_the_page():
    call_command("load_6aika")
    project = sixnet()
    loaded = [
        (a.title_fi, [s.title_fi for s in a.sub_actions.order_by("order")])
        for a in project.actions.filter(parent__isnull=True).order_by("order")
    ]
    expected = page_actions()
    assert len(expected) == 3 and [len(s) for _, s in expected] == [4, 4, 1]
    assert loaded == expected


@pytest.mark.django_db
def test_load_6aika_twice_creates_nothing_twice():
    call_command("load_6aika")
    counts = (Project.objects.count(), Action.objects.count())
    call_command("load_6aika")
    assert (Project.objects.count(), Action.objects.count()) == counts == (1, 12)


@pytest.mark.django_db
def test_sixnet_page_shows_the_facts(client):
    call_command("load_6aika")
    html = client.get(reverse("projects:detail", args=[sixnet().pk])).content.decode()
    for text in (
        "Business Tampere Oy",
        "Pirkanmaan liitto",
        "325\xa0000\xa0€",
        "260\xa0000\xa0€",
        "80\xa0%",
        "1.1.2022–31.12.2023",
        "Rakennetaan toiminnan vuosikello.",
    ):
        assert text in html, text
