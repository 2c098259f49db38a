"""Two-step sign-in in the browser: a deputy in a board seat (with the steering group's role) is
sent to set it up, opens the e-mailed link, binds an authenticator with a code computed from the
device key, keeps the backup codes, then signs in with a code and with a backup code. A member
without an e-mail address enrols with a code the strategy office issues, and later makes new
backup codes."""

import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from governance.models import Body, Seat
from governance.roles import Role
from governance.services import user_role_grant

from .conftest import assert_page_basics, axe_check, login, logout

PASSWORD = "kuusi-kaupunkia-yhdessa-7"


def _code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the app shows, or the one of a later time step (django-otp accepts one step of
    clock difference, and never a step it has already accepted)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def _sign_in(page: Page, username: str, code: str) -> None:
    page.goto("/accounts/login/")
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("input[name=otp_token]").fill(code)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("viewport", ["desktop"])
def test_enrolment_and_sign_in_with_a_code_and_a_backup_code(
    page: Page, screenshot, demo_users, settings
):
    settings.SIXAIKA_2FA_REQUIRED_ROLES = ["strategy_office", "board"]
    settings.SIXAIKA_2FA_REQUIRED_BODIES = ["board"]
    user = get_user_model().objects.create_user(
        "varajasen-selain", email="varajasen@example.fi", password=PASSWORD
    )
    user_role_grant(user=user, role=Role.STEERING_GROUP)
    seat = Seat.objects.filter(
        body__kind=Body.Kind.BOARD, deputy__isnull=False, deputy__user__isnull=True
    ).first()
    seat.deputy.user = user
    seat.deputy.save()

    # The password is not enough: the portal asks for two-step sign-in and binds nothing yet.
    login(page, user.username, PASSWORD)
    expect(page.locator("h1")).to_have_text("Kaksivaiheinen kirjautuminen")
    expect(page.locator("svg")).to_have_count(0)
    page.goto("/meetings/")
    expect(page.locator("h1")).to_have_text("Kaksivaiheinen kirjautuminen")
    assert_page_basics(page, "fi")
    axe_check(page)
    page.get_by_role("button", name="Lähetä linkki").click()
    expect(
        page.get_by_text("Linkki on lähetetty osoitteeseen varajasen@example.fi")
    ).to_be_visible()
    screenshot("link-sent")

    link = re.search(r"https?://[^/\s]+(/accounts/two-factor/enrol/\S+/)", mail.outbox[-1].body)
    page.goto(link.group(1))
    expect(page.locator("figure.qr-code svg")).to_be_visible()
    device = TOTPDevice.objects.get(user=user, confirmed=False)  # its key was renewed on opening
    expect(page.locator("[data-totp-key]")).to_have_text(re.compile(r"[A-Z2-7]{32}"))
    axe_check(page)
    screenshot("qr-code")
    page.get_by_label("Todennuskoodi").fill(_code(device))
    page.get_by_role("button", name="Vahvista").click()

    expect(page.locator("h1")).to_have_text("Varakoodisi")
    codes = page.locator(".backup-codes code").all_inner_texts()
    assert len(codes) == 10
    axe_check(page)
    screenshot("backup-codes")
    page.get_by_role("link", name="Olen tallentanut koodit").click()
    page.goto("/meetings/")
    expect(page.locator("h1")).to_have_text("Kokoukset")

    # Next sign-in: password and the app's code (the next time step: this one is used).
    logout(page)
    _sign_in(page, user.username, _code(device, steps_ahead=1))
    expect(page.locator("input[name=password]")).to_have_count(0)
    page.goto("/meetings/")
    expect(page.locator("h1")).to_have_text("Kokoukset")

    # Phone lost: a backup code signs in once.
    logout(page)
    _sign_in(page, user.username, codes[0])
    expect(page.locator("input[name=password]")).to_have_count(0)
    page.goto("/meetings/")
    expect(page.locator("h1")).to_have_text("Kokoukset")
    logout(page)
    _sign_in(page, user.username, codes[0])
    expect(page.locator(".error-summary")).to_contain_text("Todennuskoodi on väärä")
    screenshot("backup-code-used")


@pytest.mark.parametrize("viewport", ["desktop"])
def test_an_enrolment_code_from_the_office_and_new_backup_codes(
    page: Page, screenshot, demo_users, settings
):
    """A board member without an e-mail address: the strategy office issues an enrolment code
    on its page; the member enters it with the password, binds the app and keeps the backup
    codes; later, signed in, makes a new set with a code from the app, and an old code no longer
    signs in."""
    settings.SIXAIKA_2FA_REQUIRED_ROLES = ["board"]
    user = get_user_model().objects.create_user("jasen-koodilla", password=PASSWORD)
    user_role_grant(user=user, role=Role.BOARD)

    login(page, "toimisto")
    page.get_by_role("link", name="Kaksivaiheisen kirjautumisen käyttöönottokoodit").click()
    expect(page.locator("h1")).to_have_text("Kaksivaiheisen kirjautumisen käyttöönottokoodit")
    assert_page_basics(page, "fi")
    axe_check(page)
    page.get_by_label("Tili").select_option(label=user.username)
    page.get_by_role("button", name="Anna koodi").click()
    issued = page.locator("code.enrolment-code")
    expect(issued).to_have_text(re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$"))
    code = issued.inner_text()
    axe_check(page)
    screenshot("code-issued")
    logout(page)

    login(page, user.username, PASSWORD)
    expect(page.locator("h1")).to_have_text("Kaksivaiheinen kirjautuminen")
    form = page.locator("form", has=page.get_by_role("button", name="Käytä koodia"))
    wrong = "AAAA-AAAA-AAAA" if code != "AAAA-AAAA-AAAA" else "BBBB-BBBB-BBBB"
    form.get_by_label("Käyttöönottokoodi").fill(wrong)
    form.get_by_label("Salasanasi").fill(PASSWORD)
    form.get_by_role("button", name="Käytä koodia").click()
    expect(page.locator(".error-summary")).to_contain_text("Käyttöönottokoodi on väärä.")
    axe_check(page)
    screenshot("code-wrong")
    form = page.locator("form", has=page.get_by_role("button", name="Käytä koodia"))
    form.get_by_label("Käyttöönottokoodi").fill(code)
    form.get_by_label("Salasanasi").fill(PASSWORD)
    form.get_by_role("button", name="Käytä koodia").click()
    expect(page.get_by_text("Käyttöönottokoodi hyväksyttiin.")).to_be_visible()
    expect(page.locator("figure.qr-code svg")).to_be_visible()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page.get_by_label("Todennuskoodi").fill(_code(device))
    page.get_by_role("button", name="Vahvista").click()
    expect(page.locator("h1")).to_have_text("Varakoodisi")
    old_codes = page.locator(".backup-codes code").all_inner_texts()
    assert len(old_codes) == 10

    # New backup codes from the home page's link, with the app's next code.
    page.get_by_role("link", name="Olen tallentanut koodit").click()
    page.get_by_role("link", name="Kaksivaiheinen kirjautuminen ja varakoodit").click()
    expect(page.get_by_text("Kaksivaiheinen kirjautuminen on käytössä tililläsi.")).to_be_visible()
    assert_page_basics(page, "fi")
    axe_check(page)
    page.get_by_label("Todennuskoodi").fill(_code(device, steps_ahead=1))
    page.get_by_role("button", name="Tee uudet varakoodit").click()
    expect(page.locator("h1")).to_have_text("Varakoodisi")
    new_codes = page.locator(".backup-codes code").all_inner_texts()
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    expect(page.get_by_text("Uudet varakoodit tehty; aiemmat eivät enää toimi.")).to_be_visible()
    screenshot("new-backup-codes")
    logout(page)
    _sign_in(page, user.username, new_codes[0])
    expect(page.locator("input[name=password]")).to_have_count(0)
    logout(page)
    _sign_in(page, user.username, old_codes[0])
    expect(page.locator(".error-summary")).to_contain_text("Todennuskoodi on väärä")
