"""/api/v1/cities/, /programmes/, /themes/: the identifiers the project filters take, linked
both ways with the projects."""

import pytest
from django.urls import reverse

from . import factories


@pytest.mark.django_db
def test_project_links_to_its_programme_theme_and_cities_and_back(api):
    project = factories.project(cities=("turku", "oulu"))
    data = api.get(reverse("api:project-detail", args=[project.pk])).json()
    for link, parameter in (
        (data["programme"]["url"], "programme"),
        (data["theme"]["url"], "theme"),
        (data["cities"][0]["url"], "city"),
    ):
        resource = api.get(link)
        assert resource.status_code == 200, link
        resource = resource.json()
        assert resource["projects"].endswith(f"?{parameter}={resource['slug']}")
        listed = api.get(resource["projects"]).json()
        assert [p["id"] for p in listed["results"]] == [project.pk], link


@pytest.mark.django_db
def test_reference_lists(api):
    factories.project(programme_slug="api-other", theme_slug="api-competence")
    cities = api.get(reverse("api:city-list")).json()
    assert [c["slug"] for c in cities["results"]] == [
        "helsinki",
        "espoo",
        "vantaa",
        "tampere",
        "turku",
        "oulu",
    ]
    assert cities["results"][3]["name"]["fi"] == "Tampere"
    programmes = api.get(reverse("api:programme-list")).json()
    assert "api-other" in [p["slug"] for p in programmes["results"]]
    themes = api.get(reverse("api:theme-list")).json()
    assert "api-competence" in [t["slug"] for t in themes["results"]]
    assert api.get(reverse("api:city-detail", args=["atlantis"])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 5])
def test_reference_queries_are_fixed(api, django_assert_num_queries, size):
    for n in range(size):
        factories.project(programme_slug=f"api-p{n}", theme_slug=f"api-t{n}")
    for name in ("api:city-list", "api:programme-list", "api:theme-list"):
        with django_assert_num_queries(2):  # count, page
            assert api.get(reverse(name)).status_code == 200
    with django_assert_num_queries(1):
        assert api.get(reverse("api:programme-detail", args=["api-p0"])).status_code == 200
