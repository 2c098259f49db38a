"""/api/v1/projects/: the portfolio as open data, its filters, and what it must never show."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import Indicator, Project, StatusReport

from . import factories
from .responses import text


def _list(api, **params):
    response = api.get(reverse("api:project-list"), params)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.django_db
def test_project_shows_funding_implementers_cities_and_accepted_indicators(api):
    project = factories.project(code="A70011")
    data = _list(api)
    assert data["count"] == 1
    p = data["results"][0]
    assert p["id"] == project.pk
    assert p["code"] == "A70011"
    assert p["url"] == f"http://testserver/api/v1/projects/{project.pk}/"
    assert p["name"] == {"fi": project.name_fi, "sv": None, "en": project.name_en}
    assert p["programme"]["slug"] == "api-6aika"
    assert p["theme"]["slug"] == "api-open-data"
    assert p["status"] == "running"
    assert (p["start_date"], p["end_date"]) == ("2024-01-01", "2026-12-31")
    assert (p["total_cost"], p["granted"], p["funding_rate"]) == ("100000.00", "70000.00", "0.7000")
    [grant] = p["grants"]
    assert grant["funder"]["name"] == "API Rahoittaja"
    assert (grant["instrument"], grant["amount"]) == ("EAKR", "70000.00")
    assert p["city_contributions"][0]["city"]["slug"] == "helsinki"
    assert [(i["organisation"]["name"], i["is_lead"]) for i in p["implementers"]] == [
        (f"Toteuttaja {project.name_en.split()[-1]}", True),
        (f"Kumppani {project.name_en.split()[-1]}", False),
    ]
    assert [c["slug"] for c in p["cities"]] == ["helsinki", "espoo"]
    visitors, companies = p["indicators"]
    # From the accepted 2025 H1 report, not the submitted 2025 H2 one (90 and 7).
    assert (visitors["code"], visitors["target"], visitors["achieved"]) == ("V1", "100.00", "40.00")
    assert visitors["achieved_period"] == "2025 H1"
    assert (companies["code"], companies["achieved"], companies["achieved_period"]) == (
        "Y1",
        None,
        None,
    )


@pytest.mark.django_db
def test_achieved_values_come_only_from_accepted_reports(api):
    project = factories.project()
    # The indicator row's own figure (e.g. typed in the admin) is not what the API publishes.
    Indicator.objects.filter(project=project, code="Y1").update(achieved=Decimal("999"))
    returned = StatusReport.objects.get(project=project, period__name="2025 H2")
    for state in (StatusReport.State.DRAFT, StatusReport.State.RETURNED, "resubmitted"):
        returned.state = state
        returned.save()
        indicators = _list(api)["results"][0]["indicators"]
        assert [i["achieved"] for i in indicators] == ["40.00", None], state
    returned.state = StatusReport.State.ACCEPTED
    returned.save()
    indicators = _list(api)["results"][0]["indicators"]
    assert [(i["achieved"], i["achieved_period"]) for i in indicators] == [
        ("90.00", "2025 H2"),
        ("7.00", "2025 H2"),
    ]


@pytest.mark.django_db
def test_no_status_narrative_risks_or_internal_notes(api):
    project = factories.project()
    for url in (
        reverse("api:project-list"),
        reverse("api:project-detail", args=[project.pk]),
        reverse("api:download", kwargs={"dataset": "projects", "fmt": "json"}),
        reverse("api:download", kwargs={"dataset": "projects", "fmt": "csv"}),
    ):
        body = text(api.get(url))
        assert project.name_fi in body, url
        for secret in (factories.SECRET_NARRATIVE, factories.SECRET_RISKS, "SISÄINEN-HUOMIO"):
            assert secret not in body, (url, secret)
        for private_key in ('"narrative"', '"risks"', '"completion_notes"', '"needs_completion"'):
            assert private_key not in body, (url, private_key)


@pytest.mark.django_db
def test_detail_and_links_between_resources(api):
    parent = factories.project()
    child = factories.project()
    child.parent = parent
    child.save()
    response = api.get(reverse("api:project-detail", args=[child.pk]))
    assert response.status_code == 200
    data = response.json()
    assert data["parent"] == f"http://testserver/api/v1/projects/{parent.pk}/"
    lead = data["implementers"][0]["organisation"]
    organisation = api.get(lead["url"]).json()
    assert organisation["name"] == lead["name"]
    assert organisation["city"]["slug"] == "helsinki"
    # The organisation links back to its projects as a filtered list.
    projects = api.get(organisation["projects"]).json()
    assert [p["id"] for p in projects["results"]] == [child.pk]
    assert api.get(reverse("api:project-detail", args=[10**9])).status_code == 404


@pytest.mark.django_db
def test_filters(api):
    tampere = factories.project(cities=("tampere", "turku"), instrument="ESR")
    closed = factories.project(
        status=Project.Status.CLOSED, start=dt.date(2018, 1, 1), end=dt.date(2020, 12, 31)
    )
    other = factories.project(programme_slug="api-other", theme_slug="api-competence")
    no_code = factories.project(code="")

    def ids(**params):
        return {p["id"] for p in _list(api, **params)["results"]}

    assert ids(city="tampere") == {tampere.pk}
    assert ids(city="helsinki") == {closed.pk, other.pk, no_code.pk}
    assert ids(instrument="ESR") == {tampere.pk}
    assert ids(programme="api-other") == {other.pk}
    assert ids(theme="api-competence") == {other.pk}
    assert ids(status="closed") == {closed.pk}
    assert ids(code=tampere.code) == {tampere.pk}
    # Period: projects whose period overlaps the range.
    assert ids(active_to="2020-06-30") == {closed.pk}
    assert ids(active_from="2021-01-01") == {tampere.pk, other.pk, no_code.pk}
    assert ids(active_from="2019-01-01", active_to="2019-12-31") == {closed.pk}
    assert ids(city="helsinki", status="running") == {other.pk, no_code.pk}
    assert _list(api, code="")["count"] == 4
    assert next(p for p in _list(api)["results"] if p["id"] == no_code.pk)["code"] is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"city": "atlantis"},
        {"programme": "nope"},
        {"instrument": "GOLD"},
        {"status": "sleeping"},
        {"active_from": "31.12.2024"},
        {"organisation": "abc"},
    ],
)
def test_bad_filter_values_are_refused_with_the_reason(api, params):
    factories.project()
    response = api.get(reverse("api:project-list"), params)
    assert response.status_code == 400
    assert list(response.json()) == list(params)


@pytest.mark.django_db
def test_pagination(api):
    made = [factories.project() for _ in range(3)]
    first = _list(api, page_size=2)
    assert first["count"] == 3
    assert [p["id"] for p in first["results"]] == [p.pk for p in made[:2]]  # by id
    second = api.get(first["next"]).json()
    assert [p["id"] for p in second["results"]] == [made[2].pk]
    assert second["next"] is None
    assert api.get(reverse("api:project-list"), {"page": 9}).status_code == 404


@pytest.mark.django_db
def test_list_rows_from_plain_values_equal_the_serializer(api):
    """The list builds its JSON from plain values (projects.api.rows); each project in it is
    exactly what the serializer gives on the detail, with every kind of value present."""
    parent = factories.project(code="A70011")
    child = factories.project(code="", cities=("tampere",), theme_slug="api-competence")
    child.parent = parent
    child.name_sv = "Barnprojekt"
    child.summary_en = "A child"
    child.save()
    no_theme = factories.project(status=Project.Status.CLOSED)
    Project.objects.filter(pk=no_theme.pk).update(theme=None, start_date=None)
    free = factories.project()
    Project.objects.filter(pk=free.pk).update(total_cost=0, granted=0)
    listed = _list(api, page_size=10)["results"]
    assert len(listed) == 4
    for item in listed:
        detail = api.get(reverse("api:project-detail", args=[item["id"]])).json()
        assert item == detail
    assert listed[1]["parent"] == listed[0]["url"]
    assert listed[2]["theme"] is None
    assert listed[3]["funding_rate"] is None


def _queries_for(api, django_assert_num_queries, url, expected):
    with django_assert_num_queries(expected):
        response = api.get(url)
    assert response.status_code == 200
    return response


# count, page, implementers, grants, city contributions, cities, indicators
PROJECT_LIST_QUERIES = 7
PROJECT_DETAIL_QUERIES = 6


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 6])
def test_project_queries_are_fixed(api, django_assert_num_queries, size):
    projects = [factories.project() for _ in range(size)]
    response = _queries_for(
        api, django_assert_num_queries, reverse("api:project-list"), PROJECT_LIST_QUERIES
    )
    assert response.json()["count"] == size
    _queries_for(
        api,
        django_assert_num_queries,
        reverse("api:project-detail", args=[projects[-1].pk]),
        PROJECT_DETAIL_QUERIES,
    )
    _queries_for(
        api,
        django_assert_num_queries,
        reverse("api:project-list") + "?city=helsinki&instrument=EAKR&active_from=2025-01-01",
        PROJECT_LIST_QUERIES + 1,  # the city named by its identifier is looked up once
    )
