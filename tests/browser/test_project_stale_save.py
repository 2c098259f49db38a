"""Issue 17 in Chromium: two people of the strategy office edit one project in two browser
contexts (two sessions). The first save is kept; the second, made from the older version, is
refused with the saved version and the editor's side by side, and nothing is overwritten.
Every step waits for what the page shows, never for a fixed time."""

import re

import pytest
from playwright.sync_api import expect

from projects.models import Project
from tests.projects import factories

from .conftest import TIMEOUT_MS, VIEWPORTS, axe_check, login

pytestmark = pytest.mark.browser


@pytest.fixture
def other_page(browser, viewport, live_server):
    """A second browser context: its own cookies, so its own session."""
    context = browser.new_context(base_url=live_server.url, locale="fi-FI", **VIEWPORTS[viewport])
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def test_two_sessions_editing_one_project_cannot_overwrite_each_other(
    page, other_page, screenshot, demo_users
):
    project = factories.full_project()
    edit = f"/projects/{project.pk}/edit/"
    login(page, "toimisto")
    login(other_page, "toimisto")
    page.goto(edit)
    other_page.goto(edit)
    expect(page.locator("input[name=name_en]")).to_have_value("Full project")
    expect(other_page.locator("input[name=name_en]")).to_have_value("Full project")

    page.locator("input[name=name_en]").fill("Renamed in the first session")
    page.get_by_role("button", name="Tallenna").click()
    expect(page).to_have_url(re.compile(rf"/projects/{project.pk}/$"))

    other_page.locator("input[name=name_en]").fill("Renamed in the second session")
    other_page.get_by_role("button", name="Tallenna").click()
    conflict = other_page.locator("#conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("Hanketta on muutettu sillä välin")
    row = other_page.locator(".conflict-table tr.differs").filter(has_text="Nimi englanniksi")
    expect(row.locator("td[data-version=saved]")).to_have_text("Renamed in the first session")
    expect(row.locator("td[data-version=yours]")).to_have_text("Renamed in the second session")
    # the second editor's typing is still in the form
    expect(other_page.locator("input[name=name_en]")).to_have_value("Renamed in the second session")
    axe_check(other_page)
    assert Project.objects.get(pk=project.pk).name_en == "Renamed in the first session"

    # The first session saves again meanwhile: the second's next save is refused again.
    page.goto(edit)
    page.locator("textarea[name=summary_en]").fill("Summary by the first")
    page.get_by_role("button", name="Tallenna").click()
    expect(page).to_have_url(re.compile(rf"/projects/{project.pk}/$"))
    other_page.get_by_role("button", name="Tallenna").click()
    expect(other_page.locator("#conflict")).to_be_visible()
    stored = Project.objects.get(pk=project.pk)
    assert (stored.name_en, stored.summary_en) == (
        "Renamed in the first session",
        "Summary by the first",
    )

    # Saving after seeing both is a deliberate choice, and it is taken.
    other_page.get_by_role("button", name="Tallenna").click()
    expect(other_page).to_have_url(re.compile(rf"/projects/{project.pk}/$"))
    assert Project.objects.get(pk=project.pk).name_en == "Renamed in the second session"
