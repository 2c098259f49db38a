"""The project form enforces the programme's two-city rule; imports flag instead (test_imports)."""

import pytest
from django.urls import reverse

from governance.models import Organisation
from projects import services
from projects.models import Project

from . import factories
from .html_forms import form_values


def form_data(lead, partners, programme_slug="6aika", **extra):
    programmes = services.programmes_ensure()
    data = {
        "name_fi": "Lomakkeella tehty hanke",
        "programme": programmes[programme_slug].pk,
        "lead": Organisation.objects.get(name=lead).pk,
        "partners": [Organisation.objects.get(name=p).pk for p in partners],
        "start_date": "1.1.2025",
        "end_date": "31.12.2026",
        "total_cost": "200 000",
    }
    data.update(extra)
    return data


@pytest.mark.django_db
def test_6aika_project_from_one_city_is_refused_with_a_reason(client_as):
    office = client_as("toimisto")
    data = form_data("Tampereen kaupunki", ["Business Tampere Oy"])
    response = office.post(reverse("projects:create"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "vähintään kahdesta" in html or "at least two of the six cities" in html
    assert not Project.objects.filter(name_fi="Lomakkeella tehty hanke").exists()


@pytest.mark.django_db
def test_6aika_project_from_two_cities_is_saved(client_as):
    office = client_as("toimisto")
    data = form_data("Tampereen kaupunki", ["Turun kaupunki"])
    response = office.post(reverse("projects:create"), data)
    assert response.status_code == 302
    project = Project.objects.get(name_fi="Lomakkeella tehty hanke")
    assert sorted(c.slug for c in project.cities.all()) == ["tampere", "turku"]
    assert project.total_cost == 200000 and not project.needs_completion


@pytest.mark.django_db
def test_other_programme_may_have_one_city(client_as):
    office = client_as("toimisto")
    data = form_data("Business Tampere Oy", [], programme_slug="other")
    assert office.post(reverse("projects:create"), data).status_code == 302


@pytest.mark.django_db
def test_bad_dates_and_amount_are_explained(client_as):
    office = client_as("toimisto")
    data = form_data(
        "Tampereen kaupunki", ["Turun kaupunki"], end_date="31.12.2020", total_cost="-5"
    )
    response = office.post(reverse("projects:create"), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"end_date", "total_cost"}
    assert not Project.objects.filter(name_fi="Lomakkeella tehty hanke").exists()


@pytest.mark.django_db
def test_flagged_list_for_the_office(client_as):
    response = client_as("toimisto").get(reverse("projects:flagged"))
    names = [p.name_fi for p in response.context["projects"]]
    assert names == ["Demo – Avoin osallisuus (vanha tieto)"]
    assert client_as("koordinaattori-oulu").get(reverse("projects:flagged")).status_code == 403


@pytest.mark.django_db
def test_editing_a_project_keeps_what_the_edit_does_not_change(client_as):
    project = factories.full_project()
    before = factories.project_state(project)
    office = client_as("toimisto")
    url = reverse("projects:edit", args=[project.pk])
    data = form_values(office.get(url).content.decode(), "project-form")
    data["name_en"] = ["Full project, renamed"]
    response = office.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    after = factories.project_state(project)
    assert after.pop("name_en") == "Full project, renamed"
    before.pop("name_en")
    assert after == before
