"""Sign-in protection: lockout after guessing, password rules, sessions, two-step sign-in,
security headers and Django's deployment checks."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from sixaika.demo import DEMO_PASSWORD
from tests.production_env import production_env

ROOT = Path(__file__).resolve().parents[1]


def _code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def enrolment_link(body: str) -> str:
    """The path of the one-time set-up link in an e-mail."""
    match = re.search(r"https?://[^/\s]+(/accounts/two-factor/enrol/\S+/)", body)
    assert match, body
    return match.group(1)


def _login(client, username, password=DEMO_PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password, **extra})


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True)
def test_guessing_locks_the_account_for_that_address(client, demo_users):
    for _ in range(4):
        response = _login(client, "toimisto", "wrong-password")
        assert response.status_code == 400
    assert _login(client, "toimisto", "wrong-password").status_code == 429  # the fifth
    response = _login(client, "toimisto")  # even the right password is refused now
    assert response.status_code == 429
    assert "Liian monta epäonnistunutta kirjautumista" in response.content.decode()
    assert not client.get(reverse("home")).context["user"].is_authenticated


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True)
def test_other_accounts_are_not_locked_by_guessing_one(client, demo_users):
    for _ in range(5):
        _login(client, "toimisto", "wrong-password")
    assert _login(client, "rahoittaja").status_code == 302


def test_passwords_must_be_long_and_not_common():
    with pytest.raises(ValidationError) as err:
        validate_password("lyhyt-sana")
    assert any("12" in m for m in err.value.messages)
    with pytest.raises(ValidationError):
        validate_password("password1234")
    validate_password("kuusi-kaupunkia-yhdessa")


@pytest.mark.django_db
def test_session_ends_with_the_browser_and_after_a_working_day(client, demo_users):
    response = _login(client, "rahoittaja")
    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == ""  # a browser-session cookie
    assert client.session.get_expiry_age() == 8 * 3600
    assert cookie["httponly"]


@pytest.mark.django_db
@override_settings(SIXAIKA_2FA_REQUIRED_ROLES=["strategy_office", "board"])
def test_strategy_office_must_set_up_two_step_sign_in(
    client, demo_users, django_capture_on_commit_callbacks
):
    office = demo_users["toimisto"]
    office.email = "toimisto@example.fi"
    office.save()
    assert _login(client, "toimisto").status_code == 302
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("two_factor")
    assert client.get("/admin/").status_code == 302  # the admin too

    # The password alone binds no authenticator: the set-up starts from an e-mailed link.
    page = client.get(reverse("two_factor")).content.decode()
    assert "<svg" not in page and "toimisto@example.fi" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("two_factor"), {"send_link": "1"})
    link = enrolment_link(mail.outbox[-1].body)
    assert client.get(link)["Location"] == reverse("two_factor")
    page = client.get(reverse("two_factor"))
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user__username="toimisto")
    assert not device.confirmed

    wrong = client.post(reverse("two_factor"), {"token": "000000"})
    assert "Koodi on väärä" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed

    device.throttling_failure_count = 0  # django-otp throttles after a failure
    device.throttling_failure_timestamp = None
    device.save()
    right = client.post(reverse("two_factor"), {"token": _code(device)})
    assert right.status_code == 200  # the backup codes, shown once
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("home")).status_code == 200

    # Next time the code is asked at login.
    client.post(reverse("logout"))
    no_code = _login(client, "toimisto")
    assert no_code.status_code == 400
    assert "Anna todennussovelluksen näyttämä kuusinumeroinen koodi" in no_code.content.decode()
    device.refresh_from_db()
    device.last_t = -1  # allow the same time step again in this test
    device.save()
    assert _login(client, "toimisto", otp_token=_code(device)).status_code == 302
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
@override_settings(SIXAIKA_2FA_REQUIRED_ROLES=["strategy_office", "board"])
@pytest.mark.parametrize("username", ["johtoryhma", "johtoryhma-pj"])
def test_board_members_must_set_up_two_step_sign_in(client, demo_users, username):
    assert _login(client, username).status_code == 302
    for path in (reverse("home"), reverse("meetings:list"), "/admin/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == reverse("two_factor")
    assert client.get(reverse("two_factor")).status_code == 200
    # no authenticator is made from the password alone: only the e-mailed link starts it
    assert not TOTPDevice.objects.filter(user__username=username).exists()


@pytest.mark.django_db
@override_settings(SIXAIKA_2FA_REQUIRED_ROLES=["strategy_office", "board"])
def test_two_step_sign_in_is_optional_for_coordinators(client, demo_users):
    _login(client, "koordinaattori-oulu")
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("two_factor")).status_code == 200  # may set it up


@pytest.mark.django_db
def test_security_headers(client, org_6aika):
    response = client.get(reverse("governance:bodies"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_inline_scripts_in_templates():
    for template in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in template.parts:
            continue
        text = template.read_text(encoding="utf-8")
        for chunk in text.split("<script")[1:]:
            tag = chunk.split(">", 1)[0]
            assert "src=" in tag, f"inline <script> in {template}"
        assert " onclick=" not in text and " hx-on" not in text, template


def test_check_deploy_with_production_settings_gives_no_warnings():
    env = production_env(DATABASE_URL="postgres://u@127.0.0.1/db")
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
