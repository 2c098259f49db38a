"""Issue 17 in Chromium: each role's work on its home page.

The strategy office's home lists the status reports waiting for review, the records to
complete, the overdue reports by city, the monitoring reports being made and the next meetings
with their packs; every link there opens its page. The demo data has reports to review, a
flagged record, overdue reports in every city and two planned board meetings; a monitoring
report being made and a meeting pack are added here (the demo makes no PDFs).

The coordinator's home lists every returned report, a project that has ended too, and a
project's report form offers only the periods due or open: begun, within the project's
implementation, with no submitted or accepted report.

Every page is checked for its basics and with axe, at desktop and phone width. The tests wait
for what the page shows (``expect``, navigation), never for a time.
"""

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from core.models import Transition
from governance.models import Meeting
from projects.demo import DEMO_COMPETENCE, DEMO_DRAFT_PERIOD, DEMO_HISTORICAL, DEMO_OPEN_DATA
from projects.models import Project, ReportingPeriod, StatusReport
from projects.selectors import overdue_by_city
from reports.models import Report, parameters_key

from .conftest import assert_page_basics, axe_check, login

pytestmark = pytest.mark.browser

State = StatusReport.State


def _checked(page: Page, screenshot, step: str) -> None:
    page.wait_for_load_state()
    assert_page_basics(page, "fi")
    axe_check(page)
    screenshot(step)


def _section(page: Page, heading_id: str) -> Locator:
    return page.locator(f"section[aria-labelledby={heading_id}]")


def _follow(page: Page, link: Locator, href: str) -> None:
    """Check that ``link`` leads to ``href`` (without a fragment), click it and wait until that
    page has loaded."""
    expect(link).to_be_visible()
    assert link.get_attribute("href").split("#")[0] == href
    path, _sep, query = href.partition("?")
    link.click()
    page.wait_for_url(lambda url: urlsplit(url).path == path and urlsplit(url).query == query)
    page.wait_for_load_state()


def _home(page: Page) -> None:
    page.goto("/")
    expect(page.locator("h1")).to_contain_text("Tervetuloa")


def _monitoring_report(*, kind: str, status: str, by, **subject) -> Report:
    """A monitoring report as the request page stores one (the PDF itself does not matter)."""
    today = timezone.localdate()
    parameters = {"as_of": str(today), **{k: v.pk for k, v in subject.items()}}
    return Report.objects.create(
        kind=kind,
        parameters=parameters,
        as_of=today,
        dedupe_key=parameters_key(kind, parameters),
        requested_at=timezone.now(),
        requested_by=by,
        status=status,
        file="reports/demo-pack.pdf" if status == Report.Status.DONE else "",
        **subject,
    )


def test_office_home_shows_its_work_and_every_link_opens(page: Page, screenshot, demo_users):
    office = demo_users["toimisto"]
    waiting = StatusReport.objects.get(project__name_fi=DEMO_COMPETENCE, period__name="2025 H2")
    assert waiting.state == State.SUBMITTED
    historical = Project.objects.get(name_fi=DEMO_HISTORICAL)
    assert historical.needs_completion
    overdue = overdue_by_city(today=timezone.localdate())
    assert overdue, "the demo has overdue reports"
    meetings = list(
        Meeting.objects.filter(
            status=Meeting.Status.PLANNED,
            starts_at__gte=timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0),
        )
        .select_related("body")
        .order_by("starts_at", "pk")[:3]
    )
    assert len(meetings) >= 2, "the demo has planned meetings"
    being_made = _monitoring_report(
        kind=Report.Kind.CITY, status=Report.Status.QUEUED, by=office, city=overdue[0].city
    )
    pack = _monitoring_report(
        kind=Report.Kind.MEETING_PACK, status=Report.Status.DONE, by=office, meeting=meetings[0]
    )

    login(page, "toimisto")
    _checked(page, screenshot, "home")

    # Reports waiting for review: the demo's submitted one, and the lists of each state.
    review = _section(page, "office-review")
    expect(review.get_by_role("heading")).to_have_text("Tarkastusta odottavat tilannekatsaukset")
    link = review.get_by_role("link", name=f"{DEMO_COMPETENCE}, 2025 H2")
    expect(review).to_contain_text("Lähetetty")
    _follow(page, link, f"/projects/reports/{waiting.pk}/")
    expect(page.locator("h1")).to_contain_text("2025 H2")
    expect(page.get_by_role("link", name=DEMO_COMPETENCE, exact=True)).to_be_visible()
    expect(page.locator("button[name=to_state][value=accepted]")).to_be_visible()
    _checked(page, screenshot, "review")
    _home(page)
    _follow(
        page,
        review.get_by_role("link", name="Lähetetyt tilannekatsaukset", exact=True),
        "/projects/reports/?state=submitted",
    )
    expect(page.locator("h1")).to_have_text("Tilannekatsaukset")
    expect(page.locator(f"main a[href='/projects/reports/{waiting.pk}/']")).to_be_visible()
    _checked(page, screenshot, "submitted-list")

    # Records to complete: the historical record with what it lacks, and the list of them all.
    _home(page)
    complete = _section(page, "office-complete")
    expect(complete).to_contain_text("vähintään kahdesta kuudesta kaupungista")
    _follow(
        page,
        complete.get_by_role("link", name=DEMO_HISTORICAL, exact=True),
        f"/projects/{historical.pk}/edit/",
    )
    expect(page.locator("h1")).to_have_text(DEMO_HISTORICAL)
    expect(page.locator("input[name=name_fi]")).to_have_value(DEMO_HISTORICAL)
    _checked(page, screenshot, "record-to-complete")
    _home(page)
    _follow(
        page,
        complete.get_by_role("link", name="Kaikki täydennettävät hankkeet"),
        "/projects/flagged/",
    )
    expect(page.locator("h1")).to_have_text("Täydennettävät hankkeet")
    expect(page.get_by_role("link", name=DEMO_HISTORICAL, exact=True).first).to_be_visible()
    _checked(page, screenshot, "flagged")

    # Overdue reports by city: each city the demo owes reports in, with its count.
    _home(page)
    by_city = _section(page, "office-overdue")
    expect(by_city.locator("li")).to_have_count(len(overdue))
    for row in overdue:
        item = by_city.locator("li").filter(has=page.get_by_role("link", name=row.city.name_fi))
        expect(item).to_contain_text(re.compile(rf"\b{row.overdue} tilannekatsau\w* myöhässä"))
    first = overdue[0].city
    _follow(
        page, by_city.get_by_role("link", name=first.name_fi, exact=True), f"/cities/{first.slug}/"
    )
    expect(page.locator("h1")).to_have_text(first.name_fi)
    _checked(page, screenshot, "overdue-city")

    # Monitoring reports being made: the queued city report opens on its own page.
    _home(page)
    monitoring = _section(page, "office-monitoring")
    expect(monitoring).to_contain_text(first.name_fi)
    expect(monitoring).to_contain_text("jonossa")
    _follow(
        page,
        monitoring.locator(f"a[href='/reports/{being_made.pk}/']"),
        f"/reports/{being_made.pk}/",
    )
    expect(page.locator("h1")).to_contain_text(f"Kaupunkiraportti: {first.name_fi}")
    _checked(page, screenshot, "report-being-made")
    _home(page)
    _follow(page, monitoring.get_by_role("link", name="Seurantaraportit"), "/reports/")
    _checked(page, screenshot, "monitoring-reports")

    # The next meetings: each with its pack or the words that there is none yet.
    _home(page)
    coming = _section(page, "office-meetings")
    expect(coming.locator("li")).to_have_count(len(meetings))
    pack_link = coming.get_by_role("link", name="kokousaineisto", exact=True)
    expect(pack_link).to_have_count(1)
    expect(coming.locator("li").nth(0).get_by_role("link", name="kokousaineisto")).to_be_visible()
    expect(coming.locator("li").nth(0)).to_contain_text("valmis")
    for index in range(1, len(meetings)):
        expect(coming.locator("li").nth(index)).to_contain_text("kokousaineistoa ei vielä ole")
    for index, meeting in enumerate(meetings):
        _home(page)
        _follow(
            page,
            coming.locator("li").nth(index).locator(f"a[href='/meetings/{meeting.pk}/']"),
            f"/meetings/{meeting.pk}/",
        )
        expect(page.locator("h1")).to_contain_text(meeting.body.name_fi)
        _checked(page, screenshot, f"meeting-{index + 1}")
    _home(page)
    _follow(page, pack_link, f"/reports/{pack.pk}/")
    expect(page.locator("h1")).to_contain_text("Kokousaineisto")
    _checked(page, screenshot, "meeting-pack")


def _returned(project: Project, period: ReportingPeriod, by, comment: str) -> StatusReport:
    """A report the office returned, with the transition that says why."""
    report = StatusReport.objects.create(
        project=project, period=period, state=State.RETURNED, updated_by=by
    )
    Transition.objects.create(
        obj=report,
        workflow="projects.status_report",
        name="return",
        from_state=State.SUBMITTED,
        to_state=State.RETURNED,
        by=by,
        comment=comment,
    )
    return report


def test_coordinator_home_lists_every_returned_report_and_the_form_offers_open_periods(
    page: Page, screenshot, demo_users
):
    office = demo_users["toimisto"]
    today = timezone.localdate()
    demo_returned = StatusReport.objects.get(
        project__name_fi=DEMO_OPEN_DATA, period__name="2025 H2"
    )
    assert demo_returned.state == State.RETURNED
    # The demo's historical record in Helsinki ended in 2017: a report of it returned for a
    # period of its own.
    historical = Project.objects.get(name_fi=DEMO_HISTORICAL)
    assert historical.end_date < today and historical.status == Project.Status.CLOSED
    old_period = ReportingPeriod.objects.create(
        name="2017 H2", start_date=dt.date(2017, 7, 1), end_date=dt.date(2017, 12, 31),
        due_date=dt.date(2018, 1, 30),
    )  # fmt: skip
    ended = _returned(historical, old_period, office, "Loppuraportin luvut puuttuvat.")
    # Periods never to offer for the open data project (1.1.2024-31.12.2026): one before it
    # began and one not yet begun.
    ReportingPeriod.objects.create(
        name="2023 H2", start_date=dt.date(2023, 7, 1), end_date=dt.date(2023, 12, 31),
        due_date=dt.date(2024, 1, 30),
    )  # fmt: skip
    ReportingPeriod.objects.create(
        name="Tuleva jakso", start_date=today + dt.timedelta(days=1),
        end_date=today + dt.timedelta(days=180), due_date=today + dt.timedelta(days=210),
    )  # fmt: skip

    login(page, "koordinaattori-helsinki")
    _checked(page, screenshot, "home")
    reports = _section(page, "my-reports")
    returned = reports.locator("h3:has-text('Palautettu korjattavaksi') + ul li")
    expect(returned).to_have_count(2)
    expect(returned.get_by_role("link", name=f"{DEMO_OPEN_DATA}, 2025 H2")).to_be_visible()
    expect(returned.get_by_role("link", name=f"{DEMO_HISTORICAL}, 2017 H2")).to_be_visible()
    # the project that has ended owes nothing else: it is in no other list
    expect(reports.locator("h3:has-text('Myöhässä') + ul")).not_to_contain_text(DEMO_HISTORICAL)

    # Each returned report opens in its editor with the office's comment.
    _follow(
        page,
        returned.get_by_role("link", name=f"{DEMO_HISTORICAL}, 2017 H2"),
        f"/projects/reports/{ended.pk}/edit/",
    )
    expect(page.get_by_text("Loppuraportin luvut puuttuvat.")).to_be_visible()
    expect(page.locator("textarea[name=narrative]")).to_be_editable()
    _checked(page, screenshot, "ended-project-report")
    _home(page)
    _follow(
        page,
        returned.get_by_role("link", name=f"{DEMO_OPEN_DATA}, 2025 H2"),
        f"/projects/reports/{demo_returned.pk}/edit/",
    )
    expect(
        page.get_by_text("Kustannukset eivät täsmää maksatushakemukseen; tarkistakaa luku.")
    ).to_be_visible()
    _checked(page, screenshot, "returned-report")

    # The project's report form offers only the periods due or open.
    project = Project.objects.get(name_fi=DEMO_OPEN_DATA)
    page.goto(f"/projects/{project.pk}/")
    select = page.locator("select[name=period]")
    expect(select).to_be_visible()
    offered = [o.strip() for o in select.locator("option").all_inner_texts()]
    closed = set(
        StatusReport.objects.filter(
            project=project, state__in=[State.SUBMITTED, State.RESUBMITTED, State.ACCEPTED]
        ).values_list("period__name", flat=True)
    )
    assert "2025 H1" in closed, "the demo's accepted report"
    assert {"2025 H2", DEMO_DRAFT_PERIOD} <= set(offered), "returned and draft stay open"
    assert not {"2023 H2", "Tuleva jakso", "2017 H2", *closed} & set(offered), offered
    for name in offered:
        period = ReportingPeriod.objects.get(name=name)
        assert period.start_date <= today, f"{name} has not begun"
        assert period.end_date >= project.start_date and period.start_date <= project.end_date
    _checked(page, screenshot, "report-form")
    draft = StatusReport.objects.get(project=project, period__name=DEMO_DRAFT_PERIOD)
    select.select_option(label=DEMO_DRAFT_PERIOD)
    page.get_by_role("button", name="Kirjoita tilannekatsaus").click()
    page.wait_for_url(f"**/projects/reports/{draft.pk}/edit/")
    expect(page.locator("textarea[name=narrative]")).to_have_value(
        "Luonnos: kokeiluhaku on käynnissä."
    )
    _checked(page, screenshot, "draft-opened")
