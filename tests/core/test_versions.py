"""The apps' data versions (core/versions.py) behind the pages kept in the cache."""

import pytest
from django.db import transaction

from core import versions
from governance.models import Organisation

pytestmark = pytest.mark.django_db


def test_a_save_changes_its_app_s_version_at_once_and_again_at_the_commit_once(
    org_6aika, django_capture_on_commit_callbacks
):
    before = versions.version("governance")
    other = versions.version("coordination")
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        Organisation.objects.create(name="Versiokoe Oy", kind="other")
        during = versions.version("governance")
        Organisation.objects.create(name="Versiokoe 2 Oy", kind="other")
        assert versions.version("governance") != during  # each save, at once
    after = versions.version("governance")
    assert len({before, during, after}) == 3
    assert versions.version("coordination") == other  # another app's pages stay kept
    # one new version at the commit for the transaction, not one per row
    assert len([c for c in callbacks if isinstance(c, versions._Bump)]) == 1


def test_a_many_to_many_change_changes_the_version(org_6aika):
    from tests.projects import factories

    project = factories.project()
    before = versions.version("projects")
    project.cities.clear()
    assert versions.version("projects") != before
