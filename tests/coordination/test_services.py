"""Coordination writes: coordinators and their permission, seat turns, visitor status, clock."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from coordination import services
from coordination.models import CityCoordinator, RotatingSeatTurn, VisitorGroup
from governance.models import City, Person, Seat
from governance.permissions import coordinated_cities
from governance.roles import Role
from governance.services import user_role_grant

from .factories import PersonFactory, VisitorGroupFactory

pytestmark = pytest.mark.django_db


def _fresh(user):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=user.pk)


def _person_with_user(django_user_model, username):
    user = django_user_model.objects.create_user(username, password="x-unused-1234")
    person = PersonFactory()
    Person.objects.filter(pk=person.pk).update(user=user)
    person.refresh_from_db()
    return person, user


def test_assigning_a_coordinator_grants_and_ending_revokes_the_city(org_6aika, django_user_model):
    oulu = City.objects.get(slug="oulu")
    person, user = _person_with_user(django_user_model, "uusi")
    coordinator = services.city_coordinator_assign(
        city=oulu, person=person, since=datetime.date(2025, 1, 1)
    )
    assert list(coordinated_cities(_fresh(user))) == [oulu]
    services.city_coordinator_end(coordinator=coordinator, until=datetime.date(2025, 6, 30))
    user = _fresh(user)
    assert list(coordinated_cities(user)) == []
    assert not user.groups.filter(name="coordinator").exists()
    assert list(get_objects_for_user(user, "governance.coordinate_city", klass=City)) == []


def test_a_new_coordinator_ends_the_previous_term_the_day_before(org_6aika, django_user_model):
    oulu = City.objects.get(slug="oulu")
    old, old_user = _person_with_user(django_user_model, "vanha")
    new, new_user = _person_with_user(django_user_model, "uusi")
    first = services.city_coordinator_assign(city=oulu, person=old, since=datetime.date(2024, 1, 1))
    services.city_coordinator_assign(city=oulu, person=new, since=datetime.date(2025, 3, 1))
    first.refresh_from_db()
    assert first.until == datetime.date(2025, 2, 28)
    assert list(coordinated_cities(_fresh(old_user))) == []
    assert list(coordinated_cities(_fresh(new_user))) == [oulu]
    assert CityCoordinator.objects.filter(city=oulu, until__isnull=True).get().person == new


def test_coordinator_keeps_group_while_coordinating_another_city(org_6aika, django_user_model):
    person, user = _person_with_user(django_user_model, "kaksi")
    oulu, turku = City.objects.get(slug="oulu"), City.objects.get(slug="turku")
    first = services.city_coordinator_assign(
        city=oulu, person=person, since=datetime.date(2025, 1, 1)
    )
    services.city_coordinator_assign(city=turku, person=person, since=datetime.date(2025, 1, 1))
    services.city_coordinator_end(coordinator=first, until=datetime.date(2025, 2, 1))
    user = _fresh(user)
    assert list(coordinated_cities(user)) == [turku]


def test_coordinator_terms_cannot_start_or_end_in_the_future(org_6aika):
    oulu = City.objects.get(slug="oulu")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.city_coordinator_assign(city=oulu, person=PersonFactory(), since=tomorrow)
    assert "since" in error.value.message_dict
    coordinator = services.city_coordinator_assign(
        city=oulu, person=PersonFactory(), since=datetime.date(2025, 1, 1)
    )
    with pytest.raises(ValidationError):
        services.city_coordinator_end(coordinator=coordinator, until=tomorrow)
    with pytest.raises(ValidationError):
        services.city_coordinator_end(coordinator=coordinator, until=datetime.date(2024, 1, 1))
    coordinator.refresh_from_db()
    assert coordinator.until is None


def test_new_term_must_start_after_the_current_one(org_6aika):
    oulu = City.objects.get(slug="oulu")
    services.city_coordinator_assign(
        city=oulu, person=PersonFactory(), since=datetime.date(2025, 5, 1)
    )
    with pytest.raises(ValidationError):
        services.city_coordinator_assign(
            city=oulu, person=PersonFactory(), since=datetime.date(2025, 5, 1)
        )
    assert CityCoordinator.objects.filter(city=oulu).count() == 1


def test_seat_turns_may_not_overlap_and_only_rotating_seats_turn(org_6aika):
    seat = Seat.objects.get(is_rotating=True)
    tampere, turku = City.objects.get(slug="tampere"), City.objects.get(slug="turku")
    services.rotating_seat_turn_add(
        seat=seat,
        city=tampere,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    with pytest.raises(ValidationError) as error:
        services.rotating_seat_turn_add(seat=seat, city=turku, starts_on=datetime.date(2026, 6, 1))
    assert "starts_on" in error.value.message_dict
    fixed = Seat.objects.filter(is_rotating=False).first()
    with pytest.raises(ValidationError) as error:
        services.rotating_seat_turn_add(seat=fixed, city=turku, starts_on=datetime.date(2027, 1, 1))
    assert "seat" in error.value.message_dict
    services.rotating_seat_turn_add(seat=seat, city=turku, starts_on=datetime.date(2027, 1, 1))
    assert RotatingSeatTurn.objects.count() == 2


def test_visitor_group_moves_only_along_allowed_transitions(org_6aika, django_user_model):
    user = django_user_model.objects.create_user("toimija", password="x-unused-1234")
    user_role_grant(user=user, role=Role.STRATEGY_OFFICE)  # who may move visits
    group = VisitorGroupFactory()
    with pytest.raises(ValidationError):
        services.visitor_group_status_set(group=group, status="held", by=user)
    with pytest.raises(ValidationError):  # a confirmed visit has dates
        services.visitor_group_status_set(group=group, status="confirmed", by=user)
    group.visit_starts = datetime.date(2026, 5, 5)
    group.save()
    group = services.visitor_group_status_set(group=group, status="confirmed", by=user)
    assert group.status_changed_by == user and group.status_changed_at is not None
    with pytest.raises(ValidationError):
        services.visitor_group_report_save(group=group, report="Hyvä käynti.")
    group = services.visitor_group_status_set(group=group, status="held", by=user)
    group = services.visitor_group_report_save(group=group, report="Hyvä käynti.")
    assert VisitorGroup.objects.get(pk=group.pk).report == "Hyvä käynti."
    with pytest.raises(ValidationError):
        services.visitor_group_status_set(group=group, status="cancelled", by=user)


def test_coordinator_writes_only_entries_of_their_city(org_6aika):
    oulu, turku = City.objects.get(slug="oulu"), City.objects.get(slug="turku")
    data = {
        "name": "Ryhmä",
        "origin": "national",
        "country": "Suomi",
        "requested_on": datetime.date(2026, 1, 1),
        "topics": "Data",
        "host_cities": [turku],
    }
    with pytest.raises(ValidationError):
        services.visitor_group_save(group=None, data=data, allowed_cities=frozenset({oulu.pk}))
    assert not VisitorGroup.objects.exists()
    group = services.visitor_group_save(
        group=None, data={**data, "host_cities": [turku, oulu]}, allowed_cities=frozenset({oulu.pk})
    )
    assert set(group.host_cities.all()) == {oulu, turku}


def test_each_move_of_a_visit_is_recorded_and_only_its_hosts_move_it(org_6aika):
    from core.models import Transition
    from tests.reports.data import user

    group = VisitorGroupFactory(visit_starts=datetime.date(2026, 5, 5))  # hosted by Oulu
    host, other = user("coordinator", city="oulu"), user("coordinator", city="turku")
    with pytest.raises(PermissionDenied):
        services.visitor_group_status_set(group=group, status="confirmed", by=other)
    assert VisitorGroup.objects.get(pk=group.pk).status == "requested"
    services.visitor_group_status_set(group=group, status="confirmed", by=host)
    services.visitor_group_status_set(group=group, status="held", by=host)
    rows = Transition.objects.filter(object_id=group.pk, workflow="coordination.visitor_group")
    assert [(t.from_state, t.to_state, t.by, t.at is not None) for t in rows] == [
        ("requested", "confirmed", host, True),
        ("confirmed", "held", host, True),
    ]
