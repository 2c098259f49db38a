"""Issue 3 in Chromium: the strategy office enters a project with its co-implementers'
sub-budgets, a grant and the cities' contributions; a grant larger than the total cost is
explained at the field and in the focused summary, nothing is saved, and after the fix the
project page shows the computed funding rate. At desktop and phone widths, with axe."""

import pytest
from playwright.sync_api import expect

from projects.models import Project

from .conftest import assert_form_errors, assert_page_basics, axe_check, sign_in

pytestmark = pytest.mark.browser

NAME = "Selaimella syötetty hanke"


def test_office_enters_a_project_with_its_funding(page, screenshot, demo_users):
    sign_in(page, "toimisto")
    page.goto("/projects/new/")
    assert_page_basics(page, "fi")
    axe_check(page)
    page.locator("input[name=name_fi]").fill(NAME)
    page.locator("select[name=programme]").select_option(label="6Aika")
    page.locator("select[name=lead]").select_option(label="Tampereen kaupunki")
    page.locator("input[name=lead_budget]").fill("200 000")
    page.locator("select[name=partners-0-organisation]").select_option(label="Turun kaupunki")
    page.locator("input[name=partners-0-budget]").fill("125 000")
    page.locator("input[name=target_groups]").fill("Yritykset; Nuoret")
    page.locator("input[name=start_date]").fill("1.1.2022")
    page.locator("input[name=end_date]").fill("31.12.2023")
    page.locator("input[name=total_cost]").fill("325 000")
    page.locator("select[name=grants-0-funder]").select_option(label="Pirkanmaan liitto")
    page.locator("select[name=grants-0-instrument]").select_option(value="AKKE")
    page.locator("input[name=grants-0-amount]").fill("400 000")
    page.locator("select[name=contributions-0-city]").select_option(label="Tampere")
    page.locator("input[name=contributions-0-amount]").fill("32 500")
    page.get_by_role("button", name="Tallenna").click()
    page.wait_for_load_state()

    assert_form_errors(page, "total_cost")
    expect(page.locator("#id_total_cost_error")).to_contain_text("400\xa0000\xa0€")
    axe_check(page)
    screenshot("granted-more-than-cost")
    assert not Project.objects.filter(name_fi=NAME).exists()
    expect(page.locator("input[name=partners-0-budget]")).to_have_value("125 000")

    page.locator("input[name=grants-0-amount]").fill("260 000")
    page.get_by_role("button", name="Tallenna").click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_have_text(NAME)
    for text in ("260\xa0000\xa0€", "325\xa0000\xa0€", "80\xa0%", "32\xa0500\xa0€"):
        expect(page.locator("main")).to_contain_text(text)
    axe_check(page)
    screenshot("saved")
    project = Project.objects.get(name_fi=NAME)
    assert sorted((i.organisation.name, i.budget) for i in project.implementers.all()) == [
        ("Tampereen kaupunki", 200000),
        ("Turun kaupunki", 125000),
    ]
