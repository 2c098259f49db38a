"""Reads for governance pages: each function is the whole query plan of a page."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from .models import (
    VOTING_ROLES,
    AgendaItem,
    Attendance,
    Body,
    ConflictDeclaration,
    Correction,
    Decision,
    Meeting,
    Minutes,
    Seat,
)
from .quorum import Presence, QuorumResult, QuorumRule, quorum_at_item


def bodies_with_seats() -> QuerySet[Body]:
    """Both bodies with their seats, members, deputies and organisations: two queries."""
    seats = Seat.objects.select_related(
        "member__organisation", "deputy__organisation", "organisation"
    ).order_by("order")
    return Body.objects.prefetch_related(Prefetch("seats", queryset=seats)).order_by("order")


def seats_of_person(person_id: int) -> QuerySet[Seat]:
    """Seats a person holds as member or as deputy."""
    return (
        Seat.objects.filter(Q(member_id=person_id) | Q(deputy_id=person_id))
        .select_related("body", "member", "deputy")
        .order_by("body__order", "order")
    )


def meeting_quorum(meeting: Meeting) -> dict[int, QuorumResult]:
    """Quorum at every item of a meeting, keyed by item id: four queries whatever the size."""
    seat_ids = list(
        Seat.objects.filter(body_id=meeting.body_id, role__in=VOTING_ROLES).values_list(
            "pk", flat=True
        )
    )
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
    for item_id, person_id in ConflictDeclaration.objects.filter(
        agenda_item__meeting=meeting, confirmed=True
    ).values_list("agenda_item_id", "person_id"):
        recused.setdefault(item_id, set()).add(person_id)
    item_orders = AgendaItem.objects.filter(meeting=meeting).values_list("pk", "order")
    return _quorum_by_item(meeting, seat_ids, presences, recused, item_orders)


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


def meeting_page(meeting: Meeting) -> MeetingPage:
    """Everything a meeting page, the minutes and the PDFs show; a fixed number of queries.

    Each item carries ``.quorum`` and ``.conflict_list`` (confirmed and proposed declarations).
    """
    conflicts = ConflictDeclaration.objects.select_related("person__organisation").order_by(
        "person__last_name"
    )
    items = list(
        meeting.items.select_related("presenter", "decision")
        .prefetch_related(Prefetch("conflicts", queryset=conflicts, to_attr="conflict_list"))
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
    # The quorum from the rows just read (what meeting_quorum reads in four queries of its own).
    quorum = _quorum_by_item(
        meeting,
        seat_ids=[seat.pk for seat in voting_seats],
        presences=[
            Presence(
                seat_id=a.seat_id,
                person_id=a.person_id,
                present=a.present,
                arrived_at=a.arrived_at_item.order if a.arrived_at_item else None,
                left_before=a.left_before_item.order if a.left_before_item else None,
            )
            for a in attendances
        ],
        recused={
            item.pk: {c.person_id for c in item.conflict_list if c.confirmed} for item in items
        },
        item_orders=[(item.pk, item.order) for item in items],
    )
    for item in items:
        item.quorum = quorum[item.pk]
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
    return MeetingPage(
        meeting=meeting,
        items=items,
        attendances=attendances,
        absent_seats=absent_seats,
        quorum=quorum,
        minutes=minutes,
        corrections=corrections,
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
    return decisions.select_related("agenda_item__meeting__body").order_by(
        "-agenda_item__meeting__starts_at", "agenda_item__order"
    )


def next_board_meeting() -> Meeting | None:
    """The board's next meeting, as the public home page names it (its body and time only)."""
    return next_meeting(Meeting.objects.filter(body__kind=Body.Kind.BOARD))


def latest_decisions(decisions: QuerySet[Decision], *, limit: int) -> list[Decision]:
    """The newest ``limit`` decisions among those given, with their meeting and body: one query."""
    return list(decision_register(decisions)[:limit])
