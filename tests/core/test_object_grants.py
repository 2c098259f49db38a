"""The guardian grants the access object reads by prepared queries (core/access.py ObjectGrants,
issue 19): guardian's answer for every account, one query, and a grant given or taken shows on
the next request (nothing about them is kept between requests)."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from core.access import access_of
from core.prepared import Prepared
from governance.models import City
from governance.permissions import _COORDINATE_CITY, coordinated_cities, coordinated_city_ids
from projects import services
from projects.models import Project
from projects.permissions import _REPORT_PROJECT, contact_project_ids
from tests.projects import factories


def _guardian(user, perm, model) -> frozenset[int]:
    found = get_objects_for_user(user, perm, klass=model, accept_global_perms=False)
    return frozenset(found.values_list("pk", flat=True))


@pytest.mark.django_db
def test_the_grants_are_guardians_for_every_account_direct_by_group_and_superuser(
    demo_users, django_user_model
):
    project = factories.project(name="Ryhmän hanke", cities=("tampere",))
    group = Group.objects.create(name="grant-group")
    assign_perm("projects.report_project", group, project)
    assign_perm("governance.coordinate_city", group, City.objects.get(slug="oulu"))
    member = django_user_model.objects.create_user("ryhmassa", password="x-unused-1234")
    member.groups.add(group)
    django_user_model.objects.create_superuser("grants-super", password="x-unused-1234")
    granted = 0
    for user in django_user_model.objects.all():
        cities = _guardian(user, "governance.coordinate_city", City)
        projects = _guardian(user, "projects.report_project", Project)
        assert _COORDINATE_CITY.ids(user) == cities, user
        assert _REPORT_PROJECT.ids(user) == projects, user
        granted += bool(cities) + bool(projects)
    assert granted >= 5  # the demo coordinators, the group's member (2), the superuser (2)
    assert _REPORT_PROJECT.ids(member) == {project.pk}
    with CaptureQueriesContext(connection) as queries:
        _COORDINATE_CITY.ids(demo_users["koordinaattori-helsinki"])
    assert len(queries) == 1


@pytest.mark.django_db
def test_an_anonymous_or_deactivated_account_holds_no_grant(demo_users, client):
    from django.contrib.auth.models import AnonymousUser

    coordinator = demo_users["koordinaattori-helsinki"]
    assert _COORDINATE_CITY.ids(coordinator)
    coordinator.is_active = False
    with CaptureQueriesContext(connection) as queries:
        assert _COORDINATE_CITY.ids(coordinator) == frozenset()
        assert _REPORT_PROJECT.ids(AnonymousUser()) == frozenset()
    assert len(queries) == 0


@pytest.mark.django_db
def test_a_grant_given_or_taken_shows_on_the_next_request(demo_users, client_as):
    """The edit page of a Helsinki report: the coordinator's grant on Helsinki taken away, the
    next request is refused; given back, the one after that is answered."""
    project = factories.project(name="Oikeuksien hanke", cities=("helsinki",))
    period = services.reporting_periods_generate(
        first_start=dt.date(2030, 1, 1), months=6, count=1
    )[0]
    coordinator = demo_users["koordinaattori-helsinki"]
    report = services.status_report_start(project=project, period=period, by=coordinator)
    helsinki = City.objects.get(slug="helsinki")
    client = client_as("koordinaattori-helsinki")
    url = reverse("projects:report_edit", args=[report.pk])
    assert client.get(url).status_code == 200
    cities = client.get(reverse("home")).context["coordinated_cities"]
    assert [(city.pk, city.name) for city in cities] == [(helsinki.pk, helsinki.name)]

    remove_perm("governance.coordinate_city", coordinator, helsinki)
    assert client.get(url).status_code == 403
    assert client.get(reverse("home")).context["coordinated_cities"] == []

    assign_perm("projects.report_project", coordinator, project)  # now its contact person
    assert client.get(url).status_code == 200
    remove_perm("projects.report_project", coordinator, project)
    assert client.get(url).status_code == 403

    assign_perm("governance.coordinate_city", coordinator, helsinki)
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_one_user_never_gets_anothers_grants(demo_users):
    """The access object is the user's own: two coordinators asked in turn get their own
    cities (the prepared query holds no user's value between calls)."""
    helsinki, tampere = demo_users["koordinaattori-helsinki"], demo_users["koordinaattori-tampere"]
    first, second = coordinated_city_ids(helsinki), coordinated_city_ids(tampere)
    assert first and second and not first & second
    assert access_of(helsinki) is not access_of(tampere)
    assert set(coordinated_cities(tampere).values_list("pk", flat=True)) == second
    assert contact_project_ids(helsinki) == _guardian(helsinki, "projects.report_project", Project)


@pytest.mark.django_db
def test_a_prepared_querys_constants_are_named_and_only_those_are_accepted():
    named = Prepared(
        lambda value, columns: Group.objects.filter(pk=value, name="x").values_list(*columns),
        "pk",
        constants=("x",),
    )
    group = Group.objects.create(name="x")
    assert named.rows(group.pk) == [(group.pk,)]
    assert named.rows(group.pk + 1000) == []
    other = Prepared(
        lambda value, columns: Group.objects.filter(pk=value, name="y").values_list(*columns),
        "pk",
        constants=("x",),
    )
    with pytest.raises(ValueError, match="every parameter"):
        other.rows(group.pk)
