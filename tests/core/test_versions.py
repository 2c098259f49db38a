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


def test_the_audit_trail_s_row_asks_for_no_version_of_its_own(org_6aika, monkeypatch):
    """A save of an audited model writes its historical row too: the record's save changes the
    version at once (and again at the commit), the row itself asks Redis for nothing more."""
    from django.db import connection

    from governance.models import City
    from projects.models import CityContribution
    from tests.projects import factories

    project = factories.project(cities=("tampere",))
    bumps = []
    real = versions._Bump.__call__
    monkeypatch.setattr(versions._Bump, "__call__", lambda self: (bumps.append(1), real(self)))
    before = versions.version("projects")
    with transaction.atomic():
        contribution = CityContribution.objects.create(
            project=project, city=City.objects.get(slug="tampere"), amount=1000
        )
        assert contribution.history.count() == 1
        assert versions.version("projects") != before
    assert len(bumps) == 1  # the record's save, not its historical row's
    pending = [c for _s, c, _r in connection.run_on_commit if isinstance(c, versions._Bump)]
    assert any("projects" in bump.labels for bump in pending)  # and again at the commit
