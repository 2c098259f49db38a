"""project_upsert changes only what its spec gives: an edit or a re-import never wipes the rest."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from projects import services
from projects.models import Project

from . import factories


@pytest.mark.django_db
def test_a_spec_with_only_the_name_changes_only_the_name(org_6aika):
    project = factories.full_project()
    before = factories.project_state(project)
    services.project_upsert(
        spec=services.ProjectSpec(name_fi="Täysi hanke", programme=project.programme),
        project=project,
    )
    assert factories.project_state(project) == before


@pytest.mark.django_db
def test_new_partners_keep_the_budgets_stored_for_them(org_6aika):
    project = factories.full_project()
    vantaa = factories.org("Vantaan kaupunki", "vantaa")
    espoo = factories.org("Espoon kaupunki", "espoo")
    services.project_upsert(
        spec=services.ProjectSpec(
            name_fi="Täysi hanke",
            programme=project.programme,
            partners=[(espoo, services.UNSET), (vantaa, Decimal("5000"))],
        ),
        project=project,
    )
    after = factories.project_state(project)
    assert after["implementers"] == [
        ("Espoon kaupunki", False, Decimal("200000.00")),
        ("Helsingin kaupunki", True, Decimal("300000.00")),
        ("Vantaan kaupunki", False, Decimal("5000.00")),
    ]
    # the declared Oulu stays; Vantaa comes with its implementer
    assert after["cities"] == ["espoo", "helsinki", "oulu", "vantaa"]


@pytest.mark.django_db
def test_given_empty_values_do_clear(org_6aika):
    project = factories.full_project()
    services.project_upsert(
        spec=services.ProjectSpec(
            name_fi="Täysi hanke",
            programme=project.programme,
            parent=None,
            target_groups=[],
            contributions=[],
            declared_cities=[],
            status=None,
        ),
        project=project,
    )
    after = factories.project_state(project)
    assert after["parent"] is None and after["target_groups"] == [] == after["contributions"]
    assert after["cities"] == ["espoo", "helsinki"]
    assert after["status"] == services.status_from_dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31))


@pytest.mark.django_db
def test_a_project_cannot_become_its_own_ancestor(org_6aika):
    project = factories.full_project()
    parent = project.parent
    with pytest.raises(ValidationError) as caught:
        services.project_upsert(
            spec=services.ProjectSpec(
                name_fi=parent.name_fi, programme=parent.programme, parent=project
            ),
            project=parent,
        )
    assert "parent" in caught.value.message_dict
    assert Project.objects.get(pk=parent.pk).parent is None
