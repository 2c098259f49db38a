"""Governance fixtures: a board meeting on the real 6Aika board, built through the services."""

from datetime import timedelta

import pytest
from django.utils import timezone

from governance import services
from governance.models import VOTING_ROLES, Body, Person, Seat


@pytest.fixture
def board(org_6aika):
    return Body.objects.get(kind="board")


@pytest.fixture
def office(demo_users):
    return demo_users["toimisto"]


def voting_seats(body):
    return list(body.seats.filter(role__in=VOTING_ROLES).select_related("member", "deputy"))


def person(first, last):
    return Person.objects.get(first_name=first, last_name=last)


@pytest.fixture
def past_meeting(board, office):
    """A board meeting that started an hour ago, with three items and no attendance yet."""
    meeting = services.meeting_create(
        body=board,
        starts_at=timezone.now() - timedelta(hours=1),
        place="Espoon kaupungintalo",
        online_link="https://example.org/teams/johtoryhma",
        by=office,
    )
    presenter = person("Mika", "Perttunen")
    for title in ("Kokouksen avaus", "Hankerahoitus: Älykäs satama", "Hankerahoitus: Datasilta"):
        services.agenda_item_add(
            meeting=meeting,
            title=title,
            draft_decision=f"Johtoryhmä päättää asiasta {title}.",
            presenter=presenter,
            by=office,
        )
    return meeting


def attend(meeting, seats, by, deputy_for=()):
    """Record the members of ``seats`` present, deputies in the seats listed in ``deputy_for``."""
    for seat in seats:
        who = seat.deputy if seat in deputy_for else seat.member
        services.attendance_record(meeting=meeting, seat=seat, person=who, by=by)


def check_minutes(minutes, office):
    """The meeting's two checkers: members present (with accounts, not the chair), chosen by
    the office as secretary unless the meeting chose them already; both check."""
    from django.contrib.auth import get_user_model

    from governance.models import VOTING_ROLES, MinutesChecker
    from governance.selectors import meeting_chair

    chosen = [c.person for c in MinutesChecker.objects.filter(meeting_id=minutes.meeting_id)]
    checkers = chosen or list(
        Person.objects.filter(
            attendances__meeting=minutes.meeting,
            attendances__present=True,
            attendances__seat__role__in=VOTING_ROLES,
        )
        .exclude(pk=meeting_chair(minutes.meeting))
        .distinct()
        .order_by("user", "last_name")[:2]  # those with accounts first
    )
    for checker in checkers:
        if checker.user_id is None:
            checker.user = get_user_model().objects.create_user(f"checker-{checker.pk}")
            checker.save(update_fields=["user"])
    if not chosen:
        services.minutes_checkers_choose(meeting=minutes.meeting, people=checkers, by=office)
    for checker in checkers:
        minutes = services.minutes_check(minutes=minutes, by=checker.user)
    return minutes


def sign_minutes(minutes):
    """The meeting's chair signs the checked minutes."""
    from governance.selectors import meeting_chair

    chair = Person.objects.get(pk=meeting_chair(minutes.meeting)).user
    return services.minutes_sign(minutes=minutes, by=chair)


def approve_minutes(minutes, office):
    """Draft minutes through the checkers, the chair's signature and the office's approval."""
    minutes = sign_minutes(check_minutes(minutes, office))
    return services.minutes_approve(minutes=minutes, by=office)


@pytest.fixture
def chair_user(demo_users):
    return demo_users["johtoryhma-pj"]


@pytest.fixture
def seats(board):
    return voting_seats(board)


__all__ = [
    "Seat",
    "approve_minutes",
    "attend",
    "check_minutes",
    "person",
    "sign_minutes",
    "voting_seats",
]
