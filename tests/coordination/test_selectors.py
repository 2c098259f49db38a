"""Coordination reads: the annual clock merges other apps' dates; query counts pinned at two
data sizes so that an N+1 cannot hide."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from calls.models import Call
from coordination import selectors
from coordination.models import AnnualClockEvent, ResultAdoption
from governance.models import Body, City, Organisation
from governance.services import meeting_create
from projects.models import Programme, Project
from projects.services import reporting_periods_generate
from reports import services as report_services

from .factories import (
    AnnualClockEventFactory,
    EventFactory,
    PersonFactory,
    VisitorGroupFactory,
    project_with_contacts,
)

pytestmark = pytest.mark.django_db


def _meeting(kind: str, day: datetime.date, hour: int = 13):
    starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))
    return meeting_create(
        body=Body.objects.get(kind=kind), starts_at=starts, place="Espoo", by=None
    )


def test_clock_merges_meetings_reporting_deadlines_and_calls(demo_users):
    _meeting("board", datetime.date(2031, 3, 4))
    _meeting("steering_group", datetime.date(2031, 2, 11), hour=9)
    reporting_periods_generate(first_start=datetime.date(2031, 1, 1), months=6, count=2)
    Call.objects.create(
        name="Testihaku",
        programme=Programme.objects.first(),
        instrument="AKKE",
        funder=Organisation.objects.get(name="Pirkanmaan liitto"),
        opens_on=datetime.date(2031, 4, 1),
        closes_on=datetime.date(2031, 5, 31),
        money_available=Decimal("100000"),
    )
    entries = selectors.annual_clock(2031)
    by_source = {(e.source, e.kind) for e in entries}
    assert ("meeting", "board_meeting") in by_source
    assert ("meeting", "steering_group_meeting") in by_source
    assert ("reporting_period", "reporting_deadline") in by_source
    assert ("call", "call") in by_source
    titles = [e.title for e in entries]
    assert "Johtoryhmä: kokous" in titles
    assert "Haku avautuu: Testihaku" in titles and "Haku päättyy: Testihaku" in titles
    call = Call.objects.get(name="Testihaku")
    assert {e.url for e in entries if e.source == "call"} == {
        reverse("calls:detail", args=[call.pk])
    }
    assert "Tilannekatsausten määräpäivä: 2031 H1" in titles
    # the demo's yearly entries recur in 2031 too, and everything is in date order
    assert "Hankkeiden seurantaraportit" in titles
    assert [e.starts_on for e in entries] == sorted(e.starts_on for e in entries)


def test_yearly_event_on_29_february_falls_on_the_28th(org_6aika):
    event = AnnualClockEventFactory(
        starts_on=datetime.date(2028, 2, 29), recurrence=AnnualClockEvent.Recurrence.YEARLY
    )
    assert selectors.clock_event_occurrence(event, 2029).starts_on == datetime.date(2029, 2, 28)
    assert selectors.clock_event_occurrence(event, 2027) is None
    once = AnnualClockEventFactory(starts_on=datetime.date(2028, 5, 1))
    assert selectors.clock_event_occurrence(once, 2029) is None


def _clock_data(n: int, year: int):
    for i in range(n):
        AnnualClockEventFactory(starts_on=datetime.date(year, 1 + i % 12, 1 + i % 27))
        _meeting("board", datetime.date(year, 1 + i % 12, 1 + i % 27), hour=8 + i % 10)


@pytest.mark.parametrize("size", [2, 12])
def test_annual_clock_query_count_does_not_grow(org_6aika, django_assert_num_queries, size):
    _clock_data(size, 2032)
    # own events, meetings, reporting periods, report runs, calls
    with django_assert_num_queries(5):
        entries = selectors.annual_clock(2032)
    sources = [e.source for e in entries]
    assert sources.count("clock") == sources.count("meeting") == size
    # each board meeting's report run, if the days before the meeting still fall in the year
    before = datetime.timedelta(days=settings.SIXAIKA_REPORTS_DAYS_BEFORE_MEETING)
    days = [datetime.date(2032, 1 + i % 12, 1 + i % 27) - before for i in range(size)]
    assert sources.count("report_run") == sum(1 for day in days if day.year == 2032)


@override_settings(SIXAIKA_REPORTS_DAYS_BEFORE_MEETING=10)
def test_clock_shows_report_runs_on_the_day_the_scheduler_makes_them(
    org_6aika, django_capture_on_commit_callbacks
):
    board = _meeting("board", datetime.date(2031, 3, 4))
    _meeting("steering_group", datetime.date(2031, 3, 5))  # no reports before the steering group
    january = _meeting("board", datetime.date(2031, 1, 6), hour=9)

    runs = [e for e in selectors.annual_clock(2031) if e.source == "report_run"]
    assert [(e.uid, e.starts_on, e.kind, e.kind_label) for e in runs] == [
        (f"report-run-{board.pk}", datetime.date(2031, 2, 22), "report_run", "Raportin ajo")
    ]
    assert runs[0].title == ("Johtoryhmä: seurantaraportti ja kokousaineisto 4.3.2031 kokoukseen")
    assert "10 päivää ennen kokousta" in runs[0].description
    # January's meeting has its run in the December before.
    previous = [e for e in selectors.annual_clock(2030) if e.source == "report_run"]
    assert [(e.uid, e.starts_on) for e in previous] == [
        (f"report-run-{january.pk}", datetime.date(2030, 12, 27))
    ]

    # The clock's day is the day the daily scheduled job first makes the meeting's reports.
    with django_capture_on_commit_callbacks():  # the PDFs themselves are not made here
        assert report_services.board_reports_schedule(today=datetime.date(2031, 2, 21)) == []
        made = report_services.board_reports_schedule(today=datetime.date(2031, 2, 22))
    assert {(r.kind, r.meeting_id) for r in made} == {("board", None), ("meeting_pack", board.pk)}


def test_report_runs_are_not_entered_twice(org_6aika):
    """A run comes from its meeting: moving the meeting moves the run, and nothing is stored."""
    meeting = _meeting("board", datetime.date(2031, 6, 10))
    days = settings.SIXAIKA_REPORTS_DAYS_BEFORE_MEETING
    (run,) = [e for e in selectors.annual_clock(2031) if e.source == "report_run"]
    assert run.starts_on == datetime.date(2031, 6, 10) - datetime.timedelta(days=days)
    meeting.starts_at += datetime.timedelta(days=7)
    meeting.save()
    (run,) = [e for e in selectors.annual_clock(2031) if e.source == "report_run"]
    assert run.starts_on == datetime.date(2031, 6, 17) - datetime.timedelta(days=days)
    assert not AnnualClockEvent.objects.exists()


def _page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_pages_query_counts_are_pinned_at_two_sizes(client_as):
    """Each list page runs the same number of queries with 3 and with 12 more rows."""
    client = client_as("koordinaattori-oulu")
    oulu = City.objects.get(slug="oulu")
    project = Project.objects.first()
    urls = [
        reverse("coordination:visitor_groups"),
        reverse("coordination:events"),
        reverse("coordination:results"),
        reverse("coordination:annual_clock"),
        reverse("coordination:coordinators"),
        reverse("coordination:city", args=["oulu"]),
    ]

    def grow(n: int, start: int):
        for i in range(start, start + n):
            group = VisitorGroupFactory(hosts=[PersonFactory(), PersonFactory()])
            group.projects.set([project])
            EventFactory(project=project)
            AnnualClockEventFactory(starts_on=timezone.localdate().replace(day=1))
            ResultAdoption.objects.create(
                project=project,
                result=f"Tulos {i}",
                city=oulu,
                adopted_on=datetime.date(2026, 1, 1),
            )

    grow(3, 0)
    small = [_page_queries(client, url) for url in urls]
    grow(12, 3)
    large = [_page_queries(client, url) for url in urls]
    assert small == large
    # the pinned figures: user and roles (one statement, core/auth.py), seats (the menu's
    # Meetings link asks can_list_meetings, as the meetings page does) and the page's own
    # queries; the session is read from Redis (core/sessions.py)
    assert dict(zip(urls, small, strict=True)) == EXPECTED_PAGE_QUERIES


EXPECTED_PAGE_QUERIES: dict[str, int] = {
    "/visitor-groups/": 6,
    "/events/": 4,
    "/results/": 6,
    "/annual-clock/": 8,
    "/coordinators/": 7,
    "/cities/oulu/": 11,
}


@pytest.mark.parametrize("size", [2, 8])
def test_city_page_query_count_does_not_grow(org_6aika, django_assert_num_queries, size):
    """Projects, their implementers, the implementers' people and the named contact persons."""
    for n in range(size):
        project_with_contacts(n)
    oulu = City.objects.get(slug="oulu")
    # coordinators, seats, deputy seats, turns, projects, implementers, their people, contacts
    with django_assert_num_queries(8):
        page = selectors.city_page(oulu)
        for project in page.projects:
            assert [p.full_name for p in project.contact_persons] == [
                f"Yhteyshenkilö{project.name.split()[-1]} Henkilö"
            ]
            for implementer in project.implementers.all():
                assert implementer.organisation.city is not None
                list(implementer.organisation.people.all())
    assert len(page.projects) == size


@pytest.mark.parametrize("size", [2, 10])
def test_contact_search_query_count_does_not_grow(org_6aika, django_assert_num_queries, size):
    oulu = City.objects.get(slug="oulu")
    for _ in range(size):
        PersonFactory(title="Avoimen datan asiantuntija")
    with django_assert_num_queries(5):
        people = selectors.contact_people(city=oulu, text="datan")
        for person in people:
            list(person.seats.all())
            list(person.deputy_seats.all())
            list(person.organisation.implementations.all())
    assert len(people) == size
