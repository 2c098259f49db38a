"""Meetings and minutes change state only along their tables (governance.services MEETINGS,
MINUTES), each move recorded with who and when; who may not move them cannot."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from governance import services
from governance.models import Meeting, Minutes

from .conftest import attend, check_minutes, person


def _moves(obj):
    return [(t.name, t.from_state, t.to_state, t.by) for t in obj.transitions.all()]


@pytest.fixture
def decided(past_meeting, seats, chair_user, office):
    attend(past_meeting, seats, office)
    for item in past_meeting.items.all():
        services.decision_record(item=item, outcome="approved", text="x", by=chair_user)
    return past_meeting


def test_the_meeting_and_its_minutes_record_each_move(decided, chair_user, office):
    before = timezone.now()
    minutes = services.minutes_draft(meeting=decided, by=office)
    minutes = check_minutes(minutes, office)
    checker = decided.minutes_checkers.order_by("-checked_at").first().person.user  # 2nd check
    minutes = services.minutes_sign(minutes=minutes, by=chair_user)
    minutes = services.minutes_approve(minutes=minutes, by=office)
    meeting = Meeting.objects.get(pk=decided.pk)
    assert _moves(meeting) == [
        ("hold", "planned", "held", chair_user),  # the first decision
        ("approve_minutes", "held", "minutes_approved", office),
    ]
    assert _moves(minutes) == [
        ("check", "draft", "checked", checker),
        ("sign", "checked", "signed", chair_user),
        ("approve", "signed", "approved", office),
    ]
    assert all(before <= t.at <= timezone.now() for t in minutes.transitions.all())
    # the fields the pages already show agree with the record
    assert minutes.approved_by == minutes.transitions.last().by
    assert meeting.status_changed_by == office


def test_a_move_outside_the_table_saves_nothing(decided, office):
    minutes = services.minutes_draft(meeting=decided, by=office)
    with pytest.raises(ValidationError):
        services.minutes_approve(minutes=minutes, by=office)  # not checked yet
    minutes.refresh_from_db()
    assert minutes.state == Minutes.State.DRAFT and minutes.approved_by is None
    assert not minutes.transitions.exists()
    assert Meeting.objects.get(pk=decided.pk).status == Meeting.Status.HELD


def test_only_the_checkers_check_only_the_chair_signs_only_the_office_approves(
    decided, office, chair_user, demo_users
):
    member = demo_users["johtoryhma"]  # Kimmo Viljamaa, present, not chosen as a checker
    minutes = services.minutes_draft(meeting=decided, by=office)
    services.minutes_checkers_choose(
        meeting=decided, people=[person("Pekka", "Sundman"), person("Tiina", "Huotari")], by=office
    )
    for not_a_checker in (member, office, chair_user):
        with pytest.raises(PermissionDenied):
            services.minutes_check(minutes=minutes, by=not_a_checker)
    minutes = services.minutes_check(minutes=minutes, by=demo_users["johtoryhma-vpj"])
    minutes.refresh_from_db()
    # One of the two has checked: still a draft, and nobody may sign yet.
    assert minutes.state == Minutes.State.DRAFT and minutes.checked_by is None
    with pytest.raises(ValidationError):
        services.minutes_sign(minutes=minutes, by=chair_user)
    minutes = services.minutes_check(minutes=minutes, by=demo_users["johtoryhma-huotari"])
    assert minutes.state == Minutes.State.CHECKED
    for not_the_chair in (member, office, demo_users["johtoryhma-vpj"]):
        with pytest.raises(PermissionDenied):
            services.minutes_sign(minutes=minutes, by=not_the_chair)
    with pytest.raises(ValidationError):
        services.minutes_approve(minutes=minutes, by=office)  # not signed yet
    minutes = services.minutes_sign(minutes=minutes, by=chair_user)
    assert minutes.signed_by == person("Tuula", "Antola")
    for not_the_office in (member, chair_user):
        with pytest.raises(PermissionDenied):
            services.minutes_approve(minutes=minutes, by=not_the_office)
    minutes.refresh_from_db()
    assert [t.to_state for t in minutes.transitions.all()] == ["checked", "signed"]
    assert Meeting.objects.get(pk=decided.pk).status == Meeting.Status.HELD
    assert services.minutes_approve(minutes=minutes, by=office).is_locked
