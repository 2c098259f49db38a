"""Two people editing the same project (issue 17): the later save of a stale form is refused
with both versions shown field by field, and nothing is overwritten; as for status reports
(the same ``services.ChangedMeanwhile``)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from projects import services
from projects.models import Project

from . import factories
from .html_forms import form_values


def _open(client, project: Project) -> dict[str, list[str]]:
    url = reverse("projects:edit", args=[project.pk])
    return form_values(client.get(url).content.decode(), "project-form")


@pytest.mark.django_db
def test_the_later_of_two_editors_is_refused_and_shown_both_versions(client_as):
    project = factories.full_project()
    url = reverse("projects:edit", args=[project.pk])
    first, second = client_as("toimisto"), client_as("toimisto")
    first_form, second_form = _open(first, project), _open(second, project)
    assert first_form["version"] == [str(project.version)]

    first_form["name_en"] = ["Renamed by the first"]
    first_form["total_cost"] = ["510 000"]
    assert first.post(url, first_form).status_code == 302
    saved = factories.project_state(project)

    second_form["name_en"] = ["Renamed by the second"]
    second_form["contributions-0-DELETE"] = ["on"]
    response = second.post(url, second_form)

    assert response.status_code == 409
    assert factories.project_state(project) == saved  # nothing of the second was written
    page = response.content.decode()
    assert 'id="conflict"' in page
    lines = {line.name: line for line in response.context["differences"]}
    assert lines["name_en"].saved == "Renamed by the first"
    assert lines["name_en"].yours == "Renamed by the second"
    assert lines["total_cost"].saved == "510000"
    assert lines["total_cost"].yours == "500000"
    assert lines["contributions"].differs
    assert not lines["name_fi"].differs
    # the second editor's typing is kept in the form, now on the stored version
    form = response.context["form"]
    assert form["name_en"].value() == "Renamed by the second"
    assert form["version"].value() == str(Project.objects.get(pk=project.pk).version)

    # Saving again after seeing both is a deliberate choice, and it is taken.
    again = form_values(page, "project-form")
    assert second.post(url, again).status_code == 302
    assert Project.objects.get(pk=project.pk).name_en == "Renamed by the second"


@pytest.mark.django_db
def test_saves_raise_the_version_and_an_unchanged_form_still_saves(client_as):
    project = factories.full_project()
    office = client_as("toimisto")
    url = reverse("projects:edit", args=[project.pk])
    before = Project.objects.get(pk=project.pk).version
    assert office.post(url, _open(office, project)).status_code == 302
    assert office.post(url, _open(office, project)).status_code == 302
    assert Project.objects.get(pk=project.pk).version == before + 2


@pytest.mark.django_db
def test_a_form_without_its_version_is_refused_once_the_project_changed(client_as):
    project = factories.full_project()
    office = client_as("toimisto")
    url = reverse("projects:edit", args=[project.pk])
    data = _open(office, project)
    assert office.post(url, data).status_code == 302  # version 1 -> 2
    data.pop("version")
    data["name_en"] = ["Without a version"]
    assert office.post(url, data).status_code == 409
    assert Project.objects.get(pk=project.pk).name_en != "Without a version"


@pytest.mark.django_db
def test_an_import_changing_the_project_makes_an_open_form_stale(client_as):
    project = factories.full_project()
    office = client_as("toimisto")
    url = reverse("projects:edit", args=[project.pk])
    data = _open(office, project)
    services.project_upsert(
        spec=services.ProjectSpec(
            name_fi=project.name_fi, programme=project.programme, total_cost=Decimal(600000)
        ),
        project=project,
        enforce_programme_rule=False,
    )
    data["name_en"] = ["Stale"]
    assert office.post(url, data).status_code == 409
    assert Project.objects.get(pk=project.pk).total_cost == Decimal(600000)


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_one_wins_the_other_is_told(demo_users):
    """From two threads with their own connections: the row lock orders them, and the second
    sees the first's version."""
    project = factories.full_project()
    started_from = Project.objects.get(pk=project.pk).version
    barrier = threading.Barrier(2)
    outcome: dict[str, object] = {}

    def save(name: str) -> None:
        try:
            spec = services.ProjectSpec(
                name_fi=project.name_fi,
                programme=project.programme,
                name_en=f"Saved by {name}",
            )
            barrier.wait(timeout=10)
            saved = services.project_upsert(
                spec=spec,
                project=Project.objects.get(pk=project.pk),
                expected_version=started_from,
            )
            outcome[name] = saved.version
        except services.ChangedMeanwhile as changed:
            outcome[name] = changed
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(n,)) for n in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    winners = [n for n, r in outcome.items() if isinstance(r, int)]
    losers = [n for n, r in outcome.items() if isinstance(r, services.ChangedMeanwhile)]
    assert len(winners) == 1 and len(losers) == 1, outcome
    stored = Project.objects.get(pk=project.pk)
    assert stored.version == started_from + 1
    assert stored.name_en == f"Saved by {winners[0]}"
