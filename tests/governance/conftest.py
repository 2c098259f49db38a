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


@pytest.fixture
def chair_user(demo_users):
    return demo_users["johtoryhma-pj"]


@pytest.fixture
def seats(board):
    return voting_seats(board)


__all__ = ["Seat", "attend", "person", "voting_seats"]
