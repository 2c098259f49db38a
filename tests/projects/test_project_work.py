"""Actions, sub-actions and indicators edited by the strategy office on the project's own page
(issue 17): all of it saved or nothing, each bad value named at its field, an indicator with
reported values kept, and a stale save refused with both versions, as on the project form."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from projects import services
from projects.models import Action, Indicator, Project, StatusReportIndicatorValue

from . import factories
from .html_forms import form_values


def _actions(project: Project) -> list[tuple[str, list[str]]]:
    return [
        (a.title_fi, [s.title_fi for s in a.sub_actions.order_by("order")])
        for a in Action.objects.filter(project=project, parent__isnull=True).order_by("order")
    ]


def _indicators(project: Project) -> list[tuple]:
    return list(
        Indicator.objects.filter(project=project)
        .order_by("code")
        .values_list("code", "name_fi", "unit", "target", "achieved")
    )


@pytest.fixture
def project(demo_users):
    project = factories.project(name="Toimenpiteellinen", cities=("oulu", "turku"))
    services.project_actions_replace(project=project, actions=[("Kokeilut", ["Ensimmäinen"])])
    services.indicator_upsert(
        project=project, code="I1", name="Yritykset", unit="kpl", target=Decimal(10)
    )
    return project


def _open(client, project):
    page = client.get(reverse("projects:work", args=[project.pk]))
    assert page.status_code == 200
    return form_values(page.content.decode(), "work-form")


@pytest.mark.django_db
def test_office_edits_actions_sub_actions_and_indicators(project, client_as):
    office = client_as("toimisto")
    url = reverse("projects:work", args=[project.pk])
    data = _open(office, project)
    assert data["actions-0-title"] == ["Kokeilut"]
    assert data["actions-0-sub_actions"] == ["Ensimmäinen"]
    data["actions-0-sub_actions"] = ["Ensimmäinen\nToinen\n"]
    data["actions-1-title"] = ["Viestintä"]
    data["indicators-0-target"] = ["12,5"]
    data["indicators-1-code"] = ["I2"]
    data["indicators-1-name"] = ["Osallistujat"]
    data["indicators-1-unit"] = ["hlö"]
    data["indicators-1-target"] = ["200"]
    version = Project.objects.get(pk=project.pk).version
    response = office.post(url, data)
    assert response.status_code == 302, response.context["editor"].error_list()
    assert _actions(project) == [("Kokeilut", ["Ensimmäinen", "Toinen"]), ("Viestintä", [])]
    assert _indicators(project) == [
        ("I1", "Yritykset", "kpl", Decimal("12.50"), Decimal(0)),
        ("I2", "Osallistujat", "hlö", Decimal("200.00"), Decimal(0)),
    ]
    assert Project.objects.get(pk=project.pk).version == version + 1
    detail = office.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Toinen" in detail and "I2 Osallistujat" in detail
    assert reverse("projects:work", args=[project.pk]) in detail


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "anchor"),
    [
        ({"indicators-0-target": "-5"}, "id_indicators-0-target"),
        ({"indicators-0-code": ""}, "id_indicators-0-code"),
        ({"indicators-0-code": "x" * 31}, "id_indicators-0-code"),
        (
            {
                "indicators-1-code": "i1",
                "indicators-1-name": "Kaksoiskappale",
                "indicators-1-unit": "kpl",
                "indicators-1-target": "1",
            },
            "id_indicators-1-code",
        ),
        ({"actions-0-title": ""}, "id_actions-0-title"),
    ],
)
def test_bad_values_are_named_at_their_field_and_nothing_is_saved(
    project, client_as, changes, anchor
):
    office = client_as("toimisto")
    data = _open(office, project)
    data["actions-1-title"] = ["Uusi toimenpide"]
    for key, value in changes.items():
        data[key] = [value]
    before = (_actions(project), _indicators(project))
    response = office.post(reverse("projects:work", args=[project.pk]), data)
    assert response.status_code == 400
    assert f'href="#{anchor}"' in response.content.decode()
    assert (_actions(project), _indicators(project)) == before


@pytest.mark.django_db
def test_an_indicator_with_reported_values_is_not_removed(project, client_as, demo_users):
    indicator = Indicator.objects.get(project=project, code="I1")
    period = services.reporting_periods_generate(
        first_start=dt.date(2031, 1, 1), months=6, count=1
    )[0]
    report = services.status_report_start(
        project=project, period=period, by=demo_users["koordinaattori-oulu"]
    )
    StatusReportIndicatorValue.objects.create(report=report, indicator=indicator, achieved=3)
    office = client_as("toimisto")
    data = _open(office, project)
    data["indicators-0-DELETE"] = ["on"]
    data["actions-0-title"] = ["Muutettu"]
    before = (_actions(project), _indicators(project))
    response = office.post(reverse("projects:work", args=[project.pk]), data)
    assert response.status_code == 400
    assert "I1 Yritykset" in response.content.decode()
    assert (_actions(project), _indicators(project)) == before
    # renaming it is allowed, and the reported value stays with it
    data = _open(office, project)
    data["indicators-0-name"] = ["Yritykset (uusi nimi)"]
    assert office.post(reverse("projects:work", args=[project.pk]), data).status_code == 302
    assert StatusReportIndicatorValue.objects.get(report=report).indicator_id == indicator.pk


@pytest.mark.django_db
def test_codes_can_be_exchanged_and_an_unreported_indicator_removed(project, client_as):
    services.indicator_upsert(
        project=project, code="I2", name="Toinen", unit="kpl", target=Decimal(1)
    )
    services.indicator_upsert(
        project=project, code="I3", name="Kolmas", unit="kpl", target=Decimal(1)
    )
    office = client_as("toimisto")
    data = _open(office, project)
    data["indicators-0-code"], data["indicators-1-code"] = ["I2"], ["I1"]
    data["indicators-2-DELETE"] = ["on"]
    assert office.post(reverse("projects:work", args=[project.pk]), data).status_code == 302
    assert [(code, name) for code, name, *_rest in _indicators(project)] == [
        ("I1", "Toinen"),
        ("I2", "Yritykset"),
    ]


@pytest.mark.django_db
def test_a_stale_save_is_refused_with_both_versions(project, client_as):
    url = reverse("projects:work", args=[project.pk])
    first, second = client_as("toimisto"), client_as("toimisto")
    first_data, second_data = _open(first, project), _open(second, project)
    first_data["indicators-0-target"] = ["20"]
    assert first.post(url, first_data).status_code == 302
    second_data["actions-0-title"] = ["Toisen otsikko"]
    response = second.post(url, second_data)
    assert response.status_code == 409
    lines = {line.name: line for line in response.context["differences"]}
    assert "20" in lines["indicators"].saved and "10" in lines["indicators"].yours
    assert "Toisen otsikko" in lines["actions"].yours
    assert _actions(project) == [("Kokeilut", ["Ensimmäinen"])]
    assert _indicators(project)[0][3] == Decimal(20)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "status"),
    [("koordinaattori-oulu", 403), ("rahoittaja", 403), ("toimisto", 200)],
)
def test_only_the_office_edits_actions_and_indicators(project, client_as, username, status):
    client = client_as(username)
    url = reverse("projects:work", args=[project.pk])
    assert client.get(url).status_code == status
    if status == 403:
        data = {"version": project.version, "actions-TOTAL_FORMS": "0"}
        assert client.post(url, data).status_code == 403
        assert _actions(project) == [("Kokeilut", ["Ensimmäinen"])]


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in(project, client):
    response = client.get(reverse("projects:work", args=[project.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
