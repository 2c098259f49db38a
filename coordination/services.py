"""Writes for coordination. Every function is keyword-only, atomic and validates with full_clean."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.shortcuts import remove_perm

from core.access import forget_access
from core.transitions import Move, Workflow, signed_in, state_change
from governance.models import City, Organisation, Person, Seat
from governance.roles import Role
from governance.services import user_role_grant

from . import permissions
from .models import (
    AnnualClockEvent,
    CityCoordinator,
    Event,
    EventMaterial,
    ResultAdoption,
    RotatingSeatTurn,
    VisitorGroup,
)

# --- Coordinators ---------------------------------------------------------------------------------


def _revoke_coordination(*, user: Any, city: City) -> None:
    remove_perm("governance.coordinate_city", user, city)
    still_coordinates = CityCoordinator.objects.filter(
        person__user=user, until__isnull=True
    ).exists()
    if not still_coordinates:
        user.groups.remove(Group.objects.get(name=Role.COORDINATOR))
    forget_access(user)


def city_coordinator_end(*, coordinator: CityCoordinator, until: datetime.date) -> CityCoordinator:
    """End a coordinator's term and take away their right to coordinate the city.

    Terms are recorded as they happen, so the end date cannot be in the future.
    """
    with transaction.atomic():
        if coordinator.until is not None:
            raise ValidationError({"until": _("This coordinator's term has already ended.")})
        if until > timezone.localdate():
            raise ValidationError({"until": _("The end date cannot be in the future.")})
        coordinator.until = until
        coordinator.full_clean()
        coordinator.save()
        user = coordinator.person.user
        if user is not None:
            _revoke_coordination(user=user, city=coordinator.city)
        return coordinator


def city_coordinator_assign(*, city: City, person: Person, since: datetime.date) -> CityCoordinator:
    """Make ``person`` the city's coordinator from ``since``; the previous coordinator's term ends
    the day before, and the permission to coordinate the city moves with the term."""
    with transaction.atomic():
        if since > timezone.localdate():
            raise ValidationError({"since": _("The start date cannot be in the future.")})
        current = (
            CityCoordinator.objects.select_for_update(of=("self",))
            .filter(city=city, until__isnull=True)
            .order_by("pk")
            .first()
        )
        if current is not None:
            if current.person_id == person.pk:
                raise ValidationError({"person": _("This person already coordinates the city.")})
            if since <= current.since:
                raise ValidationError(
                    {"since": _("The new term must start after the current coordinator's start.")}
                )
            city_coordinator_end(coordinator=current, until=since - datetime.timedelta(days=1))
        coordinator = CityCoordinator(city=city, person=person, since=since)
        coordinator.full_clean()
        coordinator.save()
        if person.user is not None:
            user_role_grant(user=person.user, role=Role.COORDINATOR, city=city)
        return coordinator


def rotating_seat_turn_add(
    *,
    seat: Seat,
    city: City,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    coordinator: CityCoordinator | None = None,
) -> RotatingSeatTurn:
    with transaction.atomic():
        turn = RotatingSeatTurn(
            seat=seat, city=city, starts_on=starts_on, ends_on=ends_on, coordinator=coordinator
        )
        turn.full_clean()
        turn.save()
        return turn


# --- Annual clock ---------------------------------------------------------------------------------


CLOCK_EVENT_FIELDS = (
    "title_fi",
    "title_sv",
    "title_en",
    "description_fi",
    "description_sv",
    "description_en",
    "kind",
    "starts_on",
    "ends_on",
    "start_time",
    "end_time",
    "recurrence",
    "link",
    "city",
)


def _check_city(*, allowed: frozenset[int] | None, ids: Iterable[int | None], field: str) -> None:
    """A coordinator writes entries of their own city only (``allowed`` None: every city)."""
    if allowed is None:
        return
    ids = list(ids)
    if not ids or not any(i in allowed for i in ids if i is not None):
        raise ValidationError({field: _("Choose a city you coordinate.")})


def annual_clock_event_save(
    *,
    event: AnnualClockEvent | None,
    data: dict[str, Any],
    by: Any,
    allowed_cities: frozenset[int] | None,
) -> AnnualClockEvent:
    """Create (``event`` None) or update an annual clock entry from cleaned form data."""
    with transaction.atomic():
        city = data.get("city")
        _check_city(allowed=allowed_cities, ids=[city.pk if city else None], field="city")
        if event is None:
            event = AnnualClockEvent(created_by=by)
        for name in CLOCK_EVENT_FIELDS:
            if name in data:
                setattr(event, name, data[name])
        event.full_clean()
        event.save()
        return event


def annual_clock_event_delete(*, event: AnnualClockEvent) -> None:
    with transaction.atomic():
        event.delete()


# --- Visitor groups -------------------------------------------------------------------------------


def _edits_visit(user: Any, group: VisitorGroup) -> bool:
    return signed_in(user, group) and permissions.can_edit_visitor_group(user, group)


_V = VisitorGroup.Status
# The visit's hosts (their cities' coordinators) and the strategy office move it.
VISITOR_GROUPS = Workflow(
    "coordination.visitor_group",
    model=VisitorGroup,
    field="status",
    moves=[
        Move(_V.REQUESTED, _V.CONFIRMED, "confirm", _edits_visit),
        Move(_V.REQUESTED, _V.CANCELLED, "cancel", _edits_visit),
        Move(_V.CONFIRMED, _V.HELD, "hold", _edits_visit),
        Move(_V.CONFIRMED, _V.CANCELLED, "cancel", _edits_visit),
        Move(_V.CONFIRMED, _V.REQUESTED, "reopen", _edits_visit),
        Move(_V.CANCELLED, _V.REQUESTED, "reopen", _edits_visit),
    ],
    refused=_("A visit cannot move from “%(old)s” to “%(new)s”."),
    error_field="status",
)

VISITOR_GROUP_FIELDS = (
    "name",
    "origin",
    "country",
    "requested_on",
    "visit_starts",
    "visit_ends",
    "topics",
)
VISITOR_GROUP_M2M = ("host_cities", "hosts", "projects")


def visitor_group_save(
    *,
    group: VisitorGroup | None,
    data: dict[str, Any],
    allowed_cities: frozenset[int] | None,
) -> VisitorGroup:
    """Create (``group`` None) or update a visitor group's facts. Status and report are not set
    here: they change through ``visitor_group_status_set`` and ``visitor_group_report_save``."""
    with transaction.atomic():
        cities = list(data.get("host_cities") or [])
        if group is None or allowed_cities is None:
            _check_city(allowed=allowed_cities, ids=[c.pk for c in cities], field="host_cities")
        if not cities:
            raise ValidationError({"host_cities": _("Choose at least one host city.")})
        if group is not None and allowed_cities is not None and "host_cities" in data:
            _check_host_change(group=group, new={c.pk for c in cities}, allowed=allowed_cities)
        group = group or VisitorGroup()
        for name in VISITOR_GROUP_FIELDS:
            if name in data:
                setattr(group, name, data[name])
        group.full_clean()
        group.save()
        for name in VISITOR_GROUP_M2M:
            if name in data:
                getattr(group, name).set(data[name])
        return group


def _check_host_change(*, group: VisitorGroup, new: set[int], allowed: frozenset[int]) -> None:
    """A coordinator changing a shared visit's host cities: a city is taken off by the strategy
    office or that city's own coordinator, not by another host city's; a coordinator may take
    their own city off (leave), and adds cities only while their own city stays a host."""
    hosts = list(group.host_cities.order_by("order"))
    removed = [city for city in hosts if city.pk not in new and city.pk not in allowed]
    if removed:
        raise ValidationError(
            {
                "host_cities": _(
                    "You cannot remove %(cities)s from the host cities: only the strategy office "
                    "or that city's coordinator can."
                )
                % {"cities": ", ".join(str(city) for city in removed)}
            }
        )
    if new - {city.pk for city in hosts}:
        _check_city(allowed=allowed, ids=new, field="host_cities")


def visitor_group_status_set(*, group: VisitorGroup, status: str, by: Any) -> VisitorGroup:
    """The one way a visit's status changes, along ``VISITOR_GROUPS``."""
    with transaction.atomic():
        group = VisitorGroup.objects.select_for_update().get(pk=group.pk)
        group.status_changed_by = by
        group.status_changed_at = timezone.now()
        state_change(obj=group, workflow=VISITOR_GROUPS, to=status, by=by)
        return group


def visitor_group_report_save(*, group: VisitorGroup, report: str) -> VisitorGroup:
    with transaction.atomic():
        if group.status != VisitorGroup.Status.HELD:
            raise ValidationError({"report": _("Write the report after the visit is held.")})
        group.report = report
        group.full_clean()
        group.save()
        return group


# --- Events ---------------------------------------------------------------------------------------

EVENT_FIELDS = (
    "title",
    "kind",
    "description",
    "place",
    "online_link",
    "starts_on",
    "organiser",
    "participants",
    "project",
)


def event_save(
    *, event: Event | None, data: dict[str, Any], allowed_cities: frozenset[int] | None
) -> Event:
    with transaction.atomic():
        organiser: Organisation | None = data.get("organiser")
        _check_city(
            allowed=allowed_cities,
            ids=[organiser.city_id if organiser else None],
            field="organiser",
        )
        event = event or Event()
        for name in EVENT_FIELDS:
            if name in data:
                setattr(event, name, data[name])
        event.full_clean()
        event.save()
        return event


def event_material_add(
    *, event: Event, title: str, file: Any = None, url: str = ""
) -> EventMaterial:
    with transaction.atomic():
        material = EventMaterial(event=event, title=title, url=url or "")
        if file:
            material.file = file
        material.full_clean()
        material.save()
        return material


def event_material_delete(*, material: EventMaterial) -> None:
    with transaction.atomic():
        if material.file:
            name = material.file.name
            storage = material.file.storage
            transaction.on_commit(lambda: storage.delete(name))
        material.delete()


# --- Results adoption -----------------------------------------------------------------------------

ADOPTION_FIELDS = ("project", "result", "city", "adopted_on", "note")


def result_adoption_save(
    *,
    adoption: ResultAdoption | None,
    data: dict[str, Any],
    by: Any,
    allowed_cities: frozenset[int] | None,
) -> ResultAdoption:
    """Record (``adoption`` None) or correct that a city adopted a project's result."""
    with transaction.atomic():
        city = data.get("city")
        _check_city(allowed=allowed_cities, ids=[city.pk if city else None], field="city")
        adoption = adoption or ResultAdoption(recorded_by=by)
        for name in ADOPTION_FIELDS:
            if name in data:
                setattr(adoption, name, data[name])
        adoption.full_clean()
        adoption.save()
        return adoption


def result_adoption_delete(*, adoption: ResultAdoption) -> None:
    with transaction.atomic():
        adoption.delete()
