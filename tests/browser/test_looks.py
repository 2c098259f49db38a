"""The portal's looks in Chromium (issue 18), at desktop (1280 px) and phone (375 px) width:
the menu on one line on a desktop and folded on a phone, the portfolio's filters folded on a
phone (the list starts on the first screen), the charts with their tables, a status report's
empty submission answered like any refused form, and no sideways scrolling anywhere."""

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import (
    assert_form_errors,
    assert_page_basics,
    axe_check,
    nav_link,
    open_menu,
    sign_in,
)

pytestmark = pytest.mark.browser


def _menu_rows(page: Page) -> int:
    """How many lines the menu's top-level entries take."""
    return page.evaluate(
        """() => new Set(Array.from(document.querySelectorAll('.site-nav > ul > li'))
            .filter(li => li.offsetParent !== null)
            .map(li => Math.round(li.getBoundingClientRect().top))).size"""
    )


def test_menu_fits_one_line_on_a_desktop_and_folds_on_a_phone(
    page: Page, viewport, screenshot, demo_users
):
    sign_in(page, "toimisto")  # the office sees every entry of the menu
    page.goto("/")
    if viewport == "desktop":
        assert _menu_rows(page) == 1
        group = page.locator(".site-nav details").filter(has_text="Seuranta")
        group.locator("summary").click()
        expect(group.get_by_role("link", name="Raportit")).to_be_visible()
        axe_check(page)
        screenshot("menu-group-open")
        page.keyboard.press("Escape")
        expect(group.get_by_role("link", name="Raportit")).to_be_hidden()
        expect(group.locator("summary")).to_be_focused()
    else:
        expect(page.locator("#site-menu")).to_be_hidden()
        open_menu(page)
        screenshot("menu-open")
    nav_link(page, "Tapahtumat").click()
    page.wait_for_url("**/events/")
    assert_page_basics(page, "fi")


def test_portfolio_filters_fold_on_a_phone_and_charts_show_their_figures(
    page: Page, viewport, screenshot, demo_users
):
    page.goto("/projects/")
    assert_page_basics(page, "fi")
    panel = page.locator("details.filter-panel")
    filters = panel.locator("select[name=city]")
    page.wait_for_function("() => document.readyState === 'complete'")
    if viewport == "phone":
        # Folded: the list of projects starts on the first screen, under the summary.
        expect(filters).to_be_hidden()
        first_row = page.locator("#results table tbody tr").first
        assert first_row.bounding_box()["y"] < 812, "the filters fill the first screen"
        panel.locator("summary").click()
        expect(filters).to_be_visible()
        assert_page_basics(page, "fi")  # open, they still fit the width
    else:
        expect(filters).to_be_visible()
    screenshot("portfolio")
    figures = page.locator("figure.chart-figure")
    expect(figures).to_have_count(3)
    for caption in (
        "Myönnetty rahoitus kaupungeittain",
        "Myönnetty rahoitus teemoittain",
        "Myönnetty rahoitus aloitusvuosittain",
    ):
        figure = figures.filter(has=page.locator("figcaption", has_text=caption))
        expect(figure.get_by_role("img", name=caption)).to_be_visible()
        table = figure.locator("table")
        expect(table).to_be_hidden()
        figure.locator("summary").click()
        expect(table).to_be_visible()
        assert table.locator("tbody tr").count() >= 1
    axe_check(page)
    screenshot("portfolio-charts")


def test_empty_status_report_submission_is_refused_like_any_form(page: Page, demo_users):
    from projects.models import StatusReport

    report = (
        StatusReport.objects.filter(
            state=StatusReport.State.DRAFT, project__cities__slug="helsinki"
        )
        .order_by("pk")
        .first()
    )
    assert report is not None, "the demo has a Helsinki draft"
    StatusReport.objects.filter(pk=report.pk).update(
        overall_status="", schedule_status="", narrative="", costs_to_date=None
    )
    sign_in(page, "koordinaattori-helsinki")
    page.goto(f"/projects/reports/{report.pk}/edit/")
    page.locator("textarea[name=risks]").fill("Kirjoitettu teksti säilyy.")
    page.get_by_role("button", name="Tallenna ja lähetä").click()
    page.wait_for_load_state()
    assert_form_errors(page, "narrative", "costs_to_date")
    expect(page.locator("textarea[name=risks]")).to_have_value("Kirjoitettu teksti säilyy.")
    axe_check(page)


def test_project_page_shows_indicators_against_targets_and_prints_content_only(
    page: Page, viewport, screenshot, demo_users
):
    from projects.models import Project

    project = Project.objects.filter(indicators__target__gt=0).order_by("pk").first()
    assert project is not None, "the demo has a project with indicator targets"
    page.goto(f"/projects/{project.pk}/")
    assert_page_basics(page, "fi")
    figure = page.locator("figure.chart-figure").filter(
        has=page.locator("figcaption", has_text="Indikaattorit suhteessa tavoitteisiin")
    )
    expect(figure.get_by_role("img", name="Indikaattorit suhteessa tavoitteisiin")).to_be_visible()
    figure.locator("summary").click()
    expect(figure.locator("tbody tr")).to_have_count(
        project.indicators.filter(target__gt=0).count()
    )
    axe_check(page)
    screenshot("project-charts")
    # On paper: the content, without the header, the menu or the language choice.
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    page.emulate_media(media="screen")


def test_a_limited_text_counts_down_and_stops_at_its_limit_on_a_form_of_its_own(
    page: Page, viewport, screenshot, demo_users
):
    """The password reset's form is drawn field by field in its own template, not by
    partials/field.html: its e-mail address says its limit and counts down all the same, and
    typing past the limit adds nothing, with the counter saying so."""
    page.goto("/accounts/password-reset/")
    assert_page_basics(page, "fi")
    field = page.locator("input[name=email]")
    counter = page.locator("#id_email_count")
    expect(counter).to_have_text("254 merkkiä jäljellä (enintään 254).")
    expect(field).to_have_attribute("aria-describedby", "id_email_count")
    field.fill("a" * 240 + "@example.fi")  # 251 characters
    expect(counter).to_have_text("3 merkkiä jäljellä (enintään 254).")
    expect(counter).not_to_have_class(re.compile(r"char-count--over"))
    field.press("End")
    field.press_sequentially("abcdef")  # three fit, three do not
    expect(field).to_have_value("a" * 240 + "@example.fiabc")
    expect(counter).to_have_text("0 merkkiä jäljellä (enintään 254).")
    expect(counter).to_have_class(re.compile(r"char-count--over"))
    axe_check(page)
    screenshot("limit-reached")
