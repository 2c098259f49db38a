"""Journey: the strategy office asks for the board monitoring report in the browser, a real
Celery worker makes it, the page (htmx, no reload by hand) shows it ready, and it downloads."""

import pytest
from playwright.sync_api import Page, expect

from tests.coordination.test_reports_worker import worker  # noqa: F401 - a fixture

from .conftest import assert_page_basics, axe_check, login, nav_link


@pytest.mark.worker
@pytest.mark.parametrize("viewport", ["desktop"])
def test_office_makes_a_report_and_downloads_it(
    page: Page,
    screenshot,
    demo_users,
    worker,  # noqa: F811
):
    login(page, "toimisto")
    nav_link(page, "Raportit").click()
    assert_page_basics(page, "fi")
    axe_check(page)
    screenshot("reports")
    page.get_by_label("Raportti", exact=True).select_option("board")
    page.get_by_role("button", name="Tee raportti").click()
    expect(page.locator("h1")).to_have_text("Johtoryhmän seurantaraportti")
    # The worker makes the PDF; the status box polls and the page shows the finished report.
    download_link = page.get_by_role("link", name="Lataa PDF")
    expect(download_link).to_be_visible(timeout=120_000)
    expect(page.locator("svg.chart").first).to_be_visible(timeout=30_000)
    assert_page_basics(page, "fi")
    axe_check(page)
    screenshot("report-done")
    with page.expect_download() as info:
        download_link.click()
    path = info.value.path()
    with open(path, "rb") as handle:
        assert handle.read(8) == b"%PDF-1.7"
