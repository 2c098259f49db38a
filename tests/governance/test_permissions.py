"""Who may change a meeting's record, tried with POSTs as each role would send them; and a
deputy called in acting as the member would, at that meeting only."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from calls import demo as calls_demo
from calls import services as calls_services
from calls.models import Application
from governance import services
from governance.demo import meetings_demo_load
from governance.models import (
    Attendance,
    ConflictDeclaration,
    Decision,
    MeetingPackRead,
    Minutes,
    Seat,
)
from governance.roles import Role

from .conftest import attend, check_minutes

pytestmark = pytest.mark.django_db

# Roles that may not: a coordinator, a funder, the steering group, and a plain board member where
# only the one who presides (or the office, as secretary) may.
NOT_THE_CHAIR = ["koordinaattori-helsinki", "rahoittaja", "ohjausryhma", "johtoryhma"]


@pytest.fixture
def live(board, office, seats):
    """A board meeting in session, every member present, one item decided and all but its last
    item open; and one whose minutes are checked, waiting for approval."""
    meeting = services.meeting_create(
        body=board, starts_at=timezone.now() - timedelta(minutes=30), place="Oulu", by=office
    )
    for title in ("Avaus", "Rahoitusesitys"):
        services.agenda_item_add(
            meeting=meeting, title=title, draft_decision="Puolletaan.", by=office
        )
    attend(meeting, seats, office)
    return meeting


@pytest.fixture
def checked(board, office, seats, chair_user):
    meeting = services.meeting_create(
        body=board, starts_at=timezone.now() - timedelta(days=2), place="Oulu", by=office
    )
    item = services.agenda_item_add(meeting=meeting, title="Avaus", by=office)
    attend(meeting, seats, office)
    services.decision_record(item=item, outcome="amended", text="Avattiin.", by=chair_user)
    minutes = services.minutes_draft(meeting=meeting, by=office)
    return check_minutes(minutes, office)


def _decision_data(item):
    return {f"item{item.pk}-outcome": "approved", f"item{item.pk}-text": "Puolletaan."}


def _attendance_data(meeting, seats, absent=()):
    return {
        f"seat{s.pk}-attending": "absent" if s in absent else "member"
        for s in seats
        if s.body_id == meeting.body_id
    }


def test_only_the_chair_records_a_decision(client_as, live):
    item = live.items.get(order=1)
    url = reverse("meetings:item_decision", args=[live.pk, item.pk])
    for username in [*NOT_THE_CHAIR, "toimisto"]:
        response = client_as(username).post(url, _decision_data(item))
        assert response.status_code == 403, username
    assert not Decision.objects.filter(agenda_item=item).exists()
    assert Client().post(url, _decision_data(item)).status_code == 302  # to the login
    response = client_as("johtoryhma-pj").post(url, _decision_data(item))
    assert response.status_code == 302
    assert Decision.objects.get(agenda_item=item).recorded_by.username == "johtoryhma-pj"


def test_only_the_chair_and_the_office_record_attendance(client_as, live, seats):
    url = reverse("meetings:attendance", args=[live.pk])
    osenius = next(s for s in seats if s.member.last_name == "Osenius")
    data = _attendance_data(live, seats, absent=[osenius])
    for username in NOT_THE_CHAIR:
        assert client_as(username).post(url, data).status_code == 403, username
    assert Attendance.objects.get(meeting=live, seat=osenius).present  # unchanged
    for username in ("johtoryhma-pj", "toimisto"):
        assert client_as(username).post(url, data).status_code == 302, username
    assert not Attendance.objects.get(meeting=live, seat=osenius).present


def test_only_the_chair_signs_and_only_the_office_approves_the_minutes(client_as, checked):
    url = reverse("meetings:minutes_action", args=[checked.meeting_id])
    for username in [*NOT_THE_CHAIR, "toimisto", "johtoryhma-vpj"]:
        response = client_as(username).post(url, {"action": "sign"})
        assert response.status_code == 403, username
    for username in [*NOT_THE_CHAIR, "johtoryhma-pj"]:
        response = client_as(username).post(url, {"action": "approve"})
        assert response.status_code == 403, username
    checked.refresh_from_db()
    assert checked.state == Minutes.State.CHECKED
    assert client_as("johtoryhma-pj").post(url, {"action": "sign"}).status_code == 302
    checked.refresh_from_db()
    assert checked.state == Minutes.State.SIGNED
    assert client_as("toimisto").post(url, {"action": "approve"}).status_code == 302
    checked.refresh_from_db()
    assert checked.state == Minutes.State.APPROVED


def _user_for(person, role=None):
    user = get_user_model().objects.create_user(
        f"{person.first_name}-{person.last_name}".lower().replace(" ", "-"),
        password="x-unused-9876",
    )
    if role:
        services.user_role_grant(user=user, role=role)
    person.user = user
    person.save(update_fields=["user"])
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_a_deputy_standing_in_acts_as_the_member_would(client_as, demo_users, seats):
    """Santtu von Bruun stands in for Marja-Leena Rinkineva, with an account that holds no role:
    he reads the meeting and its proposals with their evaluation, marks the pack read and
    declares his own conflict, as she would; the record names him as her deputy."""
    demo = meetings_demo_load()
    meeting = demo.today  # in progress: the next meeting of the board
    item = meeting.items.get(order=2)
    application = Application.objects.get(title=calls_demo.DEMO_IDEA)
    calls_services.application_agenda_item_attach(
        application=application, item=item, by=demo_users["toimisto"]
    )
    rinkineva = next(s for s in seats if s.member.last_name == "Rinkineva")
    deputy = _user_for(rinkineva.deputy)
    services.seat_attendance_set(
        meeting=meeting, seat=rinkineva, attending=rinkineva.deputy, by=demo_users["toimisto"]
    )

    page = deputy.get(reverse("meetings:next"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Rahoitusesitys: Talven 2026 haun hakemukset" in html
    assert "Hakemukset ja niiden arviointi" in html and calls_demo.DEMO_IDEA in html
    assert deputy.get(reverse("calls:application", args=[application.pk])).status_code == 200
    assert deputy.post(reverse("meetings:pack_read", args=[meeting.pk])).status_code == 302
    assert MeetingPackRead.objects.filter(meeting=meeting, person=rinkineva.deputy).exists()
    response = deputy.post(
        reverse("meetings:conflict_declare", args=[meeting.pk, item.pk]),
        {"reason": "Helsingin kaupunki hakee rahoitusta."},
    )
    assert response.status_code == 302
    assert ConflictDeclaration.objects.get(agenda_item=item, person=rinkineva.deputy).confirmed
    # As a member would not, he does not record decisions or attendance.
    assert deputy.post(reverse("meetings:attendance", args=[meeting.pk]), {}).status_code == 403


def test_with_the_chair_away_the_vice_chair_chairs_not_the_chairs_deputy(
    client_as, live, office, seats
):
    """Tuula Antola is away and her personal deputy Pia Wollsten sits in her seat: she sits as a
    member, and the vice-chair Pekka Sundman chairs and records the decisions, at that meeting
    only."""
    chair_seat = next(s for s in seats if s.role == Seat.Role.CHAIR)
    deputy = _user_for(chair_seat.deputy, role=Role.BOARD)
    item = live.items.get(order=1)
    url = reverse("meetings:item_decision", args=[live.pk, item.pk])
    vice = client_as("johtoryhma-vpj")
    assert vice.post(url, _decision_data(item)).status_code == 403  # the chair is there
    services.seat_attendance_set(
        meeting=live, seat=chair_seat, attending=chair_seat.deputy, by=office
    )
    assert deputy.post(url, _decision_data(item)).status_code == 403
    assert client_as("johtoryhma-pj").post(url, _decision_data(item)).status_code == 403
    page = vice.get(reverse("meetings:detail", args=[live.pk])).content.decode()
    assert f'name="item{item.pk}-outcome"' in page
    assert "Puhetta johtaa: Pekka Sundman" in page
    assert reverse("meetings:attendance", args=[live.pk]) in page
    assert vice.post(url, _decision_data(item)).status_code == 302
    decision = Decision.objects.get(agenda_item=item)
    assert decision.recorded_by.username == "johtoryhma-vpj" and decision.seats_present == 8
    assert decision.chaired_by.last_name == "Sundman"
    # Another meeting, where the chair is there: the vice-chair does not record.
    other = services.meeting_create(
        body=live.body, starts_at=timezone.now() - timedelta(hours=3), place="Oulu", by=office
    )
    other_item = services.agenda_item_add(
        meeting=other, title="Avaus", draft_decision="Avataan.", by=office
    )
    attend(other, seats, office)
    response = vice.post(
        reverse("meetings:item_decision", args=[other.pk, other_item.pk]),
        _decision_data(other_item),
    )
    assert response.status_code == 403
    assert not Decision.objects.filter(agenda_item=other_item).exists()


@pytest.mark.django_db
def test_the_user_s_person_is_read_by_one_prepared_query_and_kept_on_the_user(
    demo_users, django_assert_num_queries
):
    from core.access import forget_access
    from governance.models import Person
    from governance.permissions import person_of

    user = get_user_model().objects.get(username="johtoryhma-pj")
    with django_assert_num_queries(1):
        person = person_of(user)
        assert user.person is person  # kept, as Django's reverse accessor keeps it
    stored = Person.objects.get(user=user)
    assert [getattr(person, f.attname) for f in Person._meta.concrete_fields] == [
        getattr(stored, f.attname) for f in Person._meta.concrete_fields
    ]
    forget_access(user)
    with django_assert_num_queries(0):
        assert person_of(user) is person
    nobody = get_user_model().objects.create_user("ei-henkiloa")
    assert person_of(nobody) is None


@pytest.mark.django_db
def test_a_meeting_and_its_body_are_read_by_one_prepared_query_as_the_orm_reads_them(
    demo_users, django_assert_num_queries
):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404
    from django.utils import translation

    from governance.models import Body, Meeting
    from governance.permissions import meeting_for_user

    meetings_demo_load()
    chair = demo_users["johtoryhma-pj"]
    board = Meeting.objects.filter(body__kind=Body.Kind.BOARD).select_related("body")
    assert board
    meeting_for_user(chair, board[0].pk)  # the chair's roles and seats, read once per request
    for stored in board:
        with django_assert_num_queries(1):
            meeting = meeting_for_user(chair, stored.pk)
            body = meeting.body  # read with the meeting
        for model, read, expected in ((Meeting, meeting, stored), (Body, body, stored.body)):
            assert [getattr(read, f.attname) for f in model._meta.concrete_fields] == [
                getattr(expected, f.attname) for f in model._meta.concrete_fields
            ]
        with translation.override("en"):
            assert body.name == stored.body.name
        meeting.place = "Muutettu paikka"
        meeting.save(update_fields=["place"])  # an instance the ORM can save as its own
        assert Meeting.objects.get(pk=stored.pk).place == "Muutettu paikka"
    other = Meeting.objects.exclude(body__kind=Body.Kind.BOARD).first()
    if other is not None:
        with pytest.raises(PermissionDenied):
            meeting_for_user(demo_users["koordinaattori-tampere"], other.pk)
    with pytest.raises(Http404):
        meeting_for_user(chair, Meeting.objects.order_by("-pk")[0].pk + 1000)
