"""Issue 18 in Chromium: the main journeys read in Swedish, with no Finnish interface text. A
visitor picks Svenska, signs in as a city coordinator, reads the city's projects and writes a
status report; a board member opens the next meeting; the office reads the meetings list and
the projects to complete."""

import pytest
from playwright.sync_api import expect

from projects.demo import DEMO_DRAFT_PERIOD, DEMO_OPEN_DATA
from projects.models import StatusReport
from tests.test_swedish_pages import finnish_on_page, finnish_only_patterns, finnish_only_texts

from .conftest import assert_page_basics, axe_check, login, logout

pytestmark = pytest.mark.browser


PATTERNS = finnish_only_patterns()  # texts the portal writes with values (a verdict, a note)


def _swedish(page, finnish: set[str]) -> None:
    assert_page_basics(page, "sv")
    found = finnish_on_page(page.content(), finnish, PATTERNS)
    assert not found, f"Finnish interface text on {page.url}: {found}"


def test_the_main_journeys_in_swedish(page, demo_users):
    finnish = finnish_only_texts()
    report = StatusReport.objects.get(
        project__name_fi=DEMO_OPEN_DATA, period__name=DEMO_DRAFT_PERIOD
    )
    page.goto("/")
    page.locator("button[name=language][value=sv]").first.click()
    page.wait_for_load_state()
    _swedish(page, finnish)

    # Sign-in page and the coordinator's home, in Swedish.
    page.goto("/accounts/login/")
    _swedish(page, finnish)
    login(page, "koordinaattori-helsinki")
    expect(page.get_by_role("heading", name="Din stads lägesrapporter")).to_be_visible()
    _swedish(page, finnish)

    # The portfolio and a project.
    page.goto("/projects/")
    _swedish(page, finnish)
    page.get_by_role("link", name=DEMO_OPEN_DATA, exact=True).first.click()
    expect(page.locator("h1")).to_contain_text(DEMO_OPEN_DATA)
    _swedish(page, finnish)

    # A status report: the form, and its errors, in Swedish.
    page.goto(f"/projects/reports/{report.pk}/edit/")
    _swedish(page, finnish)
    expect(page.get_by_role("button", name="Spara utkast")).to_be_visible()
    page.locator("input[name=costs_to_date]").fill("mycket")
    page.locator("button[name=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".error-summary")).to_be_visible()
    _swedish(page, finnish)
    axe_check(page)
    logout(page)

    # A board member's next meeting, and the office's list of meetings.
    login(page, "johtoryhma")
    page.goto("/meetings/next/")
    _swedish(page, finnish)
    axe_check(page)
    logout(page)
    login(page, "toimisto")
    page.goto("/meetings/")
    _swedish(page, finnish)
    # what the imported projects lack, written by the portal: in Swedish too
    page.goto("/projects/flagged/")
    expect(page.locator("td").filter(has_text="genomförare från minst två").first).to_be_visible()
    _swedish(page, finnish)
