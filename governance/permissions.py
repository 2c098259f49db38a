"""Access decisions for governance, in one place.

Views and other apps ask these functions; no view decides access by itself.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from guardian.shortcuts import get_objects_for_user

from .models import AgendaItem, Attendance, City, Decision, Meeting, Minutes, Person, Seat
from .roles import Role

AnyUser = AbstractBaseUser | AnonymousUser


def user_roles(user: AnyUser) -> set[str]:
    """The role names (group names) an active user holds; cached on the user object."""
    if not user.is_authenticated or not user.is_active:
        return set()
    cached = getattr(user, "_sixaika_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._sixaika_roles = cached
    return cached


def has_role(user: AnyUser, role: Role) -> bool:
    return role.value in user_roles(user)


def is_strategy_office(user: AnyUser) -> bool:
    return has_role(user, Role.STRATEGY_OFFICE) or bool(user.is_active and user.is_superuser)


def coordinated_cities(user: AnyUser) -> QuerySet[City]:
    """Cities whose portfolio the user coordinates (guardian object permission)."""
    if not user.is_authenticated or not user.is_active or not has_role(user, Role.COORDINATOR):
        return City.objects.none()
    return get_objects_for_user(
        user, "governance.coordinate_city", klass=City, accept_global_perms=False
    )


# --- Meetings ---------------------------------------------------------------------------------
# The strategy office manages meetings. Members and deputies of a body see its meetings, their
# agendas and their own conflicts; the chair of the body records attendance and decisions.
# Nobody else sees a meeting; the public sees decisions of approved minutes only.


def person_of(user: AnyUser) -> Person | None:
    if not user.is_authenticated or not user.is_active:
        return None
    try:
        return user.person
    except Person.DoesNotExist:
        return None


def _seats_of(user: AnyUser) -> list[tuple[int, str, int | None]]:
    """(body, role, member) of each seat the user's person holds as member or deputy; cached on
    the user."""
    person = person_of(user)
    if person is None:
        return []
    cached = getattr(user, "_sixaika_seats", None)
    if cached is None:
        cached = list(
            Seat.objects.filter(Q(member=person) | Q(deputy=person)).values_list(
                "body_id", "role", "member_id"
            )
        )
        user._sixaika_seats = cached
    return cached


def body_ids_of(user: AnyUser) -> set[int]:
    """Bodies in which the user's person holds a seat as member or deputy."""
    return {body_id for body_id, _role, _member in _seats_of(user)}


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
    person = person_of(user)
    return person is not None and any(
        body == body_id and role == Seat.Role.CHAIR and member == person.pk
        for body, role, member in _seats_of(user)
    )


def stands_in_for_chair(user: AnyUser, meeting: Meeting) -> bool:
    """The chair's personal deputy, recorded present in the chair's seat at this meeting (the
    chair away): a deputy called in acts as the member would, at that meeting only."""
    person = person_of(user)
    return (
        person is not None
        and Attendance.objects.filter(
            meeting=meeting,
            present=True,
            person=person,
            seat__body_id=meeting.body_id,
            seat__role=Seat.Role.CHAIR,
            seat__deputy=person,
        ).exists()
    )


def presides(user: AnyUser, meeting: Meeting) -> bool:
    """Who conducts the meeting: the chair of the body, or the chair's deputy standing in.

    Cached on the user per meeting, like the roles: a meeting page asks more than once."""
    cached = getattr(user, "_sixaika_presides", None)
    if cached is None:
        cached = user._sixaika_presides = {}
    if meeting.pk not in cached:
        cached[meeting.pk] = is_chair_of(user, meeting.body_id) or stands_in_for_chair(
            user, meeting
        )
    return cached[meeting.pk]


def can_record_decisions(user: AnyUser, meeting: Meeting) -> bool:
    """Whoever presides at the meeting records its decisions."""
    return presides(user, meeting)


def can_record_attendance(user: AnyUser, meeting: Meeting) -> bool:
    """Whoever presides, and the strategy office acting as the meeting's secretary."""
    return can_manage_meetings(user) or presides(user, meeting)


def can_declare_conflict(user: AnyUser, meeting: Meeting) -> bool:
    """Members and deputies of the body declare their own conflicts."""
    return meeting.body_id in body_ids_of(user)


def can_view_minutes(user: AnyUser, minutes: Minutes) -> bool:
    """Approved minutes are public; drafts only for those who see the meeting."""
    return minutes.is_locked or can_view_meeting(user, minutes.meeting)


def meeting_for_user(user: AnyUser, pk: int) -> Meeting:
    """The meeting if the user may see it; 404 if it does not exist, 403 if not theirs."""
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    if not can_view_meeting(user, meeting):
        raise PermissionDenied
    return meeting


def agenda_item_for_user(user: AnyUser, meeting: Meeting, item_pk: int) -> AgendaItem:
    return get_object_or_404(AgendaItem, meeting=meeting, pk=item_pk)


def decisions_public() -> QuerySet[Decision]:
    """The public decision register: decisions of approved minutes only."""
    return Decision.objects.filter(agenda_item__meeting__minutes__state=Minutes.State.APPROVED)
