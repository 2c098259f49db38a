"""The API documentation page in real Chromium under the portal's Content Security Policy:
Swagger UI starts from the vendored files, loads the schema and lists every operation, and
the browser reports no CSP violation (an inline script or style would be refused)."""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio loop in this thread; the ORM calls here are the test's
# own set-up, never concurrent with it (as in tests/browser/conftest.py).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import sync_playwright  # noqa: E402

from . import factories  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_swagger_ui_runs_under_the_csp(live_server, org_6aika):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is needed for browser tests: apt-get install chromium ({CHROMIUM})")
    factories.project()
    problems: list[str] = []
    outside: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(base_url=live_server.url)
        page.on(
            "console",
            lambda msg: problems.append(msg.text) if msg.type in ("error", "warning") else None,
        )
        page.on("pageerror", lambda exc: problems.append(str(exc)))
        page.on(
            "request",
            lambda req: (
                None if req.url.startswith((live_server.url, "data:")) else outside.append(req.url)
            ),
        )
        page.goto("/api/v1/docs/")
        page.wait_for_selector(".opblock", timeout=15_000)
        operations = page.locator(".opblock-summary-path").all_inner_texts()
        # Try one operation the way a developer would: it answers from the live server.
        page.locator(".opblock-summary", has_text="/api/v1/projects/").first.click()
        page.get_by_role("button", name="Try it out").first.click()
        page.get_by_role("button", name="Execute").first.click()
        page.wait_for_selector(".live-responses-table tbody .response-col_status", timeout=15_000)
        status = page.locator(".live-responses-table tbody .response-col_status").first.inner_text()
        browser.close()
    assert {"/api/v1/projects/", "/api/v1/decisions/", "/api/v1/bodies/{id}/"} <= {
        o.replace("\u200b", "") for o in operations
    }
    assert status.strip() == "200", problems
    csp = [p for p in problems if "Content Security Policy" in p or "Refused" in p]
    assert not csp, csp
    assert not outside, f"requests outside the portal: {outside}"
