"""Journey 3: the strategy office makes each kind of report in the browser, a real Celery worker
makes it, the page (htmx, no reload by hand) shows it ready, and it downloads. ``pdftotext`` on
each PDF must show the portfolio's figures as the database holds them: the expected figures are
computed here with the ORM and formatted the Finnish way by hand, never with the portal's code.
"""

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from django.db.models import Sum
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from calls.models import Application
from governance.models import Body, City, Decision, Meeting
from projects.models import Project
from tests.pdf_facts import assert_accessible_pdf
from tests.reports.data import (
    expected_planned,
    expected_scores,
    expected_spent,
    fi_eur,
    fi_number,
    fi_percent,
    pdftotext,
)
from tests.reports.test_worker import worker  # noqa: F401 - a fixture

from .conftest import assert_page_basics, axe_check, login, logout, nav_link

TWO = Decimal("0.01")


def _make_report(page: Page, screenshot, *, kind: str, heading: str, subject=None) -> str:
    """Ask for a report on /reports/, watch the status box until the PDF is ready, download it
    and return its text. ``subject`` is (label of the field, label of the option)."""
    nav_link(page, "Raportit").click()
    expect(page.locator("h1")).to_have_text("Seurantaraportit")
    page.get_by_label("Raportti", exact=True).select_option(kind)
    if subject:
        field, option = subject
        page.get_by_label(field).select_option(label=option)
    page.get_by_role("button", name="Tee raportti").click()
    expect(page.locator("h1")).to_have_text(heading)
    # The status box polls the server (htmx) and turns into the download link by itself.
    status = page.locator(".report-status[role=status]")
    expect(status).to_be_visible()
    download_link = status.get_by_role("link", name="Lataa PDF")
    expect(download_link).to_be_visible(timeout=120_000)
    if kind != "project":
        expect(page.locator("svg.chart").first).to_be_visible(timeout=30_000)
    assert_page_basics(page, "fi")
    axe_check(page)
    screenshot(f"{kind}-done")
    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    data = Path(download.path()).read_bytes()
    assert_accessible_pdf(data, "fi")
    return pdftotext(data)


def _key_figures(projects, today) -> list[str]:
    """The 'Key figures' lines of a monitoring report for ``projects``, from the database."""
    money = projects.aggregate(cost=Sum("total_cost"), granted=Sum("granted"))
    spent = expected_spent(projects, today)
    planned = expected_planned(projects, today)
    return [
        f"Hankkeet {projects.count()}",
        f"Kokonaiskustannusarvio {fi_eur(money['cost'])}",
        f"Myönnetty {fi_eur(money['granted'])}",
        f"Käytetty tähän mennessä {fi_eur(spent)}",
        f"Suunniteltu tähän mennessä {fi_eur(planned)}",
        f"Käyttöaste suunnitelmaan nähden {fi_percent(spent, planned)}",
    ]


def _assert_in(expected: list[str], text: str) -> None:
    missing = [line for line in expected if line not in text]
    assert not missing, f"not in the PDF: {missing}\n--- the PDF's text ---\n{text}"


@pytest.mark.worker
def test_office_makes_each_report_and_the_pdfs_hold_the_databases_figures(
    page: Page,
    screenshot,
    demo_users,
    worker,  # noqa: F811
):
    today = timezone.localdate()
    helsinki = City.objects.get(slug="helsinki")
    project = Project.objects.get(code="DEMO001")
    # The board's past demo meeting: funding proposals with the steering group's scores.
    # (today's meeting in progress carries applications too: the past one is the earliest)
    meeting = (
        Meeting.objects.filter(
            body__kind=Body.Kind.BOARD,
            pk__in=Application.objects.filter(agenda_item__isnull=False).values(
                "agenda_item__meeting"
            ),
        )
        .order_by("starts_at")
        .first()
    )
    assert meeting is not None and meeting.starts_at.date() < today
    with translation.override("fi"):
        project_label, meeting_label = str(project), str(meeting)

    login(page, "toimisto")
    nav_link(page, "Raportit").click()
    assert_page_basics(page, "fi")
    axe_check(page)
    screenshot("reports")

    # 1. The board monitoring report.
    text = _make_report(page, screenshot, kind="board", heading="Johtoryhmän seurantaraportti")
    projects = Project.objects.all()
    expected = _key_figures(projects, today)
    for city in City.objects.order_by("order"):
        mine = projects.filter(cities=city).aggregate(c=Sum("total_cost"), g=Sum("granted"))
        count = projects.filter(cities=city).count()
        expected.append(f"{city.name} {count} {fi_eur(mine['c'] or 0)} {fi_eur(mine['g'] or 0)}")
    for decision in Decision.objects.filter(agenda_item__meeting=meeting):
        expected.append(f"§ {decision.agenda_item.order} {decision.agenda_item.title[:30]}")
    _assert_in(expected, text)

    # 2. The city report: Helsinki's projects only.
    text = _make_report(
        page,
        screenshot,
        kind="city",
        heading="Kaupunkiraportti: Helsinki",
        subject=("Kaupunki", "Helsinki"),
    )
    _assert_in(_key_figures(projects.filter(cities=helsinki), today), text)
    for other in projects.exclude(cities=helsinki):
        assert other.name_fi[:20] not in text

    # 3. The project fact sheet.
    text = _make_report(
        page,
        screenshot,
        kind="project",
        heading=f"Hankkeen tietokortti: {project_label}",
        subject=("Hanke", project_label),
    )
    expected = [
        f"Kokonaiskustannusarvio {fi_eur(project.total_cost)}",
        f"Myönnetty {fi_eur(project.granted)}",
        f"Toteutusaika {project.start_date:%-d.%-m.%Y} – {project.end_date:%-d.%-m.%Y}",
    ]
    expected += [f"{fi_eur(grant.amount)}" for grant in project.grants.all()]
    expected += [
        f"{i.code} {i.name} ({i.unit}) {fi_number(i.target)} {fi_number(i.achieved)}"
        for i in project.indicators.all()
    ]
    _assert_in(expected, text)
    fact_sheet_url = page.url

    # 4. The meeting pack: the agenda with each application's weighted score, and the
    #    monitoring report as it stood.
    text = _make_report(
        page,
        screenshot,
        kind="meeting_pack",
        heading=f"Kokousaineisto: {meeting_label}",
        subject=("Johtoryhmän kokous", meeting_label),
    )
    expected = [f"§ {item.order} {item.title}" for item in meeting.items.all()]
    for application in Application.objects.filter(agenda_item__meeting=meeting):
        members = expected_scores(application)
        mean = (sum(members) / len(members)).quantize(TWO, rounding=ROUND_HALF_UP)
        lowest = min(members).quantize(TWO, rounding=ROUND_HALF_UP)
        highest = max(members).quantize(TWO, rounding=ROUND_HALF_UP)
        expected.append(
            f"{fi_eur(application.requested)} {fi_number(mean, 2)} "
            f"{fi_number(lowest, 2)}–{fi_number(highest, 2)} {len(members)}"
        )
    expected += _key_figures(projects, today)
    _assert_in(expected, text)

    # Every report is listed with its download link.
    nav_link(page, "Raportit").click()
    expect(page.get_by_role("link", name="Lataa PDF")).to_have_count(4)
    axe_check(page)
    screenshot("reports-list")

    # The fact sheet is public, like the project's page: logged out, it still downloads.
    logout(page)
    page.goto(fact_sheet_url)
    expect(page.locator("h1")).to_have_text(f"Hankkeen tietokortti: {project_label}")
    assert_page_basics(page, "fi")
    axe_check(page)
    screenshot("fact-sheet-logged-out")
    with page.expect_download() as info:
        page.get_by_role("link", name="Lataa PDF").click()
    assert fi_eur(project.total_cost) in pdftotext(Path(info.value.path()).read_bytes())
