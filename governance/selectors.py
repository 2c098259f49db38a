"""Reads for governance pages: each function is the whole query plan of a page."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from core.page_cache import shared_data
from core.prepared import Prepared
from core.translated import Translated

from .chairing import chair_at_item, chair_order
from .models import (
    VOTING_ROLES,
    AgendaItem,
    Attendance,
    Body,
    City,
    ConflictDeclaration,
    Correction,
    Decision,
    Dissent,
    Meeting,
    MeetingPackRead,
    Minutes,
    MinutesChecker,
    Seat,
)
from .permissions import BODY_NAME_COLUMNS, SeatHeld
from .quorum import Presence, QuorumResult, QuorumRule, quorum_at_item


def bodies_with_seats() -> QuerySet[Body]:
    """Both bodies with their seats, members, deputies and organisations: two queries."""
    seats = Seat.objects.select_related(
        "member__organisation", "deputy__organisation", "organisation"
    ).order_by("order")
    return Body.objects.prefetch_related(Prefetch("seats", queryset=seats)).order_by("order")


# Which meetings' packs a person has read (a few a year): compiled once, read on every meeting
# page a member opens (core/prepared.py).
_PACKS_READ = Prepared(
    lambda person_id, columns: MeetingPackRead.objects.filter(person_id=person_id).values_list(
        *columns
    ),
    "meeting_id",
)


def pack_read(*, person_id: int, meeting: Meeting) -> bool:
    """Whether the person has marked the meeting's pack read: one query."""
    return any(meeting_id == meeting.pk for (meeting_id,) in _PACKS_READ.rows(person_id))


class CityName(NamedTuple):
    pk: int
    name: str  # in the active language


def city_names(city_ids: Iterable[int]) -> list[CityName]:
    """The cities of ``city_ids`` by their order, named in the active language: one query of
    plain rows (no model instances, no modeltranslation pass per row)."""
    ids = list(city_ids)
    if not ids:
        return []
    name = Translated(City, "name")
    return [
        CityName(pk, name.value(names))
        for pk, *names in City.objects.rewrite(False)
        .filter(pk__in=ids)
        .order_by("order", "slug")
        .values_list("pk", *name.columns())
    ]


class SeatLine(NamedTuple):
    """A seat the user holds, as the home page lists it, in the active language."""

    body: str
    role: str  # the label
    as_member: bool
    member: str  # the member's name (the user is their personal deputy unless ``as_member``)


def seat_lines(seats: Iterable[SeatHeld]) -> list[SeatLine]:
    """The user's seats (``permissions.seats_held``: read with the access checks, no query of
    their own), by the body's order and the seat's."""
    name = Translated(Body, "name")
    picked = [BODY_NAME_COLUMNS.index(column) for column in name.columns()]
    roles = dict(Seat.Role.choices)
    return [
        SeatLine(
            body=name.value([seat.body_names[i] for i in picked]),
            role=str(roles.get(seat.role, seat.role)),
            as_member=seat.as_member,
            member=seat.member_name,
        )
        for seat in sorted(seats, key=lambda seat: seat.order)
    ]


@dataclass(frozen=True)
class ItemRecord:
    """What the procedure needs to know at one item: quorum, who chairs, who has stepped aside."""

    quorum: QuorumResult
    chair_id: int | None
    recused_person_ids: frozenset[int]
    open_conflict_names: tuple[str, ...]
    present_person_ids: frozenset[int]


def meeting_quorum(meeting: Meeting) -> dict[int, QuorumResult]:
    """Quorum at every item of a meeting, keyed by item id: four queries whatever the size."""
    return {item_id: record.quorum for item_id, record in meeting_record(meeting).items()}


def item_record(item: AgendaItem) -> ItemRecord:
    return meeting_record(item.meeting)[item.pk]


def meeting_record(meeting: Meeting) -> dict[int, ItemRecord]:
    """Quorum, chair and conflicts at every item of a meeting, keyed by item id: four queries."""
    seats = list(Seat.objects.filter(body_id=meeting.body_id, role__in=VOTING_ROLES))
    seat_ids = [seat.pk for seat in seats]
    presences = [
        Presence(
            seat_id=a["seat_id"],
            person_id=a["person_id"],
            present=a["present"],
            arrived_at=a["arrived_at_item__order"],
            left_before=a["left_before_item__order"],
        )
        for a in Attendance.objects.filter(meeting=meeting).values(
            "seat_id", "person_id", "present", "arrived_at_item__order", "left_before_item__order"
        )
    ]
    recused: dict[int, set[int]] = {}
    open_names: dict[int, list[str]] = {}
    item_orders = list(AgendaItem.objects.filter(meeting=meeting).values_list("pk", "order"))
    orders = dict(item_orders)
    for item_id, person_id, confirmed, dismissed, first, last in ConflictDeclaration.objects.filter(
        agenda_item__meeting=meeting
    ).values_list(
        "agenda_item_id",
        "person_id",
        "confirmed",
        "dismissed",
        "person__first_name",
        "person__last_name",
    ):
        if confirmed:
            recused.setdefault(item_id, set()).add(person_id)
        elif not dismissed and any(
            p.person_id == person_id and p.at(orders[item_id]) for p in presences
        ):
            # Open, and the person sits at the item: the meeting must decide it first. (A
            # proposal for someone not there, e.g. a deputy whose member attends, waits.)
            open_names.setdefault(item_id, []).append(f"{first} {last}")
    quorum = _quorum_by_item(meeting, seat_ids, presences, recused, item_orders)
    chairs = _chairs_by_item(seats, presences, recused, item_orders)
    return {
        item_id: ItemRecord(
            quorum=quorum[item_id],
            chair_id=chairs[item_id],
            recused_person_ids=frozenset(recused.get(item_id, ())),
            open_conflict_names=tuple(open_names.get(item_id, ())),
            present_person_ids=frozenset(
                p.person_id
                for p in presences
                if p.at(order) and p.person_id not in recused.get(item_id, ())
            ),
        )
        for item_id, order in item_orders
    }


def _chairs_by_item(
    seats: Iterable[Seat],
    presences: list[Presence],
    recused: dict[int, set[int]],
    item_orders: Iterable[tuple[int, int]],
) -> dict[int, int | None]:
    candidates = chair_order(seats)
    return {
        item_id: chair_at_item(
            candidates=candidates,
            presences=presences,
            item_order=order,
            recused_person_ids=recused.get(item_id, ()),
        )
        for item_id, order in item_orders
    }


def _quorum_by_item(
    meeting: Meeting,
    seat_ids: list[int],
    presences: list[Presence],
    recused: dict[int, set[int]],
    item_orders: Iterable[tuple[int, int]],
) -> dict[int, QuorumResult]:
    rule = QuorumRule(
        numerator=meeting.body.quorum_numerator,
        denominator=meeting.body.quorum_denominator,
        minimum=meeting.body.quorum_minimum,
    )
    return {
        item_id: quorum_at_item(
            rule=rule,
            seat_ids=seat_ids,
            presences=presences,
            item_order=order,
            recused_person_ids=recused.get(item_id, ()),
        )
        for item_id, order in item_orders
    }


def meetings_list(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """Meetings with their body, minutes and number of items: one query."""
    return (
        meetings.select_related("body", "minutes")
        .annotate(item_count=Count("items", distinct=True))
        .order_by("-starts_at")
    )


@dataclass
class MeetingPage:
    meeting: Meeting
    items: list[AgendaItem]
    attendances: list[Attendance]
    absent_seats: list[Seat]
    quorum: dict[int, QuorumResult]
    minutes: Minutes | None
    corrections: list[Correction]
    checkers: list[MinutesChecker]


def meeting_page(meeting: Meeting) -> MeetingPage:
    """Everything a meeting page, the minutes and the PDFs show; a fixed number of queries, none
    while it is kept.

    Each item carries ``.quorum`` and ``.conflict_list`` (confirmed and proposed declarations).
    What it holds is the meeting's and its body's, the same for everybody who may see the
    meeting (the callers decide that first): it is kept until governance's data changes
    (core.page_cache.shared_data; compiling its queries was half the page's CPU, issue 19).
    Whether the meeting has started is part of the key: its checkers are read only then.
    """
    started = meeting.starts_at <= timezone.now()
    page = shared_data(
        ("governance",),
        lambda: _meeting_page(meeting),
        what=f"governance:meeting-page:{meeting.pk}:{started}",
    )
    page.meeting = meeting
    return page


def _meeting_page(meeting: Meeting) -> MeetingPage:
    conflicts = ConflictDeclaration.objects.select_related("person__organisation").order_by(
        "person__last_name"
    )
    items = list(
        meeting.items.select_related("presenter", "decision")
        .prefetch_related(
            Prefetch("conflicts", queryset=conflicts, to_attr="conflict_list"),
            Prefetch(
                "decision__dissents",
                queryset=Dissent.objects.select_related("person").order_by("person__last_name"),
            ),
        )
        .order_by("order")
    )
    # The body's seats and the meeting's items, read once, stand for the attendances' seats and
    # items: joining them into the attendances' query costs PostgreSQL more to plan than to run,
    # and the ORM more to compile than these assignments.
    seats = {
        seat.pk: seat
        for seat in Seat.objects.filter(body_id=meeting.body_id)
        .select_related("member", "deputy")
        .order_by("order")
    }
    voting_seats = [seat for seat in seats.values() if seat.role in VOTING_ROLES]
    items_by_pk = {item.pk: item for item in items}
    attendances = list(
        meeting.attendances.select_related("person__organisation").order_by(
            "seat__order", "-present", "person__last_name"
        )
    )
    for a in attendances:
        # An attendance sits in a seat of the meeting's body and refers to the meeting's own
        # items (Attendance.clean); were one not to, its seat or item is read when it is used.
        if a.seat_id in seats:
            a.seat = seats[a.seat_id]
        if a.arrived_at_item_id in items_by_pk:
            a.arrived_at_item = items_by_pk[a.arrived_at_item_id]
        if a.left_before_item_id in items_by_pk:
            a.left_before_item = items_by_pk[a.left_before_item_id]
    # The quorum from the rows just read (what meeting_record reads in queries of its own).
    presences = [
        Presence(
            seat_id=a.seat_id,
            person_id=a.person_id,
            present=a.present,
            arrived_at=a.arrived_at_item.order if a.arrived_at_item else None,
            left_before=a.left_before_item.order if a.left_before_item else None,
        )
        for a in attendances
    ]
    recused = {item.pk: {c.person_id for c in item.conflict_list if c.confirmed} for item in items}
    item_orders = [(item.pk, item.order) for item in items]
    quorum = _quorum_by_item(
        meeting,
        seat_ids=[seat.pk for seat in voting_seats],
        presences=presences,
        recused=recused,
        item_orders=item_orders,
    )
    chairs = _chairs_by_item(voting_seats, presences, recused, item_orders)
    members = {seat.member_id: seat.member for seat in voting_seats if seat.member_id}
    voting_seat_ids = {seat.pk for seat in voting_seats}
    for item in items:
        item.quorum = quorum[item.pk]
        item.chair = members.get(chairs[item.pk])
        sitting = {p.person_id for p in presences if p.at(item.order)}
        item.open_conflicts = [
            c for c in item.conflict_list if c.is_open and c.person_id in sitting
        ]
        # Who took part in the item (and so may dissent): present in a voting seat, not aside.
        item.participants = {
            a.person_id: a.person
            for a, presence in zip(attendances, presences, strict=True)
            if a.seat_id in voting_seat_ids
            and presence.at(item.order)
            and a.person_id not in recused[item.pk]
        }
    # A member is absent when not present themselves, even if their deputy stands in.
    present_people = {(a.seat_id, a.person_id) for a in attendances if a.present}
    absent_seats = [
        seat
        for seat in voting_seats
        if seat.member_id is not None and (seat.pk, seat.member_id) not in present_people
    ]
    minutes = Minutes.objects.filter(meeting=meeting).first()
    corrections = (
        list(minutes.corrections.select_related("agenda_item", "made_by")) if minutes else []
    )
    # Chosen at the meeting (before its minutes exist): none before it starts.
    checkers = (
        list(meeting.minutes_checkers.select_related("person"))
        if minutes is not None or meeting.starts_at <= timezone.now()
        else []
    )
    return MeetingPage(
        meeting=meeting,
        items=items,
        attendances=attendances,
        absent_seats=absent_seats,
        quorum=quorum,
        minutes=minutes,
        corrections=corrections,
        checkers=checkers,
    )


def next_meeting(meetings: QuerySet[Meeting]) -> Meeting | None:
    """The next meeting that has not been held, among those given (today's included)."""
    start_of_today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return (
        meetings.filter(starts_at__gte=start_of_today, status=Meeting.Status.PLANNED)
        .select_related("body")
        .order_by("starts_at")
        .first()
    )


def decision_register(
    decisions: QuerySet[Decision],
    *,
    q: str = "",
    body: Body | None = None,
    outcome: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Decision]:
    """The public register, filtered; newest meeting first. One query per page of results."""
    if q:
        decisions = decisions.filter(
            Q(agenda_item__title__icontains=q)
            | Q(text__icontains=q)
            | Q(conditions__icontains=q)
            | Q(agenda_item__description__icontains=q)
        )
    if body is not None:
        decisions = decisions.filter(agenda_item__meeting__body=body)
    if outcome:
        decisions = decisions.filter(outcome=outcome)
    if date_from:
        decisions = decisions.filter(agenda_item__meeting__starts_at__date__gte=date_from)
    if date_to:
        decisions = decisions.filter(agenda_item__meeting__starts_at__date__lte=date_to)
    return decisions.select_related("agenda_item__meeting__body", "chaired_by").order_by(
        "-agenda_item__meeting__starts_at", "agenda_item__order"
    )


def next_board_meeting() -> Meeting | None:
    """The board's next meeting, as the public home page names it (its body and time only)."""
    return next_meeting(Meeting.objects.filter(body__kind=Body.Kind.BOARD))


def latest_decisions(decisions: QuerySet[Decision], *, limit: int) -> list[Decision]:
    """The newest ``limit`` decisions among those given, with their meeting and body: one query."""
    return list(decision_register(decisions)[:limit])


def decision_register_page(decisions: QuerySet[Decision]) -> QuerySet[Decision]:
    """What the register page shows beside each decision: its dissents and the confirmed
    conflicts on its item, two queries per page of results."""
    confirmed = ConflictDeclaration.objects.filter(confirmed=True).select_related("person")
    return decisions.prefetch_related(
        Prefetch("dissents", queryset=Dissent.objects.select_related("person")),
        Prefetch("agenda_item__conflicts", queryset=confirmed, to_attr="confirmed_conflicts"),
    )


def meeting_chair(meeting: Meeting) -> int | None:
    """The id of the person who chaired the meeting: whoever chaired its first item."""
    record = meeting_record(meeting)
    first = meeting.items.order_by("order").values_list("pk", flat=True).first()
    return record[first].chair_id if first in record else None
