"""The annual clock's iCal feed opens in a calendar library (icalendar) with every entry."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from coordination.models import AnnualClockEvent
from governance.models import Body
from governance.services import meeting_create
from projects.services import reporting_periods_generate

from .factories import AnnualClockEventFactory

pytestmark = pytest.mark.django_db


def _feed(client) -> Calendar:
    response = client.get(reverse("coordination:annual_clock_ics"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_feed_parses_and_carries_own_and_merged_entries(client, demo_users):
    year = timezone.localdate().year
    yearly = AnnualClockEventFactory(
        title_fi="Johtoryhmän strategiaseminaari",
        kind=AnnualClockEvent.Kind.BOARD_MEETING,
        starts_on=datetime.date(year, 6, 10),
        start_time=datetime.time(9, 0),
        end_time=datetime.time(15, 30),
        recurrence=AnnualClockEvent.Recurrence.YEARLY,
        link="https://6aika.fi/",
    )
    meeting = meeting_create(
        body=Body.objects.get(kind="board"),
        starts_at=datetime.datetime(year, 9, 2, 13, 0, tzinfo=timezone.get_current_timezone()),
        place="Espoo",
        by=None,
    )
    (period,) = reporting_periods_generate(
        first_start=datetime.date(year + 1, 1, 1), months=12, count=1
    )

    calendar = _feed(client)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}

    own = events[f"clock-{yearly.pk}@6aika-portal"]
    assert str(own["SUMMARY"]) == "Johtoryhmän strategiaseminaari"
    assert own["RRULE"]["FREQ"] == ["YEARLY"]
    start = own.decoded("DTSTART")
    assert start == datetime.datetime(year, 6, 10, 9, 0, tzinfo=timezone.get_current_timezone())
    assert own.decoded("DTEND") - start == datetime.timedelta(hours=6, minutes=30)
    assert str(own["URL"]) == "https://6aika.fi/"

    board = events[f"meeting-{meeting.pk}@6aika-portal"]
    assert str(board["SUMMARY"]) == "Johtoryhmä: kokous"
    assert board.decoded("DTSTART") == meeting.starts_at

    run = events[f"report-run-{meeting.pk}@6aika-portal"]  # the reports made before it
    days = datetime.timedelta(days=settings.SIXAIKA_REPORTS_DAYS_BEFORE_MEETING)
    assert run.decoded("DTSTART") == datetime.date(year, 9, 2) - days
    assert str(run["SUMMARY"]) == (
        f"Johtoryhmä: seurantaraportti ja kokousaineisto 2.9.{year} kokoukseen"
    )
    assert [str(c) for c in run["CATEGORIES"].cats] == ["Raportin ajo"]

    due = events[f"reporting-period-{period.pk}@6aika-portal"]
    assert due.decoded("DTSTART") == period.due_date  # an all-day deadline
    assert not isinstance(due.decoded("DTSTART"), datetime.datetime)

    # the demo's own yearly entries are there once each, not once per year
    demo_titles = [str(e["SUMMARY"]) for e in events.values()]
    assert demo_titles.count("Strategian vuosiraportin ajo") == 1


def test_feed_is_public(client, org_6aika):
    calendar = _feed(client)
    assert str(calendar["PRODID"]).startswith("-//6Aika")
    assert calendar.walk("VEVENT") == []
