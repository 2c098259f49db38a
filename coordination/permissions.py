"""Access decisions for coordination, in one place.

The rule for every coordination entry: the strategy office edits all; a city coordinator edits the
entries of the city (or cities) they coordinate; every other logged-in user reads. What is public
(the coordinators, city pages, the annual clock, the contact finder without personal details) needs
no permission at all. Views and templates ask these functions; no view decides by itself.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from core.access import AnyUser
from governance.permissions import coordinated_city_ids, is_strategy_office

from .models import AnnualClockEvent, Event, ResultAdoption, VisitorGroup


def is_reader(user: AnyUser) -> bool:
    """Internal coordination pages are for any active, logged-in user."""
    return bool(user.is_authenticated and user.is_active)


def can_see_personal_details(user: AnyUser) -> bool:
    """E-mail addresses and phone numbers are shown to logged-in users only."""
    return is_reader(user)


def _edits_cities(user: AnyUser, ids: Iterable[int | None]) -> bool:
    if not is_reader(user):
        return False
    if is_strategy_office(user):
        return True
    mine = coordinated_city_ids(user)
    return any(i in mine for i in ids if i is not None)


def can_create_entries(user: AnyUser) -> bool:
    """The strategy office and coordinators add entries (a coordinator for their own city)."""
    return is_reader(user) and (is_strategy_office(user) or bool(coordinated_city_ids(user)))


def require_create(user: AnyUser) -> None:
    if not can_create_entries(user):
        raise PermissionDenied


# --- Coordinators and the rotating seat -----------------------------------------------------------


def can_manage_coordinators(user: AnyUser) -> bool:
    """Who coordinates which city, and the seat's turns, are kept by the strategy office."""
    return is_reader(user) and is_strategy_office(user)


def require_manage_coordinators(user: AnyUser) -> None:
    if not can_manage_coordinators(user):
        raise PermissionDenied


# --- Annual clock ---------------------------------------------------------------------------------


def can_edit_city(user: AnyUser, city_id: int | None) -> bool:
    """An entry of one city (or, with ``None``, of the whole strategy: the office's)."""
    return _edits_cities(user, [city_id])


def can_edit_clock_event(user: AnyUser, event: AnnualClockEvent) -> bool:
    return can_edit_city(user, event.city_id)


def clock_event_for_edit(user: AnyUser, pk: int) -> AnnualClockEvent:
    event = get_object_or_404(AnnualClockEvent, pk=pk)
    if not can_edit_clock_event(user, event):
        raise PermissionDenied
    return event


# --- Visitor groups -------------------------------------------------------------------------------


def visitor_groups_for(user: AnyUser) -> QuerySet[VisitorGroup]:
    if not is_reader(user):
        raise PermissionDenied
    return VisitorGroup.objects.all()


def can_edit_visitor_group(user: AnyUser, group: VisitorGroup) -> bool:
    """Uses the prefetched host cities when the list prefetched them."""
    return _edits_cities(user, [c.pk for c in group.host_cities.all()])


def visitor_group_for(user: AnyUser, pk: int, *, edit: bool = False) -> VisitorGroup:
    group = get_object_or_404(visitor_groups_for(user).prefetch_related("host_cities"), pk=pk)
    if edit and not can_edit_visitor_group(user, group):
        raise PermissionDenied
    return group


# --- Events ---------------------------------------------------------------------------------------


def events_for(user: AnyUser) -> QuerySet[Event]:
    if not is_reader(user):
        raise PermissionDenied
    return Event.objects.all()


def can_edit_event(user: AnyUser, event: Event) -> bool:
    """An event belongs to the city of its organiser."""
    return _edits_cities(user, [event.organiser.city_id])


def event_for(user: AnyUser, pk: int, *, edit: bool = False) -> Event:
    event = get_object_or_404(events_for(user).select_related("organiser"), pk=pk)
    if edit and not can_edit_event(user, event):
        raise PermissionDenied
    return event


# --- Results adoption ----------------------------------------------------------------------------


def adoptions_for(user: AnyUser) -> QuerySet[ResultAdoption]:
    if not is_reader(user):
        raise PermissionDenied
    return ResultAdoption.objects.all()


def can_edit_adoption(user: AnyUser, adoption: ResultAdoption) -> bool:
    """An adoption is the adopting city's entry."""
    return can_edit_city(user, adoption.city_id)


def adoption_for_edit(user: AnyUser, pk: int) -> ResultAdoption:
    adoption = get_object_or_404(adoptions_for(user), pk=pk)
    if not can_edit_adoption(user, adoption):
        raise PermissionDenied
    return adoption


def allowed_city_ids(user: AnyUser) -> frozenset[int] | None:
    """Cities whose entries the user may write; ``None`` means every city (strategy office)."""
    if is_reader(user) and is_strategy_office(user):
        return None
    return coordinated_city_ids(user)


# --- The audit trail ------------------------------------------------------------------------------


def can_browse_audit(user: AnyUser) -> bool:
    """Who changed what is for the strategy office only: it names people and their rights."""
    return is_reader(user) and is_strategy_office(user)


def require_browse_audit(user: AnyUser) -> None:
    if not can_browse_audit(user):
        raise PermissionDenied
