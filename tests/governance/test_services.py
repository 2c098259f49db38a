"""Meetings, attendance, conflicts, decisions and minutes through the services."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from governance import services
from governance.models import (
    Attendance,
    ConflictDeclaration,
    Correction,
    Decision,
    Meeting,
    MeetingPackRead,
    Minutes,
    Organisation,
)
from governance.selectors import meeting_quorum

from .conftest import attend, check_minutes, person, sign_minutes

pytestmark = pytest.mark.django_db


def test_meeting_needs_a_place_or_a_link(board, office):
    before = Meeting.objects.count()
    with pytest.raises(ValidationError) as error:
        services.meeting_create(body=board, starts_at=timezone.now(), by=office)
    assert "Anna paikka, etäkokouksen linkki tai molemmat." in str(error.value)
    assert Meeting.objects.count() == before


def test_agenda_items_are_numbered_in_order(past_meeting):
    assert list(past_meeting.items.values_list("order", flat=True)) == [1, 2, 3]
    assert past_meeting.items.get(order=2).title_fi == "Hankerahoitus: Älykäs satama"


def test_only_the_member_or_the_deputy_sits_in_a_seat(past_meeting, seats, office):
    stranger = person("Riitta", "Birkstedt")
    with pytest.raises(ValidationError) as error:
        services.attendance_record(meeting=past_meeting, seat=seats[0], person=stranger, by=office)
    assert "Paikalla voi istua vain sen jäsen tai henkilökohtainen varajäsen." in str(error.value)
    assert not Attendance.objects.filter(meeting=past_meeting).exists()


def test_leaving_before_arriving_is_refused(past_meeting, seats, office):
    items = list(past_meeting.items.all())
    with pytest.raises(ValidationError):
        services.attendance_record(
            meeting=past_meeting,
            seat=seats[0],
            person=seats[0].member,
            arrived_at_item=items[2],
            left_before_item=items[1],
            by=office,
        )
    assert not Attendance.objects.filter(meeting=past_meeting).exists()


def test_decision_refused_without_quorum_says_why(past_meeting, seats, chair_user, office):
    attend(past_meeting, seats[:4], office)  # exactly half of eight
    item = past_meeting.items.get(order=2)
    with pytest.raises(ValidationError) as error:
        services.decision_record(item=item, outcome="approved", text="Hyväksytään.", by=chair_user)
    assert "Ei päätösvaltainen: 4 paikkaa 8:sta edustettuna; tarvitaan yli puolet (5)." in str(
        error.value
    )
    assert not Decision.objects.filter(agenda_item__meeting=past_meeting).exists()
    past_meeting.refresh_from_db()
    assert past_meeting.status == Meeting.Status.PLANNED


def test_deputy_standing_in_makes_the_quorum(past_meeting, seats, chair_user, office):
    attend(past_meeting, seats[:5], office, deputy_for=[seats[4]])
    item = past_meeting.items.get(order=2)
    decision = services.decision_record(
        item=item, outcome="approved", text="Hyväksytään.", by=chair_user
    )
    assert (decision.seats_present, decision.seat_count) == (5, 8)
    assert decision.recorded_by == chair_user
    past_meeting.refresh_from_db()
    assert past_meeting.status == Meeting.Status.HELD


def test_recusal_tips_one_item_below_quorum(past_meeting, seats, chair_user, office):
    attend(past_meeting, seats[:5], office)
    item2, item3 = past_meeting.items.filter(order__in=[2, 3])
    conflicted = seats[1].member  # Juha Ala-Mursula, BusinessOulu
    services.conflict_declare(
        item=item2,
        person=conflicted,
        reason="BusinessOulu on hakijana.",
        stage=ConflictDeclaration.Stage.BEFORE_MEETING,
        by=chair_user,
    )
    quorum = meeting_quorum(past_meeting)
    assert quorum[item2.pk].present == 4 and not quorum[item2.pk].quorate
    assert quorum[item3.pk].present == 5
    with pytest.raises(ValidationError):
        services.decision_record(item=item2, outcome="approved", text="x", by=chair_user)
    services.decision_record(item=item3, outcome="rejected", text="Hylätään.", by=chair_user)


def test_a_proposed_conflict_counts_only_when_confirmed(past_meeting, seats, office):
    attend(past_meeting, seats[:5], office)
    item = past_meeting.items.get(order=2)
    oulu = Organisation.objects.get(name="BusinessOulu")
    suggested = services.conflict_suggestions(item=item, applicant_org_ids=[oulu.pk])
    assert {p.full_name for p in suggested} == {"Juha Ala-Mursula", "Aarne Kultalahti"}
    assert services.conflict_suggestions(item=item, applicant_org_ids=[]) == []
    proposal = services.conflict_propose(
        item=item, person=suggested[0], reason="Organisaatio hakee.", by=office
    )
    assert not proposal.confirmed
    assert meeting_quorum(past_meeting)[item.pk].present == 5
    confirmed = services.conflict_declare(
        item=item,
        person=proposal.person,
        reason=proposal.reason,
        stage=ConflictDeclaration.Stage.BEFORE_MEETING,
        by=office,
    )
    assert confirmed.pk == proposal.pk and confirmed.confirmed
    assert ConflictDeclaration.objects.filter(agenda_item=item).count() == 1


def test_decision_on_a_meeting_not_started_is_refused(board, office, chair_user, seats):
    meeting = services.meeting_create(
        body=board, starts_at=timezone.now() + timedelta(days=3), place="Tampere", by=office
    )
    item = services.agenda_item_add(meeting=meeting, title="Asia", by=office)
    attend(meeting, seats, office)
    with pytest.raises(ValidationError) as error:
        services.decision_record(item=item, outcome="approved", text="x", by=chair_user)
    assert "Kokous ei ole vielä alkanut." in str(error.value)


def test_conditions_only_with_a_conditional_approval(past_meeting, seats, chair_user, office):
    attend(past_meeting, seats, office)
    item = past_meeting.items.get(order=2)
    with pytest.raises(ValidationError):
        services.decision_record(
            item=item, outcome="approved_with_conditions", text="x", by=chair_user
        )
    with pytest.raises(ValidationError):
        services.decision_record(
            item=item, outcome="rejected", text="x", conditions="ehto", by=chair_user
        )
    assert not Decision.objects.filter(agenda_item__meeting=past_meeting).exists()
    decision = services.decision_record(
        item=item,
        outcome="approved_with_conditions",
        text="Hyväksytään ehdoin.",
        conditions="Budjetti tarkennetaan.",
        by=chair_user,
    )
    assert decision.conditions == "Budjetti tarkennetaan."


def decide_all(meeting, by):
    for item in meeting.items.all():
        services.decision_record(item=item, outcome="approved", text=f"Päätös {item.order}", by=by)


def test_minutes_need_every_item_decided(past_meeting, seats, chair_user, office):
    attend(past_meeting, seats, office)
    services.decision_record(
        item=past_meeting.items.get(order=1), outcome="approved", text="x", by=chair_user
    )
    with pytest.raises(ValidationError) as error:
        services.minutes_draft(meeting=past_meeting, by=office)
    assert "§ 2, § 3" in str(error.value)
    assert not Minutes.objects.filter(meeting=past_meeting).exists()


def test_minutes_workflow_locks_the_record(past_meeting, seats, chair_user, office):
    attend(past_meeting, seats, office)
    decide_all(past_meeting, chair_user)
    minutes = services.minutes_draft(meeting=past_meeting, by=office)
    with pytest.raises(ValidationError):
        services.minutes_approve(minutes=minutes, by=office)  # not checked yet
    minutes = check_minutes(minutes, office)
    item = past_meeting.items.get(order=2)
    with pytest.raises(ValidationError):
        services.decision_record(item=item, outcome="rejected", text="x", by=chair_user)
    minutes = services.minutes_approve(minutes=sign_minutes(minutes), by=office)
    assert minutes.is_locked and minutes.approved_by == office
    past_meeting.refresh_from_db()
    assert past_meeting.status == Meeting.Status.MINUTES_APPROVED

    for change in (
        lambda: services.decision_record(item=item, outcome="rejected", text="x", by=chair_user),
        lambda: services.attendance_record(
            meeting=past_meeting, seat=seats[0], person=seats[0].member, present=False, by=office
        ),
        lambda: services.conflict_declare(
            item=item, person=seats[0].member, reason="x", stage="at_item", by=office
        ),
        lambda: services.agenda_item_add(meeting=past_meeting, title="Uusi", by=office),
        lambda: services.minutes_notes_update(minutes=minutes, notes="x", by=office),
        lambda: services.minutes_check(minutes=minutes, by=chair_user),
        lambda: services.minutes_checkers_choose(meeting=past_meeting, people=[], by=office),
    ):
        with pytest.raises(ValidationError):
            change()
    assert Decision.objects.get(agenda_item=item).outcome == "approved"
    assert not Attendance.objects.filter(meeting=past_meeting, present=False).exists()

    correction = services.minutes_correct(
        minutes=minutes, item=item, text="Päätöksen kirjoitusvirhe korjattu.", by=office
    )
    assert list(Correction.objects.filter(minutes=minutes)) == [correction]
    assert correction.made_by == office and correction.made_at


def test_correcting_draft_minutes_is_refused(past_meeting, seats, chair_user, office):
    attend(past_meeting, seats, office)
    decide_all(past_meeting, chair_user)
    minutes = services.minutes_draft(meeting=past_meeting, by=office)
    with pytest.raises(ValidationError):
        services.minutes_correct(minutes=minutes, text="x", by=office)
    assert not Correction.objects.filter(minutes=minutes).exists()


def test_pack_read_is_recorded_once(past_meeting):
    reader = person("Kimmo", "Viljamaa")
    past_meeting.starts_at = timezone.now() + timedelta(days=1)
    past_meeting.save(update_fields=["starts_at"])
    first = services.meeting_pack_read_mark(meeting=past_meeting, person=reader)
    again = services.meeting_pack_read_mark(meeting=past_meeting, person=reader)
    assert first.pk == again.pk and first.read_at == again.read_at


def test_pack_of_a_past_meeting_cannot_be_marked_read(past_meeting):
    reader = person("Kimmo", "Viljamaa")
    past_meeting.starts_at = timezone.now() - timedelta(days=2)
    past_meeting.save(update_fields=["starts_at"])
    with pytest.raises(ValidationError, match="päättynyt"):
        services.meeting_pack_read_mark(meeting=past_meeting, person=reader)
    assert not MeetingPackRead.objects.filter(meeting=past_meeting).exists()


def test_meeting_quorum_query_count_does_not_grow(
    past_meeting, seats, chair_user, office, django_assert_num_queries
):
    attend(past_meeting, seats[:3], office)
    with django_assert_num_queries(4):
        small = meeting_quorum(past_meeting)
    for i in range(10):
        services.agenda_item_add(meeting=past_meeting, title=f"Lisäasia {i}", by=office)
    attend(past_meeting, seats[3:], office, deputy_for=[s for s in seats[3:] if s.deputy])
    with django_assert_num_queries(4):
        large = meeting_quorum(past_meeting)
    assert len(small) == 3 and len(large) == 13


def test_meeting_page_counts_the_quorum_as_meeting_quorum_does(past_meeting, seats, office):
    """The page counts the quorum from the rows it reads for itself: late arrivals, early
    departures, a deputy standing in, a confirmed conflict and a proposal not confirmed."""
    from governance.selectors import meeting_page

    item1, item2, item3 = past_meeting.items.order_by("order")
    attend(past_meeting, seats[2:5], office, deputy_for=[seats[4]])
    services.attendance_record(
        meeting=past_meeting,
        seat=seats[0],
        person=seats[0].member,
        arrived_at_item=item2,
        by=office,
    )
    services.attendance_record(
        meeting=past_meeting,
        seat=seats[1],
        person=seats[1].member,
        left_before_item=item3,
        by=office,
    )
    services.attendance_record(
        meeting=past_meeting, seat=seats[5], person=seats[5].member, present=False, by=office
    )
    services.conflict_declare(
        item=item2, person=seats[2].member, reason="Hakija", stage="at_item", by=office
    )
    services.conflict_propose(item=item3, person=seats[3].member, reason="Hakija?", by=office)
    meeting = Meeting.objects.select_related("body").get(pk=past_meeting.pk)
    page = meeting_page(meeting)
    expected = meeting_quorum(meeting)
    assert page.quorum == expected
    assert {item.pk: item.quorum for item in page.items} == expected
    # item 1: four seats, one of them the deputy's (seats[0] arrives only at item 2); item 2:
    # seats[0] has arrived, seats[2]'s member steps aside; item 3: seats[1] has left, and the
    # proposal not confirmed takes nobody out
    assert [expected[i.pk].present for i in (item1, item2, item3)] == [4, 4, 4]
    assert [a.seat for a in page.attendances if not a.present] == [seats[5]]
    assert seats[5] in page.absent_seats and seats[4] in page.absent_seats


@pytest.mark.parametrize("extra_items", [0, 12])
def test_meeting_page_query_count_does_not_grow(
    past_meeting, seats, chair_user, office, django_assert_num_queries, extra_items
):
    from governance.selectors import meeting_page

    for i in range(extra_items):
        services.agenda_item_add(meeting=past_meeting, title=f"Lisäasia {i}", by=office)
    attend(past_meeting, seats, office, deputy_for=[s for s in seats[3:] if s.deputy])
    for item in past_meeting.items.all():
        services.conflict_declare(
            item=item, person=seats[1].member, reason="Hakija", stage="at_item", by=office
        )
        services.decision_record(item=item, outcome="amended", text="x", by=chair_user)
    services.minutes_draft(meeting=past_meeting, by=office)
    meeting = Meeting.objects.select_related("body").get(pk=past_meeting.pk)
    # items, conflicts, dissents, the body's seats, attendances, minutes, corrections, checkers
    # (the quorum and who chairs each item are counted from these rows)
    with django_assert_num_queries(8):
        page = meeting_page(meeting)
    assert len(page.items) == 3 + extra_items
    assert all(item.quorum.present == 7 for item in page.items)
    assert {item.pk: item.quorum for item in page.items} == meeting_quorum(meeting)
    # what the page and the minutes show of each attendance is read already
    with django_assert_num_queries(0):
        shown = [
            (a.person.full_name, a.person.organisation, a.seat.member, a.seat.deputy, a.is_deputy)
            + (a.arrived_at_item, a.left_before_item)
            for a in page.attendances
        ]
    assert len(shown) == len(page.attendances) > 0
