"""The API documentation page in real Chromium under the portal's Content Security Policy:
Swagger UI starts from the vendored files, loads the schema and lists every operation, and
the browser reports no CSP violation (an inline script or style would be refused)."""

import pytest

from tests.api import factories


@pytest.mark.django_db(transaction=True)
def test_swagger_ui_runs_under_the_csp(browser, live_server, org_6aika):
    """In the process's one Chromium (``browser``, tests/browser/conftest.py): a second
    Playwright in the same thread would find the first one's event loop running and refuse."""
    factories.project()
    problems: list[str] = []
    outside: list[str] = []
    context = browser.new_context(base_url=live_server.url)
    try:
        page = context.new_page()
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
    finally:
        context.close()
    assert {"/api/v1/projects/", "/api/v1/decisions/", "/api/v1/bodies/{id}/"} <= {
        o.replace("\u200b", "") for o in operations
    }
    assert status.strip() == "200", problems
    csp = [p for p in problems if "Content Security Policy" in p or "Refused" in p]
    assert not csp, csp
    assert not outside, f"requests outside the portal: {outside}"
