"""core.transitions: the one way to change state. The table refuses a move it does not list
and saves nothing; a predicate refuses an actor and saves nothing; an allowed move saves the
object and its record (who, when, from, to) in one transaction. Shown on the visitor groups'
workflow (coordination.services.VISITOR_GROUPS), whose rules are the simplest."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import override

from coordination.models import VisitorGroup
from coordination.services import VISITOR_GROUPS
from core.models import Transition
from core.transitions import Move, Workflow, signed_in, state_change, system
from tests.coordination.factories import VisitorGroupFactory
from tests.reports.data import user

pytestmark = pytest.mark.django_db

Status = VisitorGroup.Status


@pytest.fixture
def group(org_6aika):
    return VisitorGroupFactory(visit_starts=datetime.date(2026, 5, 5))


@pytest.fixture
def office(org_6aika):
    return user("strategy_office")


def test_a_move_the_table_does_not_list_is_refused_and_saves_nothing(group, office):
    with override("en"), pytest.raises(ValidationError) as error:
        state_change(obj=group, workflow=VISITOR_GROUPS, to=Status.HELD, by=office)
    assert error.value.message_dict == {
        "status": ["A visit cannot move from “Requested” to “Held”."]
    }
    assert group.status == Status.REQUESTED  # the object in hand too
    assert VisitorGroup.objects.get(pk=group.pk).status == Status.REQUESTED
    assert not group.transitions.exists()


def test_an_actor_the_move_does_not_allow_cannot_move(group):
    """A coordinator of another city than the visit's host city (Oulu)."""
    other = user("coordinator", city="turku")
    with override("en"), pytest.raises(PermissionDenied) as error:
        state_change(obj=group, workflow=VISITOR_GROUPS, to=Status.CONFIRMED, by=other)
    assert str(error.value) == "You may not move this from “Requested” to “Confirmed”."
    assert VisitorGroup.objects.get(pk=group.pk).status == Status.REQUESTED
    assert not group.transitions.exists()
    host = user("coordinator", city="oulu")
    state_change(obj=group, workflow=VISITOR_GROUPS, to=Status.CONFIRMED, by=host)
    assert VisitorGroup.objects.get(pk=group.pk).status == Status.CONFIRMED


def test_an_allowed_move_records_who_when_from_and_to(group, office):
    before = timezone.now()
    record = state_change(
        obj=group, workflow=VISITOR_GROUPS, to=Status.CONFIRMED, by=office, comment="Sovittu."
    )
    assert VisitorGroup.objects.get(pk=group.pk).status == Status.CONFIRMED
    stored = Transition.objects.get(pk=record.pk)
    assert stored.obj == group
    assert (stored.workflow, stored.name, stored.from_state, stored.to_state) == (
        "coordination.visitor_group",
        "confirm",
        "requested",
        "confirmed",
    )
    assert stored.by == office and stored.comment == "Sovittu."
    assert before <= stored.at <= timezone.now()
    with override("fi"):
        assert stored.get_from_state_display() == "Pyydetty"
        assert stored.get_to_state_display() == "Vahvistettu"
    assert list(group.transitions.all()) == [stored]


def test_the_move_and_its_record_are_saved_together_or_not_at_all(group, office, monkeypatch):
    def broken_create(**kwargs):
        raise DatabaseError("the disk is full")

    monkeypatch.setattr(Transition.objects, "create", broken_create)
    with pytest.raises(DatabaseError):
        state_change(obj=group, workflow=VISITOR_GROUPS, to=Status.CONFIRMED, by=office)
    assert group.status == Status.REQUESTED
    assert VisitorGroup.objects.get(pk=group.pk).status == Status.REQUESTED


def test_an_object_that_does_not_validate_in_its_new_state_is_not_moved(office):
    undated = VisitorGroupFactory()  # a confirmed visit needs its dates
    with pytest.raises(ValidationError):
        state_change(obj=undated, workflow=VISITOR_GROUPS, to=Status.CONFIRMED, by=office)
    assert VisitorGroup.objects.get(pk=undated.pk).status == Status.REQUESTED
    assert not undated.transitions.exists()


def test_predicates_for_the_system_and_for_signed_in_accounts(group, office):
    assert system(None, group) and not system(office, group)
    assert signed_in(office, group) and not signed_in(None, group)
    office.is_active = False
    assert not signed_in(office, group)


def test_a_table_naming_unknown_states_or_a_move_twice_is_refused_at_declaration():
    with pytest.raises(ValueError, match="no such states"):
        Workflow(
            "test.unknown",
            model=VisitorGroup,
            field="status",
            moves=[Move(Status.REQUESTED, "lost", "lose", system)],
        )
    twice = Move(Status.REQUESTED, Status.CONFIRMED, "confirm", system)
    with pytest.raises(ValueError, match="listed twice"):
        Workflow("test.twice", model=VisitorGroup, field="status", moves=[twice, twice])
    assert VISITOR_GROUPS.targets(Status.CONFIRMED) == (
        Status.HELD,
        Status.CANCELLED,
        Status.REQUESTED,
    )
