"""Foundation journey in Chromium: public pages, three languages, log in (wrong, then right),
the home page with the user's roles, log out; and the same log-in with the keyboard alone.

axe-core runs on every page visited; every test runs at desktop and phone width.
"""

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from .conftest import (
    assert_page_basics,
    axe_check,
    focused,
    keyboard_open_menu,
    nav_link,
    open_menu,
    tab_to,
)

pytestmark = pytest.mark.browser

USER = "johtoryhma-pj"  # the board chair: a role and seats to show on the home page
WRONG_PASSWORD = "not-the-password"


def _visit_checked(page: Page, screenshot, lang: str, step: str) -> None:
    page.wait_for_load_state()
    assert_page_basics(page, lang)
    axe_check(page)
    screenshot(step)


def _switch_language(page: Page, code: str) -> None:
    page.locator(f".lang-form button[lang={code}]").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", code)


def test_visitor_switches_language_logs_in_and_out(page: Page, screenshot, viewport, demo_users):
    page.goto("/")
    _visit_checked(page, screenshot, "fi", "home")
    expect(page.locator("h1")).to_have_text("6Aika-portaali")

    # On a phone the menu folds behind a button that says whether it is open.
    menu, toggle = page.locator("#site-menu"), page.locator(".menu-toggle")
    if viewport == "phone":
        expect(menu).to_be_hidden()
        expect(toggle).to_have_text("Valikko")
        expect(toggle).to_have_attribute("aria-expanded", "false")
        toggle.click()
        expect(menu).to_be_visible()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        axe_check(page)
        screenshot("menu-open")
    else:
        expect(toggle).to_be_hidden()
        expect(menu).to_be_visible()

    page.get_by_role("contentinfo").get_by_role("link", name="Saavutettavuusseloste").click()
    _visit_checked(page, screenshot, "fi", "accessibility")
    expect(page.locator("h1")).to_have_text("Saavutettavuusseloste")

    nav_link(page, "Johtoryhmä ja ohjausryhmä").click()
    _visit_checked(page, screenshot, "fi", "governance")
    expect(page.locator("h1")).to_have_text("Johtoryhmä ja ohjausryhmä")

    # English, then remembered on the next page
    _switch_language(page, "en")
    expect(page).to_have_url(re.compile(r"/governance/$"))
    expect(page.locator("h1")).to_have_text("Board and steering group")
    _visit_checked(page, screenshot, "en", "governance-en")
    page.locator(".site-brand").click()
    _visit_checked(page, screenshot, "en", "home-en")
    expect(page.locator("h1")).to_have_text("6Aika portal")

    # Swedish, remembered, then back to Finnish
    _switch_language(page, "sv")
    nav_link(page, "Ledningsgrupp och styrgrupp").click()
    _visit_checked(page, screenshot, "sv", "governance-sv")
    expect(page.locator("h1")).to_have_text("Ledningsgrupp och styrgrupp")
    page.get_by_role("contentinfo").get_by_role("link", name="Tillgänglighetsutlåtande").click()
    _visit_checked(page, screenshot, "sv", "accessibility-sv")
    _switch_language(page, "fi")
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "fi")

    # Log in: wrong password first, the form says so; nothing else changes
    nav_link(page, "Kirjaudu sisään").click()
    _visit_checked(page, screenshot, "fi", "login")
    page.get_by_label("Käyttäjätunnus").fill(USER)
    page.get_by_label("Salasana").fill(WRONG_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Kirjaudu sisään", exact=True).click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Kirjautuminen ei onnistunut")
    expect(summary).to_be_focused()  # a screen reader starts from what went wrong
    _visit_checked(page, screenshot, "fi", "login-error")
    expect(page.get_by_label("Käyttäjätunnus")).to_have_value(USER)

    page.get_by_label("Salasana").fill("demo-6aika")
    page.get_by_role("main").get_by_role("button", name="Kirjaudu sisään", exact=True).click()
    page.wait_for_url(lambda url: urlparse(url).path == "/")
    expect(page.locator("h1")).to_have_text("Tervetuloa, Tuula Antola")
    roles = page.get_by_role("region", name="Roolisi")
    expect(roles).to_contain_text("Johtoryhmän jäsen")
    _visit_checked(page, screenshot, "fi", "home-logged-in")

    nav_link(page, "Johtoryhmä ja ohjausryhmä").click()
    _visit_checked(page, screenshot, "fi", "governance-logged-in")

    open_menu(page)
    page.get_by_role("button", name="Kirjaudu ulos").click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_have_text("6Aika-portaali")
    expect(nav_link(page, "Kirjaudu sisään")).to_be_visible()
    _visit_checked(page, screenshot, "fi", "logged-out")


def test_keyboard_only_login_and_logout(page: Page, screenshot, viewport, demo_users):
    """No mouse: Tab and Enter only; every focus stop is drawn."""
    page.goto("/")
    assert_page_basics(page, "fi")

    # The first Tab stop is the skip link, and it works.
    skip = tab_to(page, lambda f: f["tag"] == "a", limit=1)
    assert skip["href"] == "#main"
    screenshot("skip-link")

    keyboard_open_menu(page)
    if viewport == "phone":  # Escape folds the menu again and gives the focus back
        page.keyboard.press("Tab")
        page.keyboard.press("Escape")
        expect(page.locator("#site-menu")).to_be_hidden()
        expect(page.locator(".menu-toggle")).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.locator("#site-menu")).to_be_visible()
    tab_to(page, lambda f: f["tag"] == "a" and (f["href"] or "").startswith("/accounts/login/"))
    screenshot("focus-login-link")
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/login/**")

    tab_to(page, lambda f: f["name"] == "username")
    page.keyboard.type(USER)
    tab_to(page, lambda f: f["name"] == "password", limit=1)
    page.keyboard.type(WRONG_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator(".error-summary")).to_be_focused()
    screenshot("login-error")
    axe_check(page)

    tab_to(page, lambda f: f["name"] == "password")
    page.keyboard.type("demo-6aika")
    screenshot("focus-password")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator("h1")).to_have_text("Tervetuloa, Tuula Antola")
    axe_check(page)

    keyboard_open_menu(page)
    logout = tab_to(page, lambda f: f["tag"] == "button" and "Kirjaudu ulos" in f["text"])
    assert focused(page)["visible"]
    screenshot("focus-logout")
    assert logout["text"].startswith("Kirjaudu ulos")
    page.keyboard.press("Enter")
    # The logged-out home page, not the page the key was pressed on
    expect(page.locator("h1")).to_have_text("6Aika-portaali")
    expect(nav_link(page, "Kirjaudu sisään")).to_be_visible()
