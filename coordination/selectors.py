"""Reads for coordination pages: each function is the whole query plan of a page."""

import calendar
import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from guardian.models import UserObjectPermission

from calls.models import Call
from core.models import Transition
from governance.models import Body, City, Meeting, Organisation, Person, Seat
from projects.models import Implementer, Project, ReportingPeriod, Theme

from .models import (
    AnnualClockEvent,
    CityCoordinator,
    Event,
    ResultAdoption,
    RotatingSeatTurn,
    VisitorGroup,
)

# --- Coordinators and the rotating seat -----------------------------------------------------------


@dataclass
class SeatTurnNow:
    seat: Seat
    turns: list[RotatingSeatTurn]
    current: RotatingSeatTurn | None
    holder: Person | None


def _coordinators_prefetch() -> Prefetch:
    return Prefetch(
        "coordinators",
        queryset=CityCoordinator.objects.select_related("person__organisation").order_by("-since"),
    )


def cities_with_coordinators() -> QuerySet[City]:
    """The six cities with every coordinator term, newest first: two queries."""
    return City.objects.prefetch_related(_coordinators_prefetch()).order_by("order")


def current_coordinator(city: City) -> CityCoordinator | None:
    """From the prefetched terms of ``cities_with_coordinators``."""
    return next((c for c in city.coordinators.all() if c.until is None), None)


def rotating_seats(today: datetime.date | None = None) -> list[SeatTurnNow]:
    """Every rotating seat with its turns and whoever sits in it today: three queries."""
    today = today or timezone.localdate()
    turns = RotatingSeatTurn.objects.select_related("city", "coordinator__person").order_by(
        "-starts_on"
    )
    seats = (
        Seat.objects.filter(is_rotating=True)
        .select_related("body")
        .prefetch_related(Prefetch("turns", queryset=turns))
        .order_by("body__order", "order")
    )
    current_by_city = {
        c.city_id: c.person
        for c in CityCoordinator.objects.filter(until__isnull=True).select_related("person")
    }
    result = []
    for seat in seats:
        seat_turns = list(seat.turns.all())
        current = next((t for t in seat_turns if t.covers(today)), None)
        holder = None
        if current is not None:
            holder = (
                current.coordinator.person
                if current.coordinator
                else current_by_city.get(current.city_id)
            )
        result.append(SeatTurnNow(seat=seat, turns=seat_turns, current=current, holder=holder))
    return result


@dataclass
class CityPage:
    city: City
    coordinator: CityCoordinator | None
    past_coordinators: list[CityCoordinator]
    seats: list[Seat]
    deputy_seats: list[Seat]
    turns: list[RotatingSeatTurn]
    projects: list[Project] = field(default_factory=list)


def project_contact_persons(projects: list[Project]) -> None:
    """Set ``project.contact_persons``: the people whose accounts were granted the project's
    status reports (``projects.report_project``, its contact persons), by name: one query."""
    by_project: dict[int, list[Person]] = {p.pk: [] for p in projects}
    grants = (
        UserObjectPermission.objects.filter(
            content_type__app_label="projects",
            content_type__model="project",
            permission__codename="report_project",
            object_pk__in=[str(pk) for pk in by_project],
            user__is_active=True,
            user__person__isnull=False,
        )
        .select_related("user__person__organisation")
        .order_by("user__person__last_name", "user__person__first_name", "pk")
    )
    for grant in grants:
        by_project[int(grant.object_pk)].append(grant.user.person)
    for project in projects:
        project.contact_persons = by_project[project.pk]


def city_page(city: City) -> CityPage:
    """Everything the city page shows: its coordinators, its people in the bodies, its turns,
    its projects with their contact persons and the people of their implementers."""
    terms = list(
        CityCoordinator.objects.filter(city=city)
        .select_related("person__organisation")
        .order_by("-since")
    )
    seats = Seat.objects.select_related(
        "body", "member__organisation", "deputy__organisation", "organisation"
    ).order_by("body__order", "order")
    projects = list(
        Project.objects.filter(cities=city)
        .select_related("theme", "programme")
        .prefetch_related(
            Prefetch(
                "implementers",
                queryset=Implementer.objects.select_related("organisation__city"),
            ),
            Prefetch(
                "implementers__organisation__people",
                queryset=Person.objects.order_by("last_name", "first_name"),
            ),
        )
        .order_by("-start_date", "name")
    )
    project_contact_persons(projects)
    return CityPage(
        city=city,
        coordinator=next((t for t in terms if t.until is None), None),
        past_coordinators=[t for t in terms if t.until is not None],
        seats=list(seats.filter(organisation__city=city)),
        deputy_seats=list(
            seats.filter(deputy__organisation__city=city).exclude(organisation__city=city)
        ),
        turns=list(
            RotatingSeatTurn.objects.filter(city=city)
            .select_related("seat__body", "coordinator__person")
            .order_by("-starts_on")
        ),
        projects=projects,
    )


# --- Annual clock ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClockEntry:
    """One occurrence on the annual clock, whichever app keeps it."""

    uid: str
    starts_on: datetime.date
    title: str
    kind: str
    kind_label: str
    source: str
    ends_on: datetime.date | None = None
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    url: str = ""
    recurring: bool = False
    city: str = ""
    description: str = ""
    object_id: int | None = None
    city_id: int | None = None

    @property
    def sort_key(self) -> tuple:
        """All-day entries first, then by time of day."""
        return (self.starts_on, self.starts_at.timestamp() if self.starts_at else 0.0, self.uid)


def _in_year(month: int, day: int, year: int) -> datetime.date:
    """A yearly date in ``year``; 29 February falls on the 28th in a common year."""
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _combine(day: datetime.date, time: datetime.time | None) -> datetime.datetime | None:
    if time is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, time))


def clock_event_occurrence(event: AnnualClockEvent, year: int) -> ClockEntry | None:
    """The event's occurrence in ``year``, or None when it has none that year."""
    if event.recurrence == AnnualClockEvent.Recurrence.YEARLY:
        if year < event.starts_on.year:
            return None
        start = _in_year(event.starts_on.month, event.starts_on.day, year)
    else:
        if event.starts_on.year != year:
            return None
        start = event.starts_on
    end = start + (event.ends_on - event.starts_on) if event.ends_on else None
    return ClockEntry(
        uid=f"clock-{event.pk}",
        starts_on=start,
        ends_on=end if end != start else None,
        starts_at=_combine(start, event.start_time),
        ends_at=_combine(end or start, event.end_time),
        title=event.title,
        kind=event.kind,
        kind_label=event.get_kind_display(),
        source="clock",
        url=event.link,
        recurring=event.recurrence == AnnualClockEvent.Recurrence.YEARLY,
        city=event.city.name if event.city else "",
        description=event.description,
        object_id=event.pk,
        city_id=event.city_id,
    )


def own_clock_entries(year: int) -> list[ClockEntry]:
    """Entries kept in the annual clock itself: one query."""
    events = AnnualClockEvent.objects.select_related("city").filter(
        Q(recurrence=AnnualClockEvent.Recurrence.YEARLY, starts_on__year__lte=year)
        | Q(starts_on__year=year)
    )
    return [e for e in (clock_event_occurrence(ev, year) for ev in events) if e is not None]


def governance_meeting_entries(year: int) -> list[ClockEntry]:
    """The board's and the steering group's meetings (governance.Meeting): one query.

    Public: that the public bodies meet, and when, is public information. No link: a meeting's
    page is for the body's members and the strategy office; its decisions reach the public
    register when approved.
    """
    kinds = {
        Body.Kind.BOARD: AnnualClockEvent.Kind.BOARD_MEETING,
        Body.Kind.STEERING_GROUP: AnnualClockEvent.Kind.STEERING_GROUP_MEETING,
    }
    meetings = Meeting.objects.filter(starts_at__year=year).select_related("body")
    entries = []
    for meeting in meetings:
        kind = kinds.get(meeting.body.kind, AnnualClockEvent.Kind.OTHER)
        local = timezone.localtime(meeting.starts_at)
        entries.append(
            ClockEntry(
                uid=f"meeting-{meeting.pk}",
                starts_on=local.date(),
                starts_at=meeting.starts_at,
                title=_("%(body)s: meeting") % {"body": meeting.body.name},
                kind=kind,
                kind_label=AnnualClockEvent.Kind(kind).label,
                source="meeting",
                description=meeting.place,
            )
        )
    return entries


def reporting_deadline_entries(year: int) -> list[ClockEntry]:
    """Status reports' due dates of the projects' reporting periods: one query."""
    return [
        ClockEntry(
            uid=f"reporting-period-{period.pk}",
            starts_on=period.due_date,
            title=_("Status reports due: %(period)s") % {"period": period.name},
            kind=AnnualClockEvent.Kind.REPORTING_DEADLINE,
            kind_label=AnnualClockEvent.Kind.REPORTING_DEADLINE.label,
            source="reporting_period",
        )
        for period in ReportingPeriod.objects.filter(due_date__year=year)
    ]


def report_run_entries(year: int) -> list[ClockEntry]:
    """The scheduled runs of the board's monitoring report and meeting pack: one query.

    Celery beat runs ``reports.services.board_reports_schedule`` daily; it makes a board
    meeting's reports on the first day the meeting is within
    ``SIXAIKA_REPORTS_DAYS_BEFORE_MEETING`` days, so each board meeting has its run that many
    days before it. Derived from the meetings, never entered by hand.
    """
    days = datetime.timedelta(days=settings.SIXAIKA_REPORTS_DAYS_BEFORE_MEETING)
    first = datetime.datetime.combine(datetime.date(year, 1, 1) + days, datetime.time.min)
    last = datetime.datetime.combine(datetime.date(year, 12, 31) + days, datetime.time.max)
    meetings = Meeting.objects.filter(
        body__kind=Body.Kind.BOARD,
        starts_at__range=(timezone.make_aware(first), timezone.make_aware(last)),
    ).select_related("body")
    entries = []
    for meeting in meetings:
        meeting_day = timezone.localdate(meeting.starts_at)
        entries.append(
            ClockEntry(
                uid=f"report-run-{meeting.pk}",
                starts_on=meeting_day - days,
                title=_("%(body)s: monitoring report and meeting pack for the meeting of %(date)s")
                % {"body": meeting.body.name, "date": formats.date_format(meeting_day)},
                kind=AnnualClockEvent.Kind.REPORT_RUN,
                kind_label=AnnualClockEvent.Kind.REPORT_RUN.label,
                source="report_run",
                description=ngettext(
                    "Made automatically %(days)s day before the meeting; the board is told "
                    "by e-mail when the pack is ready.",
                    "Made automatically %(days)s days before the meeting; the board is told "
                    "by e-mail when the pack is ready.",
                    days.days,
                )
                % {"days": days.days},
            )
        )
    return entries


def call_entries(year: int) -> list[ClockEntry]:
    """Calls for proposals: the day a call opens and the day it closes: one query."""
    entries = []
    for call in Call.objects.filter(Q(opens_on__year=year) | Q(closes_on__year=year)):
        for suffix, day, text in (
            ("opens", call.opens_on, _("Call opens: %(call)s")),
            ("closes", call.closes_on, _("Call closes: %(call)s")),
        ):
            if day.year == year:
                entries.append(
                    ClockEntry(
                        uid=f"call-{call.pk}-{suffix}",
                        starts_on=day,
                        title=text % {"call": call.name},
                        kind=AnnualClockEvent.Kind.CALL,
                        kind_label=AnnualClockEvent.Kind.CALL.label,
                        source="call",
                        url=reverse("calls:detail", args=[call.pk]),  # public, like the call
                    )
                )
    return entries


# Other apps' meetings and deadlines, merged in so nobody enters them twice. Each source takes a
# year and returns its entries; the list grows with the apps that keep dated things.
ClockSource = Callable[[int], Iterable[ClockEntry]]
CLOCK_SOURCES: list[ClockSource] = [
    own_clock_entries,
    governance_meeting_entries,
    reporting_deadline_entries,
    report_run_entries,
    call_entries,
]


def annual_clock(year: int) -> list[ClockEntry]:
    """Every entry of the year from every source, in date order: one query per source."""
    entries = [entry for source in CLOCK_SOURCES for entry in source(year)]
    return sorted(entries, key=lambda e: e.sort_key)


@dataclass
class ClockMonth:
    number: int
    start: datetime.date
    entries: list[ClockEntry]


def annual_clock_months(year: int, entries: list[ClockEntry]) -> list[ClockMonth]:
    months = [
        ClockMonth(number=m, start=datetime.date(year, m, 1), entries=[]) for m in range(1, 13)
    ]
    for entry in entries:
        months[entry.starts_on.month - 1].entries.append(entry)
    return months


def annual_clock_feed_entries(
    today: datetime.date | None = None,
) -> tuple[list[AnnualClockEvent], list[ClockEntry]]:
    """What the iCal feed carries: the clock's own events as they are (a yearly event is one
    VEVENT with a yearly rule), and other apps' entries from last year to two years ahead."""
    today = today or timezone.localdate()
    own = list(AnnualClockEvent.objects.select_related("city").order_by("starts_on", "pk"))
    others = [
        entry
        for year in range(today.year - 1, today.year + 3)
        for source in CLOCK_SOURCES
        if source is not own_clock_entries
        for entry in source(year)
    ]
    return own, others


# --- Visitor groups and events --------------------------------------------------------------------


def visitor_group_list(queryset: QuerySet[VisitorGroup]) -> QuerySet[VisitorGroup]:
    """The visitor group list with host cities (for the edit rule) and hosts: three queries."""
    return queryset.prefetch_related(
        Prefetch("host_cities", queryset=City.objects.order_by("order")),
        Prefetch("hosts", queryset=Person.objects.order_by("last_name", "first_name")),
    )


def visitor_group_detail(queryset: QuerySet[VisitorGroup]) -> QuerySet[VisitorGroup]:
    return queryset.select_related("status_changed_by").prefetch_related(
        Prefetch("host_cities", queryset=City.objects.order_by("order")),
        Prefetch("transitions", queryset=Transition.objects.select_related("by")),
        Prefetch("projects", queryset=Project.objects.order_by("name")),
        Prefetch(
            "hosts",
            queryset=Person.objects.select_related("organisation").order_by(
                "last_name", "first_name"
            ),
        ),
    )


def event_list(queryset: QuerySet[Event]) -> QuerySet[Event]:
    """Events with their organiser (and its city, for the edit rule) and project: one query."""
    return queryset.select_related("organiser__city", "project")


def event_detail(queryset: QuerySet[Event]) -> QuerySet[Event]:
    return event_list(queryset).prefetch_related("materials")


# --- Results adoption -----------------------------------------------------------------------------


def adoption_list(queryset: QuerySet[ResultAdoption]) -> QuerySet[ResultAdoption]:
    """Adoptions with project, city and the project's own cities (for the spread): two queries."""
    return queryset.select_related("project", "city").prefetch_related(
        Prefetch("project__cities", queryset=City.objects.order_by("order"))
    )


@dataclass
class AdoptionSpread:
    """How results spread: project x adopting city, and project's city x adopting city."""

    cities: list[City]
    project_rows: list[tuple[Project, list[list[ResultAdoption]]]]
    city_rows: list[tuple[City, list[int]]]


def adoption_spread(adoptions: list[ResultAdoption], cities: list[City]) -> AdoptionSpread:
    """Built in Python from ``adoption_list``: no further queries.

    A result spreads from each city taking part in the project to the adopting city; an adoption
    by one of the project's own cities counts on the diagonal.
    """
    column = {city.pk: i for i, city in enumerate(cities)}
    projects: dict[int, tuple[Project, list[list[ResultAdoption]]]] = {}
    matrix = [[0] * len(cities) for _ in cities]
    for adoption in adoptions:
        row = projects.setdefault(adoption.project_id, (adoption.project, [[] for _ in cities]))
        row[1][column[adoption.city_id]].append(adoption)
        for origin in adoption.project.cities.all():
            matrix[column[origin.pk]][column[adoption.city_id]] += 1
    return AdoptionSpread(
        cities=cities,
        project_rows=sorted(projects.values(), key=lambda r: r[0].name),
        city_rows=list(zip(cities, matrix, strict=True)),
    )


# --- Contact finder -------------------------------------------------------------------------------


class ContactRole:
    BOARD = "board"
    STEERING_GROUP = "steering_group"
    COORDINATOR = "coordinator"
    PROJECT = "project"


def _role_filter(role: str) -> Q:
    if role in (ContactRole.BOARD, ContactRole.STEERING_GROUP):
        return Q(seats__body__kind=role) | Q(deputy_seats__body__kind=role)
    if role == ContactRole.COORDINATOR:
        return Q(coordinator_terms__until__isnull=True)
    if role == ContactRole.PROJECT:
        return Q(organisation__implementations__isnull=False)
    return Q()


def contact_people(
    *, city: City | None = None, theme: Theme | None = None, role: str = "", text: str = ""
) -> list[Person]:
    """People by city (their organisation's), theme and role, with free text over names, titles,
    units, organisations and the projects their organisations implement: five queries.

    "Who in Oulu works on open data?" is city Oulu and the text "open data" (or its theme).
    """
    people = Person.objects.all()
    if city is not None:
        people = people.filter(organisation__city=city)
    if theme is not None:
        people = people.filter(organisation__implementations__project__theme=theme)
    if role:
        people = people.filter(_role_filter(role))
    for word in text.split()[:6]:
        people = people.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(title__icontains=word)
            | Q(unit__icontains=word)
            | Q(organisation__name__icontains=word)
            | Q(organisation__implementations__project__name__icontains=word)
            | Q(organisation__implementations__project__summary__icontains=word)
            | Q(organisation__implementations__project__theme__name__icontains=word)
        )
    ids = people.values("pk")
    found = list(
        Person.objects.filter(pk__in=ids)
        .select_related("organisation__city")
        .prefetch_related(
            Prefetch("seats", queryset=Seat.objects.select_related("body")),
            Prefetch("deputy_seats", queryset=Seat.objects.select_related("body", "member")),
            Prefetch(
                "coordinator_terms",
                queryset=CityCoordinator.objects.filter(until__isnull=True).select_related("city"),
                to_attr="current_coordination",
            ),
            Prefetch(
                "organisation__implementations",
                queryset=Implementer.objects.select_related("project").order_by("project__name"),
            ),
        )
        .order_by("last_name", "first_name")[:200]
    )
    # People whose own name, title or unit matches come first: the rest match through their
    # organisation's projects, which for a city organisation is a wide net.
    words = [w.casefold() for w in text.split()[:6]]
    for person in found:
        own = f"{person.full_name} {person.title} {person.unit}".casefold()
        person.direct_match = bool(words) and all(w in own for w in words)
    found.sort(key=lambda p: not p.direct_match)
    return found


def contact_organisations(
    *, city: City | None = None, theme: Theme | None = None, role: str = "", text: str = ""
) -> list[Organisation]:
    """Organisations by city, theme and text, with the projects they implement: two queries."""
    organisations = Organisation.objects.all()
    if city is not None:
        organisations = organisations.filter(city=city)
    if theme is not None:
        organisations = organisations.filter(implementations__project__theme=theme)
    if role == ContactRole.PROJECT:
        organisations = organisations.filter(implementations__isnull=False)
    elif role:
        return []
    for word in text.split()[:6]:
        organisations = organisations.filter(
            Q(name__icontains=word)
            | Q(implementations__project__name__icontains=word)
            | Q(implementations__project__summary__icontains=word)
            | Q(implementations__project__theme__name__icontains=word)
        )
    return list(
        Organisation.objects.filter(pk__in=organisations.values("pk"))
        .select_related("city")
        .prefetch_related(
            Prefetch(
                "implementations",
                queryset=Implementer.objects.select_related("project").order_by("project__name"),
            )
        )
        .order_by("name")[:200]
    )
