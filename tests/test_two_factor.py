"""Two-step sign-in by seat, the first enrolment from a one-time e-mailed link, backup codes,
and the password reset by e-mail."""

import re
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from governance.models import Body, Meeting, Seat
from governance.permissions import two_factor_required
from governance.roles import Role
from governance.services import user_role_grant
from sixaika.demo import DEMO_PASSWORD
from tests.test_security import _code, _login, enrolment_link

pytestmark = pytest.mark.django_db
PASSWORD = "kuusi-kaupunkia-yhdessa-7"
REQUIRED = {
    "SIXAIKA_2FA_REQUIRED_ROLES": ["strategy_office", "board"],
    "SIXAIKA_2FA_REQUIRED_BODIES": ["board"],
}


def _account(username: str, *, email: str = "", role: Role | None = None):
    user = get_user_model().objects.create_user(username, email=email, password=PASSWORD)
    if role is not None:
        user_role_grant(user=user, role=role)
    return user


def _board_deputy(role: Role = Role.STEERING_GROUP):
    """A personal deputy in a board seat whose portal role is the steering group's."""
    seat = Seat.objects.filter(
        body__kind=Body.Kind.BOARD, deputy__isnull=False, deputy__user__isnull=True
    ).first()
    user = _account(f"varajasen-{uuid.uuid4().hex[:6]}", email="varajasen@example.fi", role=role)
    seat.deputy.user = user
    seat.deputy.save()
    return user


def _signed_in(user) -> Client:
    client = Client()
    assert _login(client, user.username, PASSWORD).status_code == 302
    return client


@pytest.fixture
def send_link(django_capture_on_commit_callbacks):
    """Ask for the set-up link; the e-mail goes when the transaction commits."""

    def send(client):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("two_factor"), {"send_link": "1"})

    return send


def _enrol(client, user, send_link) -> TOTPDevice:
    """Send the link, open it and return the device the QR code shows."""
    send_link(client)
    assert client.get(enrolment_link(mail.outbox[-1].body)).status_code == 302
    return TOTPDevice.objects.get(user=user, confirmed=False)


# --- Who must use it: seats as well as roles ----------------------------------------------------


@override_settings(**REQUIRED)
def test_a_deputy_in_a_board_seat_needs_the_second_factor_whatever_their_role(demo_users):
    deputy = _board_deputy()
    board_meeting = Meeting.objects.filter(body__kind=Body.Kind.BOARD).first()
    assert two_factor_required(deputy)
    client = _signed_in(deputy)
    for path in (
        reverse("meetings:list"),
        reverse("meetings:detail", args=[board_meeting.pk]),
        reverse("home"),
    ):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == reverse("two_factor"), path


@override_settings(SIXAIKA_2FA_REQUIRED_ROLES=["strategy_office", "board"])
def test_the_seat_rule_follows_the_bodies_setting(demo_users):
    # Without the board among the bodies that require it, the role alone decides (as before).
    deputy = _board_deputy()
    assert not two_factor_required(deputy)
    assert _signed_in(deputy).get(reverse("meetings:list")).status_code == 200


@override_settings(**REQUIRED)
def test_a_steering_group_member_without_a_board_seat_is_not_required(demo_users):
    member = demo_users["ohjausryhma"]
    assert not two_factor_required(member)
    client = Client()
    assert _login(client, "ohjausryhma", DEMO_PASSWORD).status_code == 302
    assert client.get(reverse("meetings:list")).status_code == 200


def test_nobody_is_required_when_nothing_is_set(demo_users):
    assert not two_factor_required(_board_deputy())
    assert not two_factor_required(demo_users["toimisto"])


# --- The first enrolment needs the e-mailed link; backup codes ----------------------------------


@override_settings(**REQUIRED)
def test_enrolment_needs_the_emailed_link_and_gives_backup_codes(demo_users, send_link):
    deputy = _board_deputy()
    client = _signed_in(deputy)
    page = client.get(reverse("two_factor")).content.decode()
    assert "<svg" not in page and "varajasen@example.fi" in page
    # a code posted without the link binds nothing
    client.post(reverse("two_factor"), {"token": "123456"})
    assert not TOTPDevice.objects.filter(user=deputy).exists()

    send_link(client)
    assert mail.outbox[-1].to == ["varajasen@example.fi"]
    assert "Ota kaksivaiheinen kirjautuminen käyttöön" in mail.outbox[-1].subject
    link = enrolment_link(mail.outbox[-1].body)
    sent_key = TOTPDevice.objects.get(user=deputy).key

    # The link works only in a session of its own account.
    other = _signed_in(_account(f"toinen-{uuid.uuid4().hex[:6]}"))
    assert "Linkki ei toimi" in other.get(link).content.decode()
    assert TOTPDevice.objects.get(user=deputy).key == sent_key

    assert client.get(link)["Location"] == reverse("two_factor")
    device = TOTPDevice.objects.get(user=deputy)
    assert device.key != sent_key  # the key the QR code shows was never e-mailed
    assert "<svg" in client.get(reverse("two_factor")).content.decode()
    # the same link does not work twice, even in its own session
    assert "Linkki ei toimi" in client.get(link).content.decode()

    response = client.post(reverse("two_factor"), {"token": _code(device)})
    assert response.status_code == 200
    codes = re.findall(r"<code>([a-z2-7]{8})</code>", response.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    device.refresh_from_db()
    assert device.confirmed
    backup = StaticDevice.objects.get(user=deputy)
    assert set(StaticToken.objects.filter(device=backup).values_list("token", flat=True)) == set(
        codes
    )
    assert client.get(reverse("meetings:list")).status_code == 200

    # Signing in again: the password alone is refused; a backup code works, once.
    fresh = Client()
    assert _login(fresh, deputy.username, PASSWORD).status_code == 400
    assert _login(fresh, deputy.username, PASSWORD, otp_token=codes[0]).status_code == 302
    assert fresh.get(reverse("meetings:list")).status_code == 200
    again = Client()
    refused = _login(again, deputy.username, PASSWORD, otp_token=codes[0])
    assert refused.status_code == 400
    assert "Todennuskoodi on väärä" in refused.content.decode()
    assert StaticToken.objects.filter(device=backup).count() == 9


@override_settings(**REQUIRED)
def test_a_new_link_replaces_the_earlier_one(demo_users, send_link):
    deputy = _board_deputy()
    client = _signed_in(deputy)
    send_link(client)
    first = enrolment_link(mail.outbox[-1].body)
    send_link(client)
    second = enrolment_link(mail.outbox[-1].body)
    assert "Linkki ei toimi" in client.get(first).content.decode()
    assert client.get(second)["Location"] == reverse("two_factor")


@override_settings(**REQUIRED, SIXAIKA_2FA_ENROLMENT_LINK_HOURS=0)
def test_an_expired_link_does_not_work(demo_users, send_link):
    deputy = _board_deputy()
    client = _signed_in(deputy)
    send_link(client)
    link = enrolment_link(mail.outbox[-1].body)
    assert "Linkki ei toimi" in client.get(link).content.decode()
    assert "<svg" not in client.get(reverse("two_factor")).content.decode()


@override_settings(**REQUIRED)
def test_a_tampered_link_does_not_work(demo_users, send_link):
    deputy = _board_deputy()
    client = _signed_in(deputy)
    send_link(client)
    link = enrolment_link(mail.outbox[-1].body)
    assert "Linkki ei toimi" in client.get(link.replace(":", ";", 1)).content.decode()
    assert "Linkki ei toimi" in client.get(link[:-3] + "x/").content.decode()
    assert "<svg" not in client.get(reverse("two_factor")).content.decode()


@override_settings(**REQUIRED)
def test_no_link_without_an_email_address(demo_users, send_link):
    user = _account(f"ilman-postia-{uuid.uuid4().hex[:6]}", role=Role.STRATEGY_OFFICE)
    client = _signed_in(user)
    response = send_link(client)
    assert response.status_code == 400
    assert "Tililläsi ei ole sähköpostiosoitetta" in response.content.decode()
    assert not mail.outbox and not TOTPDevice.objects.filter(user=user).exists()


@override_settings(**REQUIRED, SIXAIKA_2FA_ENROLMENT_LINKS_PER_HOUR=2)
def test_links_are_limited_per_hour(demo_users, send_link):
    deputy = _board_deputy()
    client = _signed_in(deputy)
    for _ in range(2):
        assert send_link(client).status_code == 302
    response = send_link(client)
    assert response.status_code == 400
    assert "Linkkejä on lähetetty liian monta" in response.content.decode()
    assert len(mail.outbox) == 2


@override_settings(**REQUIRED)
@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("", "Tämä kenttä vaaditaan."),
        ("12ab", "Anna sovelluksesi näyttämät kuusi numeroa."),
        ("1234567", "Anna sovelluksesi näyttämät kuusi numeroa."),
        ("abcdefgh", "Anna sovelluksesi näyttämät kuusi numeroa."),
    ],
)
def test_enrolment_code_bad_input(demo_users, send_link, token, message):
    deputy = _board_deputy()
    client = _signed_in(deputy)
    _enrol(client, deputy, send_link)
    response = client.post(reverse("two_factor"), {"token": token})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not TOTPDevice.objects.get(user=deputy).confirmed
    assert not StaticDevice.objects.filter(user=deputy).exists()


@override_settings(**REQUIRED)
def test_verifying_a_session_takes_a_code_or_a_backup_code(demo_users, send_link):
    deputy = _board_deputy()
    client = _signed_in(deputy)
    device = _enrol(client, deputy, send_link)
    codes = re.findall(
        r"<code>([a-z2-7]{8})</code>",
        client.post(reverse("two_factor"), {"token": _code(device)}).content.decode(),
    )
    # A session signed in before the set-up elsewhere (an identity provider's sign-in, say)
    # verifies on the two-step page with a backup code too.
    other = Client()
    other.force_login(deputy, backend="django.contrib.auth.backends.ModelBackend")
    assert other.get(reverse("meetings:list"))["Location"] == reverse("two_factor")
    bad = other.post(reverse("two_factor"), {"token": "zz"})
    assert bad.status_code == 400
    assert "tai kahdeksanmerkkinen varakoodi" in bad.content.decode()
    assert other.post(reverse("two_factor"), {"token": codes[1].upper()}).status_code == 302
    assert other.get(reverse("meetings:list")).status_code == 200


# --- Password reset by e-mail --------------------------------------------------------------------


def _reset(client, email, ip):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)


def _ip() -> str:
    return f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"


def test_password_reset_answers_the_same_for_unknown_addresses(client, demo_users):
    address = f"{uuid.uuid4().hex[:8]}@example.fi"
    user = _account(f"unohtaja-{uuid.uuid4().hex[:6]}", email=address)
    known = _reset(client, address, _ip())
    unknown = _reset(client, f"ei-ole-{address}", _ip())
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [address]
    assert "Uusi salasana 6Aika-portaaliin" in mail.outbox[0].subject
    done = client.get(reverse("password_reset_done")).content.decode()
    assert "Jos osoite kuuluu tilille" in done

    link = re.search(r"https?://[^/\s]+(/accounts/password-reset/\S+/)", mail.outbox[0].body)
    form_page = client.get(link.group(1), follow=True)
    set_url = form_page.redirect_chain[-1][0]
    mismatch = client.post(set_url, {"new_password1": PASSWORD + "x", "new_password2": "eri"})
    assert mismatch.status_code == 400
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    short = client.post(set_url, {"new_password1": "lyhyt", "new_password2": "lyhyt"})
    assert short.status_code == 400
    user.refresh_from_db()
    assert user.check_password(PASSWORD)

    new = "uusi-salasana-kuudelle-kaupungille"
    response = client.post(set_url, {"new_password1": new, "new_password2": new})
    assert response["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(new)
    # the link works once
    used = Client().get(link.group(1), follow=True).content.decode()
    assert "Linkki on jo käytetty tai vanhentunut" in used


def test_password_reset_bad_input(client, demo_users):
    response = _reset(client, "ei-osoite", _ip())
    assert response.status_code == 400
    assert "Syötä kelvollinen sähköpostiosoite." in response.content.decode()
    assert not mail.outbox


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_password_reset_is_rate_limited_alike_for_every_address(client, demo_users):
    address = f"{uuid.uuid4().hex[:8]}@example.fi"
    _account(f"unohtaja-{uuid.uuid4().hex[:6]}", email=address)
    ip = _ip()
    for _ in range(3):
        assert _reset(client, address, ip).status_code == 302
    known, unknown = _reset(client, address, ip), _reset(client, "ei-ole@example.fi", ip)
    assert known.status_code == unknown.status_code == 429
    assert "Liian monta salasanan vaihtopyyntöä" in known.content.decode()
    assert "Liian monta salasanan vaihtopyyntöä" in unknown.content.decode()
    assert len(mail.outbox) == 3
    # the limit is per address too: another address from another place is not refused
    assert _reset(Client(), f"x{address}", _ip()).status_code == 302
    assert _reset(Client(), address, _ip()).status_code == 429


def test_the_login_page_links_to_the_password_reset(client, demo_users):
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()


# --- New backup codes after enrolment -----------------------------------------------------------


def _code_at(device: TOTPDevice, steps: int) -> str:
    """The app's code ``steps`` time steps from now: the device accepts the next step's code
    (its tolerance), and a code already used at sign-in is never accepted twice."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + steps * device.step
    return f"{totp.token():0{device.digits}d}"


def _with_app(user) -> tuple[TOTPDevice, list[str]]:
    """An authenticator set up for ``user``, with its backup codes."""
    from sixaika import two_factor

    device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    return device, two_factor.backup_codes_make(user=user)


def _verified(user, device) -> Client:
    client = Client()
    assert _login(client, user.username, PASSWORD, otp_token=_code(device)).status_code == 302
    return client


def test_a_user_makes_new_backup_codes_with_a_code_from_the_app(demo_users):
    from governance.models import PermissionChange

    user = _account(f"varakoodit-{uuid.uuid4().hex[:6]}", role=Role.BOARD)
    device, old_codes = _with_app(user)
    client = _verified(user, device)
    page = client.get(reverse("two_factor")).content.decode()
    assert "Kaksivaiheinen kirjautuminen on käytössä tililläsi." in page
    assert reverse("two_factor_backup_codes") in page and "Tee uudet varakoodit" in page
    url = reverse("two_factor_backup_codes")

    # A backup code in place of the app's: nothing changes.
    refused = client.post(url, {"token": old_codes[1]})
    assert refused.status_code == 400
    assert "Anna sovelluksesi näyttämät kuusi numeroa." in refused.content.decode()
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == (
        set(old_codes)
    )
    assert not PermissionChange.objects.filter(permission="account:backup_codes").exists()

    response = client.post(url, {"token": _code_at(device, 1)})
    assert response.status_code == 200
    html = response.content.decode()
    new_codes = re.findall(r"<code>([a-z2-7]{8})</code>", html)
    assert len(set(new_codes)) == 10 and not set(new_codes) & set(old_codes)
    assert "Uudet varakoodit tehty; aiemmat eivät enää toimi." in html
    # Shown once: the page afterwards has the form, no codes.
    assert not re.findall(r"<code>([a-z2-7]{8})</code>", client.get(url).content.decode())
    # A new code signs in; the old ones no longer do (in this order: after a wrong code
    # django-otp slows the device down for a moment).
    assert _login(Client(), user.username, PASSWORD, otp_token=new_codes[0]).status_code == 302
    assert _login(Client(), user.username, PASSWORD, otp_token=old_codes[0]).status_code == 400
    # Audited: who made new codes for which account.
    change = PermissionChange.objects.get(permission="account:backup_codes")
    assert (change.by, change.user_pk, change.action) == (user, user.pk, "added")
    office = Client()
    office.force_login(demo_users["toimisto"])
    audit = office.get(reverse("coordination:audit"), {"user": user.pk}).content.decode()
    assert "Tili: kaksivaiheisen kirjautumisen varakoodit" in audit
    # A wrong code from the app makes nothing (the app's code is checked after the right one, as
    # django-otp slows down the device after a wrong one).
    refused = client.post(url, {"token": "000000"})
    assert refused.status_code == 400 and "Koodi on väärä tai vanhentunut." in (
        refused.content.decode()
    )
    left = set(new_codes) - {new_codes[0]}  # the one used to sign in above
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == (
        left
    )
    assert PermissionChange.objects.filter(permission="account:backup_codes").count() == 1


def test_no_new_backup_codes_without_an_app_or_a_verified_session(demo_users):
    without = _account(f"ilman-sovellusta-{uuid.uuid4().hex[:6]}")
    client = _signed_in(without)
    page = client.get(reverse("two_factor_backup_codes"))
    assert page.status_code == 200
    assert "Et ole vielä ottanut kaksivaiheista kirjautumista käyttöön." in page.content.decode()
    client.post(reverse("two_factor_backup_codes"), {"token": "123456"})
    assert not StaticDevice.objects.filter(user=without).exists()

    # A session that has not given the second factor (an identity provider's sign-in, say)
    # verifies first.
    user = _account(f"vahvistamaton-{uuid.uuid4().hex[:6]}")
    device, old_codes = _with_app(user)
    unverified = Client()
    unverified.force_login(user)
    answer = unverified.post(reverse("two_factor_backup_codes"), {"token": _code_at(device, 1)})
    assert answer.status_code == 302 and answer["Location"] == reverse("two_factor")
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == (
        set(old_codes)
    )


# --- An enrolment code the strategy office issues ---------------------------------------------


CODE = re.compile(r'<code class="enrolment-code">([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})</code>')


def _office_client(demo_users) -> Client:
    """The strategy office, signed in with its app (required of it in production)."""
    office = demo_users["toimisto"]
    device, _codes = _with_app(office)
    client = Client()
    signed_in = _login(client, office.username, DEMO_PASSWORD, otp_token=_code(device))
    assert signed_in.status_code == 302
    return client


def _issue(office: Client, user) -> str:
    response = office.post(reverse("two_factor_codes"), {"user": user.pk})
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert response["Location"] == reverse("two_factor_codes")
    match = CODE.search(office.get(response["Location"]).content.decode())
    assert match, "no code on the page"
    return match.group(1)


def _use_code(client: Client, code: str, password: str = PASSWORD):
    return client.post(
        reverse("two_factor"),
        {"enrolment_code": "1", "code": code, "account_password": password},
    )


@override_settings(**REQUIRED)
def test_the_office_issues_a_code_and_the_user_enrols_with_it_and_the_password(demo_users):
    from governance.models import EnrolmentCode, PermissionChange

    # No e-mail address: the link cannot be sent, the code is the way.
    user = _account(f"koodilla-{uuid.uuid4().hex[:6]}", role=Role.BOARD)
    office = _office_client(demo_users)
    page = office.get(reverse("two_factor_codes")).content.decode()
    assert "Kaksivaiheisen kirjautumisen käyttöönottokoodit" in page
    code = _issue(office, user)
    record = EnrolmentCode.objects.get(user=user)
    assert code.replace("-", "") not in record.digest  # only a digest is kept
    issued = PermissionChange.objects.get(permission="account:enrolment_code")
    assert (issued.by, issued.user_pk, issued.action) == (demo_users["toimisto"], user.pk, "added")
    # The page lists it afterwards, without the code; reloading it issued no second code.
    listed = office.get(reverse("two_factor_codes")).content.decode()
    assert user.username in listed and code not in listed
    assert EnrolmentCode.objects.filter(user=user).count() == 1

    client = _signed_in(user)
    page = client.get(reverse("two_factor")).content.decode()
    assert "Tai: strategiatoimiston antama koodi" in page and "<svg" not in page
    response = _use_code(client, code.lower().replace("-", " "))  # as typed from the phone
    assert response.status_code == 302 and response["Location"] == reverse("two_factor")
    assert "<svg" in client.get(reverse("two_factor")).content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    confirmed = client.post(reverse("two_factor"), {"token": _code(device)})
    assert len(re.findall(r"<code>([a-z2-7]{8})</code>", confirmed.content.decode())) == 10
    device.refresh_from_db()
    assert device.confirmed
    record.refresh_from_db()
    assert record.used_at is not None
    used = PermissionChange.objects.get(permission="account:enrolment_code", action="removed")
    assert (used.by, used.user_pk) == (user, user.pk)


@override_settings(**REQUIRED)
def test_a_code_works_once_and_only_for_its_own_account(demo_users):
    user = _account(f"kerran-{uuid.uuid4().hex[:6]}", role=Role.BOARD)
    other = _account(f"toinen-{uuid.uuid4().hex[:6]}", role=Role.BOARD)
    code = _issue(_office_client(demo_users), user)
    refused = _use_code(_signed_in(other), code)
    assert refused.status_code == 400
    assert "Sinulla ei ole voimassa olevaa käyttöönottokoodia" in refused.content.decode()
    assert not TOTPDevice.objects.filter(user=other).exists()

    client = _signed_in(user)
    assert _use_code(client, code).status_code == 302
    again = _use_code(_signed_in(user), code)
    assert again.status_code == 400
    assert "Sinulla ei ole voimassa olevaa käyttöönottokoodia" in again.content.decode()


@override_settings(**REQUIRED)
def test_a_wrong_code_or_password_is_refused_and_five_wrong_tries_spend_the_code(demo_users):
    from governance.models import EnrolmentCode

    user = _account(f"vaarin-{uuid.uuid4().hex[:6]}", role=Role.BOARD)
    code = _issue(_office_client(demo_users), user)
    client = _signed_in(user)
    wrong = "AAAA-BBBB-CCCC" if code != "AAAA-BBBB-CCCC" else "DDDD-EEEE-FFFF"
    for attempt, (typed, password, message) in enumerate(
        [
            ("ABC", PASSWORD, "Käyttöönottokoodissa on kaksitoista kirjainta ja numeroa"),
            (wrong, PASSWORD, "Käyttöönottokoodi on väärä."),
            (code, "vaara-salasana", "Salasana on väärä."),
        ]
    ):
        response = _use_code(client, typed, password)
        assert response.status_code == 400 and message in response.content.decode(), typed
        assert EnrolmentCode.objects.get(user=user).failed_attempts == attempt  # the shape's free
    assert not TOTPDevice.objects.filter(user=user).exists()
    for _ in range(3):
        _use_code(client, wrong)
    spent = _use_code(client, code)  # right now, but too late
    assert spent.status_code == 400
    assert "syötetty väärin liian monta kertaa" in spent.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()


@override_settings(**REQUIRED, SIXAIKA_2FA_ENROLMENT_CODE_HOURS=0)
def test_an_expired_code_is_refused_with_what_to_do(demo_users):
    user = _account(f"vanha-{uuid.uuid4().hex[:6]}", role=Role.BOARD)
    code = _issue(_office_client(demo_users), user)
    response = _use_code(_signed_in(user), code)
    assert response.status_code == 400
    assert "Käyttöönottokoodi on vanhentunut. Pyydä strategiatoimistolta" in (
        response.content.decode()
    )
    assert not TOTPDevice.objects.filter(user=user).exists()


@override_settings(**REQUIRED)
def test_a_new_code_replaces_the_earlier_one(demo_users):
    user = _account(f"uusi-{uuid.uuid4().hex[:6]}", role=Role.BOARD)
    office = _office_client(demo_users)
    first = _issue(office, user)
    second = _issue(office, user)
    client = _signed_in(user)
    assert _use_code(client, first).status_code == 400
    assert _use_code(client, second).status_code == 302


def test_only_the_office_issues_codes_and_not_for_an_account_that_has_an_app(demo_users):
    from governance.models import EnrolmentCode

    member = Client()
    member.force_login(demo_users["johtoryhma-pj"])
    target = demo_users["johtoryhma"]
    assert member.get(reverse("two_factor_codes")).status_code == 403
    assert member.post(reverse("two_factor_codes"), {"user": target.pk}).status_code == 403
    assert not EnrolmentCode.objects.exists()
    _with_app(target)
    refused = _office_client(demo_users).post(reverse("two_factor_codes"), {"user": target.pk})
    assert refused.status_code == 400
    assert "johtoryhma käyttää jo kaksivaiheista kirjautumista." in refused.content.decode()
    assert not EnrolmentCode.objects.exists()


@override_settings(**REQUIRED)
def test_an_office_session_not_verified_cannot_issue_codes(demo_users):
    from governance.models import EnrolmentCode

    office = Client()  # required of the office, not yet set up
    office.force_login(demo_users["toimisto"])
    answer = office.post(reverse("two_factor_codes"), {"user": demo_users["johtoryhma"].pk})
    assert answer.status_code == 302 and answer["Location"] == reverse("two_factor")
    assert not EnrolmentCode.objects.exists()


# --- Enrolment codes issued from the admin (sixaika/admin.py) -------------------------------------

ADMIN_CODES = reverse("admin:auth_user_enrolment_codes")


def _run_action(client: Client, changelist: str, action: str, pks) -> object:
    return client.post(
        changelist, {"action": action, "_selected_action": [str(pk) for pk in pks], "index": "0"}
    )


def test_a_superuser_issues_a_code_from_the_accounts_admin_shown_once_and_audited(demo_users):
    from governance.models import EnrolmentCode, PermissionChange

    admin_user = get_user_model().objects.create_superuser(
        f"yllapito-{uuid.uuid4().hex[:6]}", password=PASSWORD
    )
    user = _account(f"hallinnasta-{uuid.uuid4().hex[:6]}", role=Role.BOARD)
    client = Client()
    client.force_login(admin_user)
    changelist = reverse("admin:auth_user_changelist")
    assert "issue_enrolment_code_for_accounts" in client.get(changelist).content.decode()
    response = _run_action(client, changelist, "issue_enrolment_code_for_accounts", [user.pk])
    assert response.status_code == 302 and response["Location"] == ADMIN_CODES
    page = client.get(ADMIN_CODES).content.decode()
    match = CODE.search(page)
    assert match, page[-2000:]
    assert user.username in page
    # Shown once: the page again shows no code, and issued none.
    again = client.get(ADMIN_CODES).content.decode()
    assert not CODE.search(again) and "Ei näytettävää koodia" in again
    record = EnrolmentCode.objects.get(user=user)
    assert record.issued_by == admin_user
    assert match.group(1).replace("-", "") not in record.digest
    issued = PermissionChange.objects.get(permission="account:enrolment_code", user_pk=user.pk)
    assert (issued.by, issued.action) == (admin_user, "added")
    # The same code as the office's page: the user enrols with it and the password.
    assert _use_code(_signed_in(user), match.group(1)).status_code == 302
    assert TOTPDevice.objects.filter(user=user, confirmed=False).exists()


@override_settings(**REQUIRED)
def test_the_office_issues_codes_from_the_people_admin_and_is_told_what_was_not_issued(
    demo_users,
):
    from governance.models import EnrolmentCode, Person

    office = _office_client(demo_users)
    with_account = _account(f"henkilo-{uuid.uuid4().hex[:6]}", role=Role.BOARD)
    person = Person.objects.filter(user__isnull=True).order_by("pk").first()
    person.user = with_account
    person.save()
    no_account = Person.objects.filter(user__isnull=True).order_by("pk").first()
    has_app = demo_users["johtoryhma"]
    _with_app(has_app)
    changelist = reverse("admin:governance_person_changelist")
    response = _run_action(
        office,
        changelist,
        "issue_enrolment_code_for_people",
        [person.pk, no_account.pk, has_app.person.pk],
    )
    assert response.status_code == 302 and response["Location"] == ADMIN_CODES
    page = office.get(ADMIN_CODES).content.decode()
    assert len(CODE.findall(page)) == 1 and with_account.username in page
    assert f'href="{changelist}"' in page  # back to the list the action ran from
    # Why the others got none, on the same page.
    assert f"{no_account.full_name}: Henkilöllä ei ole käyttäjätiliä: valitse" in page
    assert "johtoryhma käyttää jo kaksivaiheista kirjautumista." in page
    assert list(EnrolmentCode.objects.values_list("user", flat=True)) == [with_account.pk]
    # The office may not change accounts: the accounts' admin stays closed to it.
    assert office.get(reverse("admin:auth_user_changelist")).status_code == 403


@override_settings(**REQUIRED)
def test_no_code_from_the_admin_for_whoever_may_not_issue_or_has_not_verified(demo_users):
    from django.contrib.auth.models import Permission

    from governance.models import EnrolmentCode, Person

    target = Person.objects.filter(user__isnull=False).order_by("pk").first()
    changelist = reverse("admin:governance_person_changelist")
    # Staff who may change people but is not the strategy office: no code, no page of codes.
    clerk = _account(f"virkailija-{uuid.uuid4().hex[:6]}")
    clerk.is_staff = True
    clerk.save()
    clerk.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_person", "change_person"])
    )
    client = Client()
    client.force_login(clerk)
    listed = client.get(changelist)
    assert listed.status_code == 200
    assert "issue_enrolment_code_for_people" not in listed.content.decode()  # not offered
    refused = _run_action(client, changelist, "issue_enrolment_code_for_people", [target.pk])
    assert refused.status_code in (200, 302, 403) and "enrolment-codes" not in refused.get(
        "Location", ""
    )
    assert client.get(ADMIN_CODES).status_code == 403
    # The office in a session not verified with its app is sent to verify it first.
    office = Client()
    office.force_login(demo_users["toimisto"])
    answer = _run_action(office, changelist, "issue_enrolment_code_for_people", [target.pk])
    assert answer.status_code == 302 and answer["Location"] == reverse("two_factor")
    assert not EnrolmentCode.objects.exists()
