"""Sign-in with the city's account (sixaika.oidc) in Chromium, against the real test provider
(tests/oidc/provider, started on loopback): the buttons,
the provider's own login form, roles from groups (and their removal), password sign-in off,
and what a person sees when the token is bad or the provider goes down half-way."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from tests.oidc.loopback import PASSWORD, start_provider

from .conftest import assert_page_basics, axe_check, logout

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser_provider(tmp_path_factory):
    """The real test provider (tests/oidc/provider) for this module's journeys."""
    provider = start_provider(tmp_path_factory, "oidc-provider-browser")
    yield provider
    provider.stop()


@pytest.fixture
def live_kaupunki(browser_provider, live_server, settings):
    """The portal under live_server, registered at the provider as ``kaupunki``."""
    browser_provider.register_portal(live_server.url)
    browser_provider.mode("normal")
    settings.SIXAIKA_OIDC_PROVIDERS = {"kaupunki": browser_provider.portal_settings()}
    return browser_provider


BUTTON = "Kirjaudu: Kaupungin tunnus"


def _sign_in_at_provider(page: Page, username: str) -> None:
    page.get_by_role("link", name=BUTTON).click()
    page.wait_for_load_state()
    if page.locator("h1").inner_text() != "Test identity provider":
        return  # still signed in at the provider: straight back to the portal
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in at the provider").click()
    page.wait_for_load_state()


def _roles(page: Page):
    return page.get_by_role("region", name="Roolisi")


def test_coordinator_signs_in_with_the_city_account_and_roles_follow_the_groups(
    page: Page, screenshot, live_kaupunki, org_6aika
):
    live_kaupunki.user(
        "tuula.tampere", ["6aika__coordinator__tampere", "6aika__coordinator__lahti", "Staff"]
    )
    page.goto("/accounts/login/")
    assert_page_basics(page, "fi")
    expect(page.get_by_role("heading", name="Kirjaudu organisaatiosi tunnuksella")).to_be_visible()
    expect(page.get_by_label("Käyttäjätunnus")).to_be_visible()  # passwords still on here
    axe_check(page)
    screenshot("login-with-provider")

    # A group that names no role (Lahti is not one of the six) refuses the sign-in, saying why.
    _sign_in_at_provider(page, "tuula.tampere")
    page.wait_for_url("**/accounts/login/")
    expect(page.get_by_role("status")).to_contain_text("6aika__coordinator__lahti")
    assert "Staff" not in page.get_by_role("status").inner_text()
    assert_page_basics(page, "fi")
    axe_check(page)
    screenshot("refused-unknown-group")
    assert not get_user_model().objects.filter(username__startswith="kaupunki.").exists()

    # The provider mends the groups; the next sign-in goes through with the city's role.
    live_kaupunki.user("tuula.tampere", ["6aika__coordinator__tampere", "Staff"])
    _sign_in_at_provider(page, "tuula.tampere")
    expect(page.locator("h1")).to_have_text("Tervetuloa, kaupunki.tuula.tampere")
    expect(_roles(page)).to_contain_text("Kaupunkikoordinaattori")
    assert_page_basics(page, "fi")
    axe_check(page)
    screenshot("signed-in-coordinator")

    logout(page)

    # At the provider the person moves from the city's coordinator to the board.
    live_kaupunki.user("tuula.tampere", ["6aika__board"])
    page.goto("/accounts/login/")
    _sign_in_at_provider(page, "tuula.tampere")
    expect(page.locator("h1")).to_have_text("Tervetuloa, kaupunki.tuula.tampere")
    expect(_roles(page)).to_contain_text("Johtoryhmän jäsen")
    expect(_roles(page)).not_to_contain_text("Kaupunkikoordinaattori")
    screenshot("signed-in-board")
    assert get_user_model().objects.filter(username__startswith="kaupunki.").count() == 1


def test_with_passwords_off_only_the_buttons_remain(
    page: Page, screenshot, live_kaupunki, org_6aika, settings
):
    settings.SIXAIKA_PASSWORD_LOGIN = False
    live_kaupunki.user("pekka.board", ["6aika__board"])
    page.goto("/accounts/login/")
    assert_page_basics(page, "fi")
    expect(page.get_by_role("link", name=BUTTON)).to_be_visible()
    expect(page.locator("input[name=password]")).to_have_count(0)
    expect(page.locator("input[name=username]")).to_have_count(0)
    axe_check(page)
    screenshot("login-buttons-only")

    _sign_in_at_provider(page, "pekka.board")
    expect(_roles(page)).to_contain_text("Johtoryhmän jäsen")


def test_an_expired_token_is_refused_with_a_message(
    page: Page, screenshot, live_kaupunki, org_6aika
):
    live_kaupunki.user("late.user", ["6aika__funder"])
    live_kaupunki.mode("expired")
    users_before = get_user_model().objects.count()
    page.goto("/accounts/login/")
    _sign_in_at_provider(page, "late.user")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("status")).to_have_text(
        "Kirjautuminen on vanhentunut. Aloita alusta kirjautumissivulta."
    )
    expect(page.locator("h1")).to_have_text("Kirjaudu sisään")
    axe_check(page)
    screenshot("expired-refused")
    assert get_user_model().objects.count() == users_before


def test_the_provider_goes_down_half_way(
    page: Page, screenshot, live_server, org_6aika, settings, tmp_path_factory
):
    """The person signs in at the provider; before the portal fetches the token the provider
    stops. The portal says the service cannot be reached and creates nobody."""
    provider = start_provider(tmp_path_factory, "oidc-provider-down")
    try:
        provider.register_portal(live_server.url)
        provider.user("unlucky.user", ["6aika__board"])
        settings.SIXAIKA_OIDC_PROVIDERS = {"kaupunki": provider.portal_settings()}
        users_before = get_user_model().objects.count()

        provider.mode("interstitial")  # "continue" link instead of an immediate redirect
        page.goto("/accounts/login/")
        _sign_in_at_provider(page, "unlucky.user")
        expect(page.locator("h1")).to_have_text("Signed in")
        provider.stop()
        page.get_by_role("link", name="Continue to the service").click()
        page.wait_for_load_state()
        expect(page).to_have_url(re.compile(r"/accounts/login/$"))
        expect(page.get_by_role("status")).to_have_text(
            "Tunnistuspalvelua ”Kaupungin tunnus” ei juuri nyt tavoiteta. Yritä hetken päästä "
            "uudelleen; jos vika jatkuu, ota yhteyttä strategiatoimistoon."
        )
        axe_check(page)
        screenshot("provider-down")
        assert get_user_model().objects.count() == users_before
    finally:
        provider.stop()
