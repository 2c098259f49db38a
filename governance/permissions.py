"""Access decisions for governance, in one place.

Views and other apps ask these functions; no view decides access by itself.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from modeltranslation.settings import AVAILABLE_LANGUAGES
from modeltranslation.utils import build_localized_fieldname

from core.access import Access, AnyUser, Fact, ObjectGrants, access_of
from core.prepared import Prepared

from .models import AgendaItem, Body, City, Decision, Meeting, Minutes, Person, Seat
from .roles import Role

# --- The facts about a user that governance owns (see core/access.py) --------------------------


# The user's person, on most signed-in pages: compiled once (core/prepared.py), every column as
# stored (not rewritten by modeltranslation: the instance's descriptors pick the language).
_PERSON_COLUMNS = tuple(field.attname for field in Person._meta.concrete_fields)
_PERSON = Prepared(
    lambda user_id, columns: (
        Person.objects.rewrite(False).filter(user_id=user_id).values_list(*columns)
    ),
    *_PERSON_COLUMNS,
)


_USER_S_PERSON = Person._meta.get_field("user").remote_field


def _load_person(access: Access) -> Person | None:
    user = access.user
    if _USER_S_PERSON.is_cached(user):
        return _USER_S_PERSON.get_cached_value(user)  # read already (``user.person``)
    rows = _PERSON.rows(user.pk)
    if not rows:
        return None
    person = Person.from_db("default", _PERSON_COLUMNS, rows[0])
    user.person = person  # kept on the user object, as ``user.person`` keeps it
    return person


@dataclass(frozen=True)
class SeatHeld:
    """A seat the user's person holds: as the member, or as the member's personal deputy.
    With what the home page lists of it (the body's name in each language, in
    ``BODY_NAME_COLUMNS``' order, and the member's name), read in the same query, so that
    the page reads no seats of its own."""

    body_id: int
    role: str
    as_member: bool
    body_kind: str = ""
    order: tuple[int, int] = (0, 0)  # the body's, then the seat's
    body_names: tuple[str | None, ...] = ()
    member_name: str = ""


BODY_NAME_COLUMNS = tuple(build_localized_fieldname("name", lang) for lang in AVAILABLE_LANGUAGES)

# On nearly every signed-in page (the menu asks whether the user sees meetings): compiled once.
_SEATS = Prepared(
    lambda user_id, columns: Seat.objects.filter(
        Q(member__user_id=user_id) | Q(deputy__user_id=user_id)
    ).values_list(*columns),
    "body_id",
    "role",
    "member__user_id",
    "body__kind",
    "body__order",
    "order",
    "member__first_name",
    "member__last_name",
    *(f"body__{column}" for column in BODY_NAME_COLUMNS),
)


def _load_seats(access: Access) -> tuple[SeatHeld, ...]:
    user_id = access.user.pk
    return tuple(
        SeatHeld(
            body_id,
            role,
            member_user_id == user_id,
            body_kind,
            (body_order, order),
            tuple(names),
            f"{first_name} {last_name}" if first_name is not None else "",
        )
        for (
            body_id,
            role,
            member_user_id,
            body_kind,
            body_order,
            order,
            first_name,
            last_name,
            *names,
        ) in _SEATS.rows(user_id)
    )


# Which cities a coordinator coordinates: a guardian grant on the city, read on most of their
# pages (the reports, the menu's answers): one prepared query.
_COORDINATE_CITY = ObjectGrants(City, "coordinate_city")


def _load_coordinated_city_ids(access: Access) -> frozenset[int]:
    if not access.has_role(Role.COORDINATOR.value):
        return frozenset()
    return _COORDINATE_CITY.ids(access.user)


PERSON: Fact[Person | None] = Fact("person", _load_person, None)
# One query, by the user's id: the seat checks need no Person loaded first.
SEATS: Fact[tuple[SeatHeld, ...]] = Fact("seats", _load_seats, ())
COORDINATED_CITY_IDS: Fact[frozenset[int]] = Fact(
    "coordinated city ids", _load_coordinated_city_ids, frozenset()
)


def user_roles(user: AnyUser) -> frozenset[str]:
    """The role names (group names) an active user holds."""
    return access_of(user).roles


def has_role(user: AnyUser, role: Role) -> bool:
    return access_of(user).has_role(role.value)


def is_strategy_office(user: AnyUser) -> bool:
    access = access_of(user)
    return access.has_role(Role.STRATEGY_OFFICE.value) or access.superuser


def coordinated_cities(user: AnyUser) -> QuerySet[City]:
    """Cities whose portfolio the user coordinates (guardian object permission), by the ids
    the user's access object holds."""
    ids = coordinated_city_ids(user)
    if not ids:
        return City.objects.none()
    return City.objects.filter(pk__in=ids)


def coordinated_city_ids(user: AnyUser) -> frozenset[int]:
    """Ids of the cities the user coordinates; one query per request, for every app."""
    return access_of(user)[COORDINATED_CITY_IDS]


# --- Two-step sign-in -------------------------------------------------------------------------
# Who must use it: the roles in SIXAIKA_2FA_REQUIRED_ROLES, and everybody who holds a seat, as
# member or as personal deputy, in a body whose kind is in SIXAIKA_2FA_REQUIRED_BODIES. Access to a
# body's meetings comes from the seats, not the role, so the second factor must follow the seats
# too: a deputy in a board seat with the steering group's role opens board meetings.


def two_factor_required(user: AnyUser) -> bool:
    roles = set(settings.SIXAIKA_2FA_REQUIRED_ROLES)
    bodies = set(settings.SIXAIKA_2FA_REQUIRED_BODIES)
    access = access_of(user)
    if not (roles or bodies) or not access.active:
        return False
    if access.roles & roles:
        return True
    return bool(bodies) and any(seat.body_kind in bodies for seat in seats_held(user))


def can_issue_enrolment_codes(user: AnyUser) -> bool:
    """The strategy office issues the one-time codes that start a user's two-step sign-in."""
    return is_strategy_office(user)


# --- Meetings ---------------------------------------------------------------------------------
# The strategy office manages meetings. Members and deputies of a body see its meetings, their
# agendas and their own conflicts; the chair of the body records attendance and decisions.
# Nobody else sees a meeting; the public sees decisions of approved minutes only.


def person_of(user: AnyUser) -> Person | None:
    return access_of(user)[PERSON]


def seats_held(user: AnyUser) -> tuple[SeatHeld, ...]:
    """Each seat the user's person holds as member or deputy."""
    return access_of(user)[SEATS]


def body_ids_of(user: AnyUser) -> set[int]:
    """Bodies in which the user's person holds a seat as member or deputy."""
    return {seat.body_id for seat in seats_held(user)}


def can_manage_meetings(user: AnyUser) -> bool:
    return is_strategy_office(user)


def can_list_meetings(user: AnyUser) -> bool:
    return can_manage_meetings(user) or bool(body_ids_of(user))


def meetings_for_user(user: AnyUser) -> QuerySet[Meeting]:
    if can_manage_meetings(user):
        return Meeting.objects.all()
    return Meeting.objects.filter(body_id__in=body_ids_of(user))


def can_view_meeting(user: AnyUser, meeting: Meeting) -> bool:
    return can_manage_meetings(user) or meeting.body_id in body_ids_of(user)


def is_chair_of(user: AnyUser, body_id: int) -> bool:
    return any(
        seat.body_id == body_id and seat.role == Seat.Role.CHAIR and seat.as_member
        for seat in seats_held(user)
    )


def is_vice_chair_of(user: AnyUser, body_id: int) -> bool:
    return any(
        seat.body_id == body_id and seat.role == Seat.Role.VICE_CHAIR and seat.as_member
        for seat in seats_held(user)
    )


def _item_chairs(user: AnyUser, meeting: Meeting) -> tuple[dict[int, int | None], bool]:
    """Who chairs each item of the meeting (governance.chairing), and whether anyone is recorded
    present at all; once per request and meeting."""
    from .selectors import meeting_record

    def answer() -> tuple[dict[int, int | None], bool]:
        record = meeting_record(meeting)
        chairs = {item_id: r.chair_id for item_id, r in record.items()}
        return chairs, any(r.quorum.present for r in record.values())

    return access_of(user).remember(("item chairs", meeting.pk), answer)


def chairs_item(user: AnyUser, item: AgendaItem) -> bool:
    """The user's person chairs the item: the chair, or the vice-chair (or the next in the body's
    order) when the chair is absent from the item or has stepped aside for a conflict on it."""
    person = person_of(user)
    if person is None:
        return False
    chairs, anyone_present = _item_chairs(user, item.meeting)
    if not anyone_present:
        # Before attendance is taken nobody is known to be there: the chair of the body.
        return is_chair_of(user, item.meeting.body_id)
    return chairs.get(item.pk) == person.pk


def presides(user: AnyUser, meeting: Meeting) -> bool:
    """Who conducts the meeting: whoever chairs one of its items, or, before attendance is taken,
    the chair of the body. Answered once per request and meeting."""

    def answer() -> bool:
        person = person_of(user)
        if person is None:
            return False
        chairs, anyone_present = _item_chairs(user, meeting)
        if person.pk in chairs.values():
            return True
        return is_chair_of(user, meeting.body_id) and not anyone_present

    return access_of(user).remember(("presides", meeting.pk), answer)


def can_record_decisions(user: AnyUser, meeting: Meeting, item: AgendaItem | None = None) -> bool:
    """Whoever chairs the item records its decision (without an item: chairs any item)."""
    if item is not None:
        return chairs_item(user, item)
    return presides(user, meeting)


def can_record_attendance(user: AnyUser, meeting: Meeting) -> bool:
    """The strategy office acting as the meeting's secretary, the chair and the vice-chair (who
    opens the meeting when the chair is away), and whoever chairs an item."""
    return (
        can_manage_meetings(user)
        or is_chair_of(user, meeting.body_id)
        or is_vice_chair_of(user, meeting.body_id)
        or presides(user, meeting)
    )


def can_resolve_conflicts(user: AnyUser, item: AgendaItem) -> bool:
    """What the meeting decided on a disputed conflict is recorded by the item's chair or the
    secretary (the strategy office)."""
    return can_manage_meetings(user) or chairs_item(user, item)


def can_sign_minutes(user: AnyUser, minutes: Minutes) -> bool:
    """The meeting's chair signs the minutes: whoever chaired its first item."""
    from .selectors import meeting_chair

    person = person_of(user)
    return person is not None and meeting_chair(minutes.meeting) == person.pk


def can_check_minutes(user: AnyUser, minutes: Minutes) -> bool:
    """One of the two members the meeting chose to check its minutes."""
    person = person_of(user)
    return person is not None and minutes.meeting.minutes_checkers.filter(person=person).exists()


def can_choose_minutes_checkers(user: AnyUser, meeting: Meeting) -> bool:
    """The meeting chooses its checkers: whoever presides records the choice, or the strategy
    office as the meeting's secretary."""
    return can_manage_meetings(user) or presides(user, meeting)


def can_declare_conflict(user: AnyUser, meeting: Meeting) -> bool:
    """Members and deputies of the body declare their own conflicts."""
    return meeting.body_id in body_ids_of(user)


def can_view_minutes(user: AnyUser, minutes: Minutes) -> bool:
    """Approved minutes are public; drafts only for those who see the meeting."""
    return minutes.is_locked or can_view_meeting(user, minutes.meeting)


# A meeting with its body, on every meeting page: compiled once (core/prepared.py), every column
# as stored (the body's translated fields' descriptors pick the language on the instance).
_MEETING_COLUMNS = tuple(field.attname for field in Meeting._meta.concrete_fields)
_BODY_COLUMNS = tuple(field.attname for field in Body._meta.concrete_fields)
_MEETING = Prepared(
    lambda pk, columns: Meeting.objects.filter(pk=pk).values_list(*columns),
    *_MEETING_COLUMNS,
    *(f"body__{column}" for column in _BODY_COLUMNS),
)
_MEETING_S_BODY = Meeting._meta.get_field("body")


def _meeting(pk: int) -> Meeting:
    """``Meeting.objects.select_related("body").get(pk=pk)``, or 404; by the prepared query on
    PostgreSQL, whose driver gives the columns as Django would (aware datetimes)."""
    if connection.vendor != "postgresql":
        return get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    rows = _MEETING.rows(pk)
    if not rows:
        raise Http404
    row = rows[0]
    meeting = Meeting.from_db("default", _MEETING_COLUMNS, row[: len(_MEETING_COLUMNS)])
    body = Body.from_db("default", _BODY_COLUMNS, row[len(_MEETING_COLUMNS) :])
    _MEETING_S_BODY.set_cached_value(meeting, body)
    return meeting


def meeting_for_user(user: AnyUser, pk: int) -> Meeting:
    """The meeting if the user may see it; 404 if it does not exist, 403 if not theirs."""
    meeting = _meeting(pk)
    if not can_view_meeting(user, meeting):
        raise PermissionDenied
    return meeting


def agenda_item_for_user(user: AnyUser, meeting: Meeting, item_pk: int) -> AgendaItem:
    return get_object_or_404(AgendaItem, meeting=meeting, pk=item_pk)


def decisions_public() -> QuerySet[Decision]:
    """The public decision register: decisions of approved minutes only."""
    return Decision.objects.filter(agenda_item__meeting__minutes__state=Minutes.State.APPROVED)
