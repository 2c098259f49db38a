"""Meeting packs and board reports follow the meeting pages' rule: nobody gets a meeting's agenda
and draft decisions as a pack, a link to a meeting, or a decision of open minutes in a report,
who could not open the meeting's page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from calls import demo as calls_demo
from calls.models import Application
from governance.demo import meetings_demo_load
from governance.models import Decision
from reports import permissions, services
from reports.models import Report
from reports.selectors import monitoring_data

pytestmark = pytest.mark.django_db


def test_a_meeting_pack_is_for_those_who_may_open_the_meeting(demo_users):
    meeting = meetings_demo_load().upcoming
    pack, _created = services.report_request(
        kind=Report.Kind.MEETING_PACK,
        as_of=timezone.localdate(),
        meeting=meeting,
        by=demo_users["toimisto"],
    )
    for username in ("toimisto", "johtoryhma", "johtoryhma-pj"):
        user = demo_users[username]
        assert permissions.can_have_report(user, Report.Kind.MEETING_PACK, meeting=meeting)
        assert pack in permissions.reports_for(user), username
    steering = demo_users["ohjausryhma"]  # a steering group member: no seat on the board
    assert not permissions.can_have_report(steering, Report.Kind.MEETING_PACK, meeting=meeting)
    assert not permissions.can_have_report(steering, Report.Kind.MEETING_PACK)
    assert pack not in permissions.reports_for(steering)
    assert permissions.can_have_report(steering, Report.Kind.BOARD)


def test_the_steering_group_cannot_order_a_board_meeting_pack(client_as, demo_users):
    meeting = meetings_demo_load().upcoming
    before = Report.objects.count()
    response = client_as("ohjausryhma").post(
        reverse("reports:list"),
        {
            "kind": "meeting_pack",
            "meeting": meeting.pk,
            "as_of": timezone.localdate(),
            "language": "fi",
        },
    )
    assert response.status_code == 400
    assert Report.objects.count() == before
    page = client_as("ohjausryhma").get(reverse("reports:list")).content.decode()
    assert str(meeting) not in page


def test_the_board_report_lists_decisions_of_approved_minutes_only(demo_users):
    demo = meetings_demo_load()
    office = demo_users["toimisto"]
    from governance import services as governance

    item = demo.today.items.get(order=1)
    governance.decision_record(item=item, outcome="approved", by=demo_users["johtoryhma-pj"])
    data = monitoring_data(as_of=timezone.localdate() + dt.timedelta(days=1))
    assert Decision.objects.filter(agenda_item=item).exists()
    assert item.pk not in [d.agenda_item_id for d in data.decisions]
    assert office  # the strategy office's report is the same: it goes to every reader


def test_an_application_links_to_its_meeting_only_for_those_who_may_open_it(client_as, demo_users):
    application = Application.objects.get(title=calls_demo.DEMO_TODAY_OTHER)
    url = reverse("calls:application", args=[application.pk])
    meeting_url = reverse("meetings:detail", args=[application.agenda_item.meeting_id])
    for username, sees in (("toimisto", True), ("johtoryhma", True), ("ohjausryhma", False)):
        page = client_as(username).get(url)
        assert page.status_code == 200, username
        assert (meeting_url in page.content.decode()) is sees, username
        if sees:
            assert client_as(username).get(meeting_url).status_code == 200
