"""The harness's own checks must be able to fail, or the journeys prove nothing.

These run on a made-up page (no server, no database), at one width each: they test the
harness, not the portal.
"""

import uuid

import pytest
from playwright.sync_api import Page, expect

from .conftest import (
    _AXE_RULES_THAT_CANNOT_FAIL,
    AXE_SOURCE,
    HARNESS_HTML,
    assert_form_errors,
    assert_page_basics,
    axe_check,
)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", ["desktop"])
def test_axe_check_fails_on_serious_violations_and_names_them(harness_page: Page):
    page = harness_page
    page.goto("/")
    axe_check(page)  # a clean page passes
    page.evaluate(
        """() => {
            const main = document.querySelector('main');
            main.insertAdjacentHTML('beforeend',
                '<img src="data:,"><p id="faint">faint text</p><input type="text">');
            document.getElementById('faint').style.color = '#bbb';
        }"""
    )
    with pytest.raises(pytest.fail.Exception) as failure:
        axe_check(page)
    message = str(failure.value)
    assert "[critical] image-alt" in message
    assert "[serious] color-contrast" in message
    assert "label" in message
    assert "at main > img" in message or "at img" in message


@pytest.mark.parametrize("viewport", ["desktop"])
def test_axe_check_leaves_out_only_rules_that_cannot_fail_a_test(harness_page: Page):
    """The rules turned off are those whose every impact is below "serious": running them could
    change no verdict. Every rule that can report a serious or critical violation runs."""
    page = harness_page
    page.goto("/")
    page.evaluate(AXE_SOURCE)
    off = set(page.evaluate(f"() => {_AXE_RULES_THAT_CANNOT_FAIL}"))
    rules = page.evaluate(
        """() => axe._audit.rules.map(r => [r.id, r.impact,
            [...r.any, ...r.all, ...r.none].map(c => axe._audit.data.checks[c.id || c].impact)])"""
    )
    can_fail = {
        rule for rule, impact, checks in rules if {impact, *checks} & {"serious", "critical"}
    }
    assert can_fail and not (off & can_fail), off & can_fail
    assert off == {rule for rule, _, _ in rules} - can_fail
    assert {"color-contrast", "image-alt", "label", "link-name", "target-size"} <= can_fail
    assert {"region", "heading-order", "landmark-one-main"} <= off
    # a moderate violation alone (a skipped heading level) passes, as it always did
    page.evaluate(
        "() => document.querySelector('main').insertAdjacentHTML('beforeend', '<h3>X</h3>')"
    )
    axe_check(page)


@pytest.mark.parametrize("viewport", ["desktop"])
def test_axe_check_checks_a_document_again_only_when_it_changed(harness_page: Page):
    page = harness_page

    def answer(route):  # a new CSP nonce on every answer, as the portal's pages have
        nonce = f'<script nonce="{uuid.uuid4().hex}"></script><title>'
        html = HARNESS_HTML.replace("<title>", nonce).replace("Tekstiä.", "Toinen sivu.")
        route.fulfill(body=html, content_type="text/html; charset=utf-8")

    page.route("**/nonce", answer)
    page.goto("/nonce")
    axe_check(page)
    page.reload()  # the same document but for its nonce: passed already, not run again
    axe_check(page)
    assert page.evaluate("() => typeof window.axe") == "undefined"
    page.evaluate(
        "() => document.querySelector('main').insertAdjacentHTML('beforeend', '<p>Uusi.</p>')"
    )
    axe_check(page)  # changed: checked
    assert page.evaluate("() => typeof window.axe") == "object"


@pytest.mark.parametrize("viewport", ["phone"])
def test_page_basics_catch_sideways_scrolling_and_a_missing_lang(harness_page: Page):
    page = harness_page
    page.goto("/")
    assert_page_basics(page, "fi")
    page.evaluate(
        """() => {
            const wide = document.createElement('div');
            wide.textContent = 'wide';
            wide.style.width = '3000px';
            document.querySelector('main').append(wide);
        }"""
    )
    with pytest.raises(AssertionError, match="scrolls sideways"):
        assert_page_basics(page, "fi")
    page.evaluate("() => document.documentElement.removeAttribute('lang')")
    with pytest.raises(AssertionError):
        assert_page_basics(page, "fi")


WIDE_TABLE_PAGE = (
    """<!DOCTYPE html><html lang="fi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Taulukko</title>
<link rel="stylesheet" href="/static/css/portal.css">
<script src="/static/js/portal.js" defer></script></head>
<body><main><h1>Taulukko</h1>
<div class="table-wrap" id="wide"><table class="data"><caption>Leveä</caption>
<tr>"""
    + "".join(f"<th scope='col'>Sarake{n}</th>" for n in range(14))
    + """</tr>
<tr>"""
    + "".join(f"<td>Arvo{n}</td>" for n in range(14))
    + """</tr></table></div>
<div class="table-wrap" id="narrow"><table class="data"><caption>Kapea</caption>
<tr><th scope='col'>A</th></tr><tr><td>1</td></tr></table></div>
</main></body></html>"""
)


TWO_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def test_scrolling_table_takes_the_keyboard_focus(harness_page: Page, viewport):
    """portal.js: a table wider than the screen can be scrolled from the keyboard."""
    page = harness_page
    page.route("**/wide-table", lambda r: r.fulfill(body=WIDE_TABLE_PAGE, content_type="text/html"))
    page.goto("/wide-table")
    page.wait_for_load_state()
    wide, narrow = page.locator("#wide"), page.locator("#narrow")
    if viewport == "phone":
        expect(wide).to_have_attribute("tabindex", "0")
        expect(wide).to_have_attribute("role", "region")
        expect(page.get_by_role("region", name="Leveä")).to_have_count(1)
        page.keyboard.press("Tab")
        expect(wide).to_be_focused()
        # Chromium scrolls by keyboard in its compositor, from the last frame it was given: an
        # arrow key pressed before a frame with the focused scroller has been drawn may scroll
        # nothing (the key was lost once in a full run, 10 s without a scroll). Wait for two
        # frames after the focus: a condition, not a time.
        page.evaluate(TWO_FRAMES)
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => document.getElementById('wide').scrollLeft > 0")
        # the caption stays in view while the table scrolls under it
        box = page.locator("#wide caption").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
    else:
        assert wide.get_attribute("tabindex") is None
    assert narrow.get_attribute("tabindex") is None  # no needless tab stops
    axe_check(page)


FORM_PAGE = """<!DOCTYPE html><html lang="fi"><head><meta charset="utf-8"><title>Lomake</title>
<script src="/static/js/portal.js" defer></script></head><body><main><h1>Lomake</h1>
<div class="error-summary" role="alert"><h2>Korjaa nämä</h2><ul>
<li><a href="#id_title">Otsikko: Tämä kenttä vaaditaan.</a></li></ul></div>
<form><label for="id_title">Otsikko</label>
<ul class="errorlist" id="id_title_error"><li>Tämä kenttä vaaditaan.</li></ul>
<input name="title" id="id_title" aria-invalid="true" aria-describedby="id_title_error">
<label for="id_amount">Summa</label>
<input name="amount" id="id_amount" aria-invalid="true" aria-describedby="id_amount_error">
</form></main></body></html>"""


@pytest.mark.parametrize("viewport", ["desktop"])
def test_form_error_helper_accepts_a_told_error_and_refuses_a_silent_one(harness_page: Page):
    page = harness_page
    page.route("**/form", lambda r: r.fulfill(body=FORM_PAGE, content_type="text/html"))
    page.goto("/form")
    assert_form_errors(page, "title")  # summary focused by portal.js, linked, message tied
    with pytest.raises(AssertionError, match="does not link to 'amount'"):
        assert_form_errors(page, "amount")
