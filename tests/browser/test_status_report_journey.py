"""Issue 3 / issue 9 journey 1 in Chromium: a coordinator writes a status report, makes a mistake
the form explains, fixes it and submits; the strategy office returns it with a comment; the
coordinator fixes and resubmits; the office accepts. At desktop and phone widths, with axe."""

import pytest
from playwright.sync_api import expect

from projects.demo import DEMO_DRAFT_PERIOD, DEMO_OPEN_DATA
from projects.models import StatusReport

from .conftest import (
    assert_form_errors,
    assert_page_basics,
    axe_check,
    focused,
    login,
    logout,
    sign_in,
    tab_to,
)

pytestmark = pytest.mark.browser


def _fill_report(page, costs: str) -> None:
    for field in ("overall_status", "schedule_status", "budget_status", "scope_status"):
        page.locator(f"input[name={field}][value=green]").check()
    page.locator("textarea[name=narrative]").fill("Kokeiluhaku avattiin ja kolme yritystä mukana.")
    page.locator("input[name=costs_to_date]").fill(costs)
    page.locator("textarea[name=risks]").fill("Ei uusia riskejä.")
    page.locator("textarea[name=next_steps]").fill("Kokeilujen arviointi.")
    for indicator in page.locator("input[name^=indicator_]").all():
        indicator.fill("4")


def test_coordinator_submits_office_returns_coordinator_resubmits_office_accepts(
    page, screenshot, demo_users
):
    report = StatusReport.objects.get(
        project__name_fi=DEMO_OPEN_DATA, period__name=DEMO_DRAFT_PERIOD
    )
    assert report.state == StatusReport.State.DRAFT

    # The coordinator sees what is due for the city and opens the project.
    login(page, "koordinaattori-helsinki")
    expect(page.get_by_role("heading", name="Kaupunkisi tilannekatsaukset")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name=DEMO_OPEN_DATA, exact=True).click()
    expect(page.locator("h1")).to_contain_text(DEMO_OPEN_DATA)
    assert_page_basics(page, "fi")
    axe_check(page)
    screenshot("project")

    # Writes the report and makes a mistake the form explains; nothing typed is lost.
    page.goto(f"/projects/reports/{report.pk}/edit/")
    assert_page_basics(page, "fi")
    axe_check(page)
    _fill_report(page, costs="paljon")
    page.locator("button[name=submit]").click()
    page.wait_for_load_state()
    assert_form_errors(page, "costs_to_date")
    axe_check(page)
    screenshot("mistake-explained")
    expect(page.locator("textarea[name=narrative]")).to_have_value(
        "Kokeiluhaku avattiin ja kolme yritystä mukana."
    )
    report.refresh_from_db()
    assert report.state == StatusReport.State.DRAFT and report.costs_to_date is None

    # Fixes it and submits.
    page.locator("input[name=costs_to_date]").fill("250 000")
    page.locator("button[name=submit]").click()
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.state == StatusReport.State.SUBMITTED
    assert str(report.costs_to_date) == "250000.00"
    screenshot("submitted")

    # The strategy office returns it with a comment.
    sign_in(page, "toimisto")
    page.goto(f"/projects/reports/{report.pk}/")
    assert_page_basics(page, "fi")
    axe_check(page)
    page.locator("textarea[name=comment]").fill("Lisätkää kustannuserittely.")
    page.locator("button[name=to_state][value=returned]").click()
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.state == StatusReport.State.RETURNED
    screenshot("returned")
    logout(page)

    # The coordinator sees it returned, fixes and resubmits.
    login(page, "koordinaattori-helsinki")
    expect(page.get_by_role("heading", name="Palautettu korjattavaksi")).to_be_visible()
    page.get_by_role("link", name=f"{DEMO_OPEN_DATA}, {DEMO_DRAFT_PERIOD}").click()
    expect(page.get_by_text("Lisätkää kustannuserittely.")).to_be_visible()
    axe_check(page)
    page.locator("input[name=costs_to_date]").fill("262 500,50")
    page.locator("button[name=submit]").click()
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.state == StatusReport.State.RESUBMITTED
    assert str(report.costs_to_date) == "262500.50"

    # The office accepts.
    sign_in(page, "toimisto")
    page.goto(f"/projects/reports/{report.pk}/")
    page.locator("button[name=to_state][value=accepted]").click()
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.state == StatusReport.State.ACCEPTED
    axe_check(page)
    screenshot("accepted")
    assert [
        (t.to_state, t.by.username, t.comment)
        for t in report.transitions.select_related("by").order_by("at", "pk")
    ] == [
        ("submitted", "koordinaattori-helsinki", ""),
        ("returned", "toimisto", "Lisätkää kustannuserittely."),
        ("resubmitted", "koordinaattori-helsinki", ""),
        ("accepted", "toimisto", ""),
    ]


def test_coordinator_writes_a_report_with_the_keyboard_alone(page, screenshot, demo_users):
    """No mouse: Tab to each field, Space to pick a traffic light, type; a wrong amount sends
    the focus to the error summary, whose link leads back to the field; fix and submit."""
    report = StatusReport.objects.get(
        project__name_fi=DEMO_OPEN_DATA, period__name=DEMO_DRAFT_PERIOD
    )
    page.goto("/accounts/login/")
    tab_to(page, lambda f: f["name"] == "username")
    page.keyboard.type("koordinaattori-helsinki")
    tab_to(page, lambda f: f["name"] == "password", limit=1)
    page.keyboard.type("demo-6aika")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Kaupunkisi tilannekatsaukset")).to_be_visible()

    page.goto(f"/projects/reports/{report.pk}/edit/")
    assert_page_basics(page, "fi")
    for index, field in enumerate(
        ("overall_status", "schedule_status", "budget_status", "scope_status")
    ):
        # the first Tab stop in a group of radios is its first choice, green
        now = tab_to(page, lambda f, field=field: f["name"] == field, limit=80 if not index else 5)
        assert now["tag"] == "input"
        page.keyboard.press("Space")
        expect(page.locator(f"input[name={field}][value=green]")).to_be_checked()
    screenshot("traffic-lights")
    typed = {
        "narrative": "Näppäimistöllä kirjoitettu katsaus.",
        "costs_to_date": "paljon",
        "risks": "Ei uusia riskejä.",
        "next_steps": "Arviointi.",
    }
    for name, text in typed.items():
        tab_to(page, lambda f, name=name: f["name"] == name, limit=3)
        page.keyboard.press("Control+A")  # the draft's earlier text is replaced
        page.keyboard.type(text)
    for _indicator in page.locator("input[name^=indicator_]").all():
        tab_to(page, lambda f: (f["name"] or "").startswith("indicator_"), limit=3)
        page.keyboard.press("Control+A")
        page.keyboard.type("4")
    tab_to(page, lambda f: f["name"] == "submit", limit=4)
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    # The summary has the focus and says what is wrong; nothing typed is lost.
    assert_form_errors(page, "costs_to_date")
    screenshot("summary-focused")
    expect(page.locator("textarea[name=narrative]")).to_have_value(typed["narrative"])
    report.refresh_from_db()
    assert report.state == StatusReport.State.DRAFT and report.costs_to_date is None

    # Its link takes the keyboard to the field.
    link = tab_to(page, lambda f: f["tag"] == "a", limit=1)
    assert link["href"] == "#id_costs_to_date"
    page.keyboard.press("Enter")
    expect(page.locator("input[name=costs_to_date]")).to_be_focused()
    assert focused(page)["name"] == "costs_to_date"
    page.keyboard.press("Control+A")
    page.keyboard.type("250 000")
    screenshot("fixed")
    tab_to(page, lambda f: f["name"] == "submit", limit=12)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/projects/reports/{report.pk}/")
    expect(page.get_by_text("Tilannekatsaus lähetettiin.")).to_be_visible()
    report.refresh_from_db()
    assert report.state == StatusReport.State.SUBMITTED
    assert str(report.costs_to_date) == "250000.00"
    assert report.narrative == typed["narrative"]
    axe_check(page)
