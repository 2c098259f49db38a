"""Each role's work on the home page (issue 17): the strategy office's reports to review,
records to complete, overdue reports by city, monitoring reports being made and the next
meetings with their packs; the coordinator's returned reports, also of projects that have
ended; and only the periods that make sense offered when starting a report."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import Body, City, Meeting
from governance.services import meeting_create
from projects import selectors
from projects.models import Project, ReportingPeriod, StatusReport
from reports import selectors as reports_selectors
from reports.models import Report, parameters_key

from . import factories

State = StatusReport.State
TODAY = dt.date(2026, 11, 23)


def _submitted(project: Project, period: ReportingPeriod, by, state=State.SUBMITTED):
    return StatusReport.objects.create(project=project, period=period, state=state, updated_by=by)


def _period(name: str, start: dt.date, end: dt.date, due: dt.date) -> ReportingPeriod:
    return ReportingPeriod.objects.create(name=name, start_date=start, end_date=end, due_date=due)


@pytest.mark.django_db
@pytest.mark.parametrize("extra", [0, 12])
def test_office_section_lists_the_work_in_three_queries(
    demo_users, django_assert_num_queries, extra
):
    period = _period(
        "Tarkastettava", dt.date(2031, 1, 3), dt.date(2031, 6, 30), dt.date(2031, 7, 31)
    )
    first = factories.project(name="AAA Tarkastettava hanke", cities=("oulu", "turku"))
    _submitted(first, period, demo_users["koordinaattori-oulu"])
    for _ in range(extra):
        more = factories.project(cities=("oulu", "turku"))
        _submitted(more, period, demo_users["koordinaattori-oulu"], state=State.RESUBMITTED)
        factories.project(cities=("oulu",), programme="6aika")  # one city: flagged
    with django_assert_num_queries(3):
        section = selectors.office_home(today=TODAY)
    waiting = StatusReport.objects.filter(state__in=[State.SUBMITTED, State.RESUBMITTED])
    assert section["review_total"] == waiting.count() >= 1 + extra
    assert len(section["review"]) == min(waiting.count(), selectors.HOME_LIST_LIMIT)
    assert any(row.project == "AAA Tarkastettava hanke" for row in section["review"])
    flagged = Project.objects.filter(needs_completion=True)
    assert section["to_complete_total"] == flagged.count() >= 1 + extra
    assert "Demo – Avoin osallisuus (vanha tieto)" in [r.name for r in section["to_complete"]]
    assert all(row.missing for row in section["to_complete"])


@pytest.mark.django_db
def test_overdue_reports_are_counted_by_city(demo_users):
    before = {row.city.slug: row.overdue for row in selectors.overdue_by_city(today=TODAY)}
    _period("Ohi", dt.date(2031, 1, 3), dt.date(2031, 6, 30), dt.date(2031, 7, 31))
    later = dt.date(2031, 8, 1)
    base = {row.city.slug: row.overdue for row in selectors.overdue_by_city(today=later)}
    project = factories.project(
        cities=("tampere", "turku"), start=dt.date(2031, 1, 1), end=dt.date(2031, 12, 31)
    )
    counts = {row.city.slug: row.overdue for row in selectors.overdue_by_city(today=later)}
    assert counts["tampere"] == base.get("tampere", 0) + 1
    assert counts["turku"] == base.get("turku", 0) + 1
    # a submitted report is no longer overdue; a draft still is
    _submitted(project, ReportingPeriod.objects.get(name="Ohi"), demo_users["koordinaattori-turku"])
    counts = {row.city.slug: row.overdue for row in selectors.overdue_by_city(today=later)}
    assert counts.get("tampere", 0) == base.get("tampere", 0)
    assert before  # the demo has overdue reports today


@pytest.mark.django_db
def test_monitoring_part_shows_reports_being_made_and_meeting_packs(
    demo_users, django_assert_num_queries
):
    board = Body.objects.get(kind="board")
    now = timezone.now()
    meeting = meeting_create(
        body=board, starts_at=now + dt.timedelta(days=400), place="Sali", by=demo_users["toimisto"]
    )
    later = meeting_create(
        body=board, starts_at=now + dt.timedelta(days=401), place="Sali", by=demo_users["toimisto"]
    )

    def report(kind, status, **subject):
        parameters = {"as_of": str(TODAY), **{k: v.pk for k, v in subject.items()}}
        return Report.objects.create(
            kind=kind,
            parameters=parameters,
            as_of=TODAY,
            dedupe_key=parameters_key(kind, {**parameters, "n": Report.objects.count()}),
            requested_at=now,
            requested_by=demo_users["toimisto"],
            status=status,
            # a finished report has its file (the PDF itself does not matter here)
            file="reports/test.pdf" if status == Report.Status.DONE else "",
            **subject,
        )

    queued = report(Report.Kind.CITY, Report.Status.QUEUED, city=City.objects.get(slug="oulu"))
    pack = report(Report.Kind.MEETING_PACK, Report.Status.DONE, meeting=meeting)
    report(Report.Kind.BOARD, Report.Status.DONE)
    with django_assert_num_queries(3):
        part = reports_selectors.office_home(
            reports=Report.objects.all(), meetings=Meeting.objects.all(), count=50
        )
    assert queued in part["being_made"]
    assert all(r.status in Report.PENDING for r in part["being_made"])
    by_meeting = {row.meeting.pk: row.pack for row in part["meetings"]}
    assert by_meeting[meeting.pk] == pack
    assert by_meeting[later.pk] is None


@pytest.mark.django_db
@pytest.mark.parametrize("extra", [0, 12])
def test_office_home_page_shows_each_part_at_a_fixed_query_count(
    demo_users, client_as, django_assert_num_queries, extra
):
    period = _period("Sivun jakso", dt.date(2031, 1, 3), dt.date(2031, 6, 30), dt.date(2031, 7, 31))
    project = factories.project(name="Sivulla tarkastettava", cities=("oulu", "turku"))
    report = _submitted(project, period, demo_users["koordinaattori-oulu"])
    for _ in range(extra):
        _submitted(factories.project(cities=("oulu", "turku")), period, None)
        factories.project(cities=("oulu",))
    office = client_as("toimisto")
    office.get(reverse("home"))  # the session's first request stores what later ones reuse
    with django_assert_num_queries(OFFICE_HOME_QUERIES):
        response = office.get(reverse("home"))
    html = response.content.decode()
    assert f'href="/projects/reports/{report.pk}/"' in html
    assert "Demo – Avoin osallisuus (vanha tieto)" in html
    assert reverse("projects:flagged") in html
    for heading in ("office-review", "office-complete", "office-overdue", "office-monitoring",
                    "office-meetings"):  # fmt: skip
        assert f'id="{heading}"' in html


# The same at both sizes (the session is read from Redis): the user and roles (one statement,
# core/auth.py), the person, the coordinated cities, the next meeting, the office's three
# (selectors.office_home) and the monitoring part's three (reports.selectors.office_home).
OFFICE_HOME_QUERIES = 9


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["koordinaattori-helsinki", "rahoittaja", "johtoryhma"])
def test_only_the_office_gets_the_office_sections(demo_users, client_as, username):
    context = client_as(username).get(reverse("home")).context
    assert "office" not in context and "office_monitoring" not in context
    assert 'id="office-review"' not in client_as(username).get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_coordinator_sees_a_returned_report_of_a_project_that_has_ended(demo_users, client_as):
    period = _period(
        "Päättynyt jakso", dt.date(2020, 1, 3), dt.date(2020, 6, 30), dt.date(2020, 7, 31)
    )
    project = factories.project(
        name="Päättynyt hanke",
        cities=("vantaa", "espoo"),
        start=dt.date(2019, 1, 1),
        end=dt.date(2020, 6, 30),
        status=Project.Status.CLOSED,
    )
    returned = StatusReport.objects.create(project=project, period=period, state=State.RETURNED)
    city_ids = [City.objects.get(slug="vantaa").pk]
    section = selectors.coordinator_home(city_ids=city_ids, today=TODAY)
    assert ("Päättynyt hanke", "Päättynyt jakso") in [
        (o.project.name, o.period.name) for o in section["returned"]
    ]
    # a closed project's missing report is not owed: only the returned one is listed
    assert "Päättynyt hanke" not in [o.project.name for o in section["overdue"]]
    html = client_as("koordinaattori-vantaa").get(reverse("home")).content.decode()
    assert "Päättynyt hanke, Päättynyt jakso" in html
    returned.state = State.RESUBMITTED
    returned.save(update_fields=["state"])
    section = selectors.coordinator_home(city_ids=city_ids, today=TODAY)
    assert "Päättynyt hanke" not in [o.project.name for o in section["returned"]]


@pytest.mark.django_db
def test_only_periods_that_make_sense_are_offered_and_accepted(demo_users, client_as):
    today = timezone.localdate()
    year = today.year
    project = factories.project(
        name="Jaksotettava",
        cities=("oulu", "turku"),
        start=dt.date(year - 3, 1, 1),
        end=dt.date(year - 1, 6, 30),
    )

    def period(name, start, end):
        return _period(name, start, end, end + dt.timedelta(days=30))

    before = period("Ennen", dt.date(year - 5, 1, 3), dt.date(year - 5, 12, 31))
    during = period("Aikana", dt.date(year - 2, 1, 3), dt.date(year - 2, 6, 30))
    accepted = period("Hyväksytty", dt.date(year - 2, 7, 3), dt.date(year - 2, 12, 31))
    returned = period("Palautettu", dt.date(year - 3, 7, 3), dt.date(year - 3, 12, 31))
    after = period("Jälkeen", dt.date(year - 1, 7, 3), dt.date(year - 1, 12, 31))
    future = period("Tuleva", today + dt.timedelta(days=400), today + dt.timedelta(days=500))
    StatusReport.objects.create(project=project, period=accepted, state=State.ACCEPTED)
    StatusReport.objects.create(project=project, period=returned, state=State.RETURNED)

    offered = set(selectors.open_periods(project=project, today=today))
    assert {during, returned} <= offered
    assert not {before, accepted, after, future} & offered

    coordinator = client_as("koordinaattori-oulu")
    page = coordinator.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert ">Aikana</option>" in page and ">Jälkeen</option>" not in page
    url = reverse("projects:report_start", args=[project.pk])
    for refused in (before, accepted, after, future):
        response = coordinator.post(url, {"period": refused.pk})
        assert response.status_code == 302
        assert response["Location"].endswith("#reports")
    assert set(
        StatusReport.objects.filter(project=project).values_list("period__name", flat=True)
    ) == {
        "Hyväksytty",
        "Palautettu",
    }
    response = coordinator.post(url, {"period": during.pk})
    started = StatusReport.objects.get(project=project, period=during)
    assert response["Location"] == reverse("projects:report_edit", args=[started.pk])
