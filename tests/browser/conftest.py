"""Browser harness: real Chromium (Debian's, not Playwright's download) against ``live_server``.

Every test that takes ``page`` runs twice, at a desktop and a phone viewport (override with
``@pytest.mark.parametrize("viewport", ["phone"])``). Each test gets a fresh context: no cookies,
Finnish Accept-Language, the portal's Content-Security-Policy in force; a JavaScript error or a
CSP violation on any page fails the test.

Writing a journey::

    from .conftest import assert_page_basics, axe_check, login, nav_link

    def test_something(page, screenshot, demo_users):   # demo_users: 6Aika data + demo accounts
        login(page, "koordinaattori-helsinki")  # demo password, through the form
        nav_link(page, "Hankkeet").click()      # opens the phone menu when folded
        assert_page_basics(page, "fi")          # <html lang>, title, one h1, no sideways scroll
        axe_check(page)                         # every page visited, logged out and in
        screenshot("projects")                  # <test>-<viewport>-01-projects.png

A journey about what people do once signed in starts with ``sign_in(page, username)`` (a
session cookie, no form; the next ``goto`` opens the first page); ``login`` walks the form.
A form that came back with errors: ``assert_form_errors(page, "field", ...)`` (focused summary
linking to each field, message next to it tied by aria-describedby, aria-invalid).
Keyboard-only steps: ``tab_to(page, lambda f: ...)`` presses Tab until the focused element
matches and fails if any focus stop on the way is not visibly outlined; ``keyboard_open_menu``.
Screenshots land in ``test-artifacts/screenshots/`` (gitignored; CI keeps them as artefacts):
one per ``screenshot(step)``, the final state as ``<test>-<viewport>.png``, and
``<test>-<viewport>-failed.png`` when a test fails.
"""

import hashlib
import os
import re
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio loop in this thread; Django refuses ORM calls from a
# thread with a running loop unless told that this is deliberate. The ORM calls here are the
# test's own set-up, never concurrent with the loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import (  # noqa: E402
    Browser,
    BrowserContext,
    Locator,
    Page,
    expect,
    sync_playwright,
)

from sixaika.demo import DEMO_PASSWORD  # noqa: E402
from tests import once  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
# axe is put into the page through the DevTools protocol (page.evaluate), which the page's
# Content-Security-Policy (script-src 'self') does not apply to: the policy stays on for the
# page's own scripts in every test, and a page that breaks it fails. Read once per process; a
# script tag fetched through a route cost twice the CPU (routing also turns the HTTP cache off).
AXE_SOURCE = AXE_JS.read_text(encoding="utf-8")
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
# Screenshots are evidence, not checks: what the viewport shows, which costs a tenth of a second.
# A whole long page costs seconds of CPU (it is laid out and encoded at its full height: 300 of
# them were a tenth of the suite's time); a failed test's last screenshot is always the whole page,
# and SIXAIKA_FULL_SCREENSHOTS=1 makes every screenshot the whole page.
FULL_SCREENSHOTS = os.environ.get("SIXAIKA_FULL_SCREENSHOTS") == "1"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True},
}
# Violations at these impacts fail a test; "moderate" and "minor" ones do not (nor are they shown).
AXE_FAIL_IMPACTS = ("serious", "critical")
TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


# The fonts pages are laid out with: exactly those of the Debian packages `make test` requires
# (scripts/check_services.py), whatever else a machine has installed, so a width measured in a
# test is the same on every machine.
FONT_DIRS = ("/usr/share/fonts/truetype/noto", "/usr/share/fonts/truetype/dejavu")
FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  {dirs}
  <cachedir>{cache}</cachedir>
  <alias binding="same"><family>sans-serif</family>
    <prefer><family>Noto Sans</family><family>DejaVu Sans</family></prefer></alias>
  <alias binding="same"><family>sans</family><prefer><family>Noto Sans</family></prefer></alias>
  <alias binding="same"><family>system-ui</family>
    <prefer><family>Noto Sans</family></prefer></alias>
  <alias binding="same"><family>serif</family>
    <prefer><family>Noto Serif</family><family>DejaVu Serif</family></prefer></alias>
  <alias binding="same"><family>monospace</family>
    <prefer><family>DejaVu Sans Mono</family><family>Noto Sans Mono</family></prefer></alias>
  <!-- a request naming no family (Chromium's system-ui) falls back to Noto Sans, as Debian's
       own configuration makes it -->
  <match target="pattern"><edit name="family" mode="append_last"><string>Noto Sans</string></edit>
  </match>
  <!-- rendered as Debian's defaults do (slight hinting: fractional advances, no rounding) -->
  <match target="pattern">
    <edit name="antialias" mode="assign"><bool>true</bool></edit>
    <edit name="hinting" mode="assign"><bool>true</bool></edit>
    <edit name="hintstyle" mode="assign"><const>hintslight</const></edit>
    <edit name="rgba" mode="assign"><const>none</const></edit>
  </match>
</fontconfig>
"""


def _fontconfig(folder: Path) -> Path:
    missing = [d for d in FONT_DIRS if not Path(d).is_dir()]
    if missing:
        pytest.fail(f"Fonts needed: apt-get install fonts-noto-core fonts-dejavu-core {missing}")
    conf = folder / "fonts.conf"
    conf.write_text(
        FONTCONFIG.format(
            dirs="\n  ".join(f"<dir>{d}</dir>" for d in FONT_DIRS), cache=folder / "cache"
        )
    )
    return conf


@pytest.fixture(scope="session")
def browser(tmp_path_factory) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is needed for browser tests: apt-get install chromium ({CHROMIUM})")
    fonts = _fontconfig(tmp_path_factory.mktemp("fontconfig"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            env={**os.environ, "FONTCONFIG_FILE": str(fonts)},
        )
        yield browser
        browser.close()


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request) -> str:
    return request.param


# Each context's server (``sign_in`` gives its cookie for it).
_BASE_URLS: weakref.WeakKeyDictionary[BrowserContext, str] = weakref.WeakKeyDictionary()


def _open_page(browser: Browser, viewport: str, request, base_url: str) -> Iterator[Page]:
    # The browser asks for Finnish first, as a Finnish official's would; the portal's default
    # is Finnish anyway, so this only makes the Accept-Language header realistic.
    context = browser.new_context(base_url=base_url, locale="fi-FI", **VIEWPORTS[viewport])
    _BASE_URLS[context] = base_url
    context.set_default_timeout(TIMEOUT_MS)
    for old in SCREENSHOTS.glob(f"{_test_name(request)}-{viewport}*.png"):
        old.unlink()  # a re-run leaves only its own pictures
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def on_console(msg) -> None:
        # A form sent back with errors answers 400 on purpose; Chromium logs that as a failed
        # load of the document itself. Any other failed resource is still an error.
        own_document = msg.location.get("url") == page.url and msg.text.startswith(
            "Failed to load resource: the server responded with a status of 4"
        )
        if msg.type == "error" and not own_document:
            errors.append(msg.text)

    page.on("console", on_console)
    yield page
    report = getattr(request.node, "rep_call", None)
    failed = report is not None and report.failed
    _save(page, f"{_test_name(request)}-{viewport}{'-failed' if failed else ''}", whole=failed)
    context.close()
    assert not errors, "JavaScript errors on the page:\n" + "\n".join(errors)


@pytest.fixture
def page(browser: Browser, viewport: str, live_server, request) -> Iterator[Page]:
    """A fresh browser context (no cookies) at the viewport, pointed at the live server."""
    yield from _open_page(browser, viewport, request, live_server.url)


HARNESS_ORIGIN = "http://harness.test"


@pytest.fixture
def harness_page(browser: Browser, viewport: str, request) -> Iterator[Page]:
    """A page on a made-up origin, for testing the harness itself without a server or database:
    ``harness_page.goto("/")`` shows ``HARNESS_HTML`` (a minimal valid page); ``/static/...``
    serves the portal's static files, so its CSS and JavaScript can be tried on made-up pages
    (``page.route(...)`` a path to your own HTML)."""

    def serve(route):
        route.fulfill(body=HARNESS_HTML, content_type="text/html; charset=utf-8")

    def serve_static(route):
        path = ROOT / "static" / route.request.url.removeprefix(f"{HARNESS_ORIGIN}/static/")
        route.fulfill(path=path) if path.is_file() else route.fulfill(status=404)

    for page in _open_page(browser, viewport, request, HARNESS_ORIGIN):
        page.context.route(f"{HARNESS_ORIGIN}/", serve)
        page.context.route(f"{HARNESS_ORIGIN}/static/**", serve_static)
        yield page


HARNESS_HTML = """<!DOCTYPE html><html lang="fi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Testi</title></head>
<body><main><h1>Otsikko</h1><p>Tekstiä.</p></main></body></html>"""


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report


def _test_name(request) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", request.node.originalname).strip("-")


def _save(page: Page, name: str, whole: bool = False) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    # Generous: a loaded machine can be slow over fonts; a screenshot is evidence, not a check.
    page.screenshot(path=str(path), full_page=whole or FULL_SCREENSHOTS, timeout=60_000)
    return path


@pytest.fixture
def screenshot(page: Page, viewport: str, request) -> Callable[[str], Path]:
    """``screenshot("login-error")`` -> test-artifacts/screenshots/<test>-<viewport>-<step>.png."""
    counter = iter(range(1, 1000))

    def take(step: str) -> Path:
        return _save(page, f"{_test_name(request)}-{viewport}-{next(counter):02d}-{step}")

    return take


# What differs between two renders of the same page and means nothing to axe: the CSP nonce and
# the masked CSRF token, both new on every answer.
_PER_ANSWER = re.compile(r'(nonce|name="csrfmiddlewaretoken" value)="[^"]*"')


def _axe_key(page: Page) -> str:
    """The page as axe sees it: its document, with what changes on every answer left out, in
    its viewport (layout rules such as target size depend on it)."""
    html, width, height = page.evaluate(
        "() => [document.documentElement.outerHTML, innerWidth, innerHeight]"
    )
    text = f"{width}x{height}\n{_PER_ANSWER.sub('', html)}"
    return hashlib.sha256(text.encode()).hexdigest()


# Only violations at AXE_FAIL_IMPACTS fail a test. A rule whose own impact and whose every
# check's impact are "minor" or "moderate" can never report one (axe reports a violation at the
# highest impact of its failed checks), so running it changes no verdict: it is turned off, read
# from axe's own metadata on the page, so a new axe version's rules are sorted the same way.
# About a quarter of axe's time on a portal page (region, the landmark rules, heading-order...).
_AXE_RULES_THAT_CANNOT_FAIL = """(() => {
    const low = new Set(['minor', 'moderate']);
    const checks = axe._audit.data.checks;
    const off = {};
    for (const rule of axe._audit.rules) {
        const ids = [...rule.any, ...rule.all, ...rule.none].map(c => c.id || c);
        if (low.has(rule.impact) && ids.every(id => low.has((checks[id] || {}).impact))) {
            off[rule.id] = {enabled: false};
        }
    }
    return off;
})()"""


def axe_check(page: Page) -> None:
    """Run axe-core on the page as it is now; fail on serious or critical violations.

    axe's verdict depends only on the document, its styles and the viewport: a document this
    run's processes have already checked and passed, byte for byte (but for the nonce and the
    CSRF token), in the same viewport is not checked again (``tests/once.py``)."""
    key = _axe_key(page)
    if once.seen("axe-passed", key):
        return
    _axe_run(page)
    once.mark("axe-passed", key)


def _axe_run(page: Page) -> None:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations'], rules: """
        + _AXE_RULES_THAT_CANNOT_FAIL
        + """});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))
            }));
        }"""
    )
    fatal = [v for v in result if v["impact"] in AXE_FAIL_IMPACTS]
    if fatal:
        lines = [f"axe: {len(fatal)} serious/critical violation(s) on {page.url}"]
        for v in fatal:
            lines.append(f"- [{v['impact']}] {v['id']}: {v['help']}")
            for node in v["nodes"][:5]:
                summary = " ".join((node["summary"] or "").split())
                lines.append(f"    at {node['target']}: {summary}")
            if len(v["nodes"]) > 5:
                lines.append(f"    ... and {len(v['nodes']) - 5} more")
        pytest.fail("\n".join(lines), pytrace=False)


def assert_page_basics(page: Page, lang: str) -> None:
    """What every page owes a reader: its language, a title, one h1, no sideways scrolling."""
    # A click that navigates returns once the new page has committed, which can be before
    # its document is parsed: wait for it, and let the language check retry.
    page.wait_for_load_state("domcontentloaded")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert page.title().strip(), f"{page.url} has no <title>"
    assert page.locator("h1").count() == 1, f"{page.url} should have exactly one <h1>"
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def assert_form_errors(page: Page, *field_names: str) -> None:
    """A form came back with errors, told the way issue 9 asks: a focused summary at the top
    that links to each field, and next to each field its own message, tied to it
    (aria-invalid, aria-describedby) so a screen reader reads it with the field."""
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    for name in field_names:
        field = page.locator(f"[name='{name}']:not([type=hidden])").first
        field_id = field.get_attribute("id")
        assert field_id, f"the field {name!r} has no id to link to"
        assert field.get_attribute("aria-invalid") == "true", f"{name!r} lacks aria-invalid"
        links = summary.locator(f"a[href='#{field_id}']")
        assert links.count() == 1, f"the error summary does not link to {name!r} (#{field_id})"
        described = (field.get_attribute("aria-describedby") or "").split()
        messages = [
            page.locator(f"[id='{ref}']").inner_text().strip()
            for ref in described
            if page.locator(f"[id='{ref}']").count() and page.locator(f"[id='{ref}']").is_visible()
        ]
        missing = [ref for ref in described if not page.locator(f"[id='{ref}']").count()]
        assert not missing, f"{name!r}: aria-describedby points at missing ids {missing}"
        assert any(messages), f"{name!r}: no visible message next to the field (aria-describedby)"


def login(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the login form, as a person would (mouse/touch)."""
    page.goto("/accounts/login/")
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    # retried until the page after the login has no password field (or the timeout says so)
    expect(page.locator("input[name=password]"), f"login as {username} failed").to_have_count(0)


def sign_in(page: Page, username: str) -> None:
    """Signed in as ``username`` without the sign-in form, for journeys about what people do once
    signed in: a session made on the server (the test client's ``force_login``, as the form's
    success would) handed to the browser as its session cookie, in place of any earlier session.
    The caller's next ``goto`` opens the first page. The form itself is walked by ``login``
    and its own journeys (test_login.py, test_two_factor.py, test_oidc.py, test_looks.py)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": _BASE_URLS[page.context],
                "httpOnly": True,
                "sameSite": "Lax",
            }
        ]
    )


def logout(page: Page) -> None:
    open_menu(page)
    page.locator(".site-nav form[action*=logout] button").click()
    page.wait_for_load_state()


def open_menu(page: Page) -> None:
    """On a phone the menu is folded behind the "Valikko" button: open it (no-op on desktop)."""
    _wait_for_scripts(page)
    toggle = page.locator(".menu-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
        expect(page.locator("#site-menu")).to_be_visible()


def _wait_for_scripts(page: Page) -> None:
    """portal.js folds the phone menu on DOMContentLoaded; until then the button is hidden and
    the menu open, so asking whether it is folded before that gives the wrong answer."""
    page.wait_for_function("() => document.readyState === 'complete'")


def nav_link(page: Page, name: str) -> Locator:
    """The main menu's link called ``name`` (exactly), with the menu opened if folded."""
    open_menu(page)
    link = page.get_by_role("navigation").get_by_role("link", name=name, exact=True)
    # Most entries sit in a group (a details element): open the group that holds this one.
    hidden_too = page.get_by_role("link", name=name, exact=True, include_hidden=True)
    group = page.locator("nav.site-nav details").filter(has=hidden_too)
    if group.count() and group.get_attribute("open") is None:
        group.locator("summary").click()
        expect(link).to_be_visible()
    return link


def keyboard_open_menu(page: Page) -> None:
    """Keyboard only: Tab to the menu button and press Enter, if the menu is folded."""
    _wait_for_scripts(page)
    toggle = page.locator(".menu-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        tab_to(page, lambda f: "menu-toggle" in f["classes"])
        page.keyboard.press("Enter")
        expect(toggle).to_have_attribute("aria-expanded", "true")


def focused(page: Page) -> dict:
    """What has the keyboard focus, and whether it is drawn (:focus-visible with an outline)."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {
                tag: el.tagName.toLowerCase(), name: el.getAttribute('name'),
                classes: el.getAttribute('class') || '',
                text: (el.innerText || el.value || '').trim(), href: el.getAttribute('href'),
                visible: el.matches(':focus-visible') && style.outlineStyle !== 'none'
                         && parseFloat(style.outlineWidth) >= 2,
            };
        }"""
    )


def tab_to(page: Page, matches: Callable[[dict], bool], limit: int = 40) -> dict:
    """Press Tab until the focused element ``matches``; check every stop on the way is visible."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if now["tag"] != "body":
            assert now["visible"], f"focus is not visible on {now}"
        if matches(now):
            return now
    pytest.fail(f"Tab never reached the element on {page.url}", pytrace=False)
