"""Demo accounts: created once with their roles, log in with the documented password."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command
from django.urls import reverse
from guardian.shortcuts import get_objects_for_user

from core.demo import _demo_password_hash, demo_password_set
from governance.models import City
from sixaika.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_usernames


@pytest.mark.django_db
def test_demo_accounts_are_created_once_with_their_roles():
    call_command("load_6aika")
    call_command("load_demo")
    call_command("load_demo")
    users = get_user_model().objects.all()
    # The README's accounts, and the five extra steering group scorers of the demo call.
    scorers = ["ohjausryhma-heinonen", "ohjausryhma-sutinen", "ohjausryhma-anttila",
               "ohjausryhma-kultalahti", "ohjausryhma-haataja"]  # fmt: skip
    # And the board's vice-chair and a member, who chair and check minutes in the demo.
    board = ["johtoryhma-vpj", "johtoryhma-huotari"]
    assert sorted(u.username for u in users) == sorted(
        [row[0] for row in DEMO_ACCOUNTS] + scorers + board
    )
    for username in board:
        user = get_user_model().objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == ["board"]
        assert user.person.seats.filter(body__kind="board").exists()
    assert all(user.check_password(DEMO_PASSWORD) for user in users)  # the README's password
    for username in scorers:
        user = get_user_model().objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == ["steering_group"]
        assert user.person.seats.filter(body__kind="steering_group").exists()
    tampere = get_user_model().objects.get(username="koordinaattori-tampere")
    assert list(tampere.groups.values_list("name", flat=True)) == ["coordinator"]
    assert list(get_objects_for_user(tampere, "governance.coordinate_city", klass=City)) == [
        City.objects.get(slug="tampere")
    ]
    chair = get_user_model().objects.get(username="johtoryhma-pj")
    assert chair.person.full_name == "Tuula Antola"
    assert chair.person.seats.get().role == "chair"
    # Every demo account has its own address on the reserved .invalid domain (RFC 2606), so
    # the e-mailed set-up link of two-step sign-in reaches the console of ``make run``.
    assert sorted(users.values_list("email", flat=True)) == sorted(
        f"{u.username}@demo.6aika.invalid" for u in users
    )


@pytest.mark.django_db
def test_load_demo_again_gives_addresses_to_demo_accounts_that_had_none():
    """A database loaded before the demo accounts had addresses gets them; an address the
    strategy office set by hand is kept."""
    call_command("load_6aika")
    call_command("load_demo")
    User = get_user_model()
    User.objects.filter(username__in=demo_usernames()).update(email="")
    User.objects.filter(username="toimisto").update(email="toimisto@6aika.fi")
    call_command("load_demo")
    assert User.objects.get(username="toimisto").email == "toimisto@6aika.fi"
    assert User.objects.get(username="johtoryhma-vpj").email == "johtoryhma-vpj@demo.6aika.invalid"
    assert not User.objects.filter(email="").exists()


def test_a_demo_account_sets_up_two_step_sign_in_from_the_emailed_link(
    client, demo_users, django_capture_on_commit_callbacks
):
    """The README's path: the chair asks for the link, the mail (printed on the console by
    ``make run``) goes to her demo address, and the link opens the set-up with the QR code."""
    from django.core import mail

    from tests.test_security import enrolment_link

    client.login(username="johtoryhma-pj", password=DEMO_PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("two_factor"), {"send_link": "1"})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["johtoryhma-pj@demo.6aika.invalid"]]
    response = client.get(enrolment_link(mail.outbox[0].body), follow=True)
    assert "<svg" in response.content.decode()  # the QR code of the authenticator to bind


@pytest.mark.parametrize("username", [row[0] for row in DEMO_ACCOUNTS])
def test_each_demo_account_logs_in_with_the_documented_password(client, demo_users, username):
    # demo_users: the accounts demo_accounts_load() makes, which is what load_demo runs (the
    # command itself, run twice, is the first test of this module)
    response = client.post(
        reverse("login"), {"username": username, "password": DEMO_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert response.context["user"].username == username
    html = response.content.decode()
    assert "Roolisi" in html


def test_wrong_password_is_refused_with_a_message(client, demo_users):
    response = client.post(reverse("login"), {"username": "toimisto", "password": "wrong"})
    assert response.status_code == 400
    assert not response.context["user"].is_authenticated
    assert "Käyttäjätunnus tai salasana on väärin" in response.content.decode()


def test_home_shows_the_board_chair_her_seat(client, demo_users):
    client.login(username="johtoryhma-pj", password=DEMO_PASSWORD)
    html = client.get(reverse("home")).content.decode()
    assert "Tervetuloa, Tuula Antola" in html
    assert "Johtoryhmä" in html and "puheenjohtaja" in html
    assert "Johtoryhmän jäsen" in html


def test_logout_is_a_post(client, demo_users):
    client.login(username="toimisto", password=DEMO_PASSWORD)
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert not client.get(reverse("home")).context["user"].is_authenticated


def test_the_demos_meeting_in_progress_has_the_chairs_and_the_secretarys_work_to_try(
    client_as, demo_users
):
    """``make run`` has a board meeting in progress today: attendance taken (the presenter
    present, one member absent), a funding item with its applications side by side, and a
    conflict the portal proposed, which blocks that item's decision until the chair or the
    secretary resolves it."""
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from calls import demo as calls_demo
    from calls.models import Application
    from governance import services
    from governance.demo import DEMO_TODAY_FUNDING, meetings_demo_load
    from governance.models import Attendance, ConflictDeclaration, Minutes, Seat
    from governance.selectors import item_record

    meeting = meetings_demo_load().today
    assert timezone.localdate(meeting.starts_at) == timezone.localdate()
    assert meeting.starts_at <= timezone.now()
    assert not Minutes.objects.filter(meeting=meeting).exists()
    attendance = Attendance.objects.filter(meeting=meeting)
    assert attendance.filter(present=True, seat__role=Seat.Role.PRESENTER).exists()
    assert attendance.filter(present=True, seat__role=Seat.Role.CHAIR).exists()
    assert attendance.filter(present=False).exists()
    funding = meeting.items.get(title_fi=DEMO_TODAY_FUNDING)
    titles = Application.objects.filter(agenda_item=funding).values_list("title", flat=True)
    assert set(titles) == {calls_demo.DEMO_TODAY_CONFLICTED, calls_demo.DEMO_TODAY_OTHER}
    record = item_record(funding)
    assert record.quorum.quorate
    assert record.open_conflict_names  # proposed, for a member present
    proposed = ConflictDeclaration.objects.filter(
        agenda_item=funding, stage=ConflictDeclaration.Stage.PROPOSED, confirmed=False
    )
    assert {p.person.full_name for p in proposed} >= set(record.open_conflict_names)
    with pytest.raises(ValidationError, match="ehdotetut esteellisyydet"):
        services.decision_record(item=funding, outcome="approved", by=demo_users["johtoryhma-pj"])

    # The secretary's page offers the resolution; the chair's too; the member's reads the panel.
    name = record.open_conflict_names[0]
    for username in ("toimisto", "johtoryhma-pj"):
        page = client_as(username).get(reverse("meetings:detail", args=[meeting.pk]))
        html = page.content.decode()
        assert f"Esteellinen: {name} poistuu" in html, username
    member = client_as("johtoryhma").get(reverse("meetings:detail", args=[meeting.pk]))
    html = member.content.decode()
    assert "Hakemukset ja niiden arviointi" in html
    assert calls_demo.DEMO_TODAY_CONFLICTED in html and calls_demo.DEMO_TODAY_OTHER in html


def test_the_demo_password_is_hashed_once_with_the_configured_hasher(settings, monkeypatch):
    # PBKDF2 as in production and `make run` (the tests' settings use MD5): every demo account
    # gets a working hash of the demo password, made once, not a third of a second per account.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    hashed = []
    encode = PBKDF2PasswordHasher.encode
    monkeypatch.setattr(
        PBKDF2PasswordHasher,
        "encode",
        lambda self, *a, **k: hashed.append(1) or encode(self, *a, **k),
    )
    _demo_password_hash.cache_clear()
    users = [get_user_model()(username=f"demo-{n}") for n in range(3)]
    for user in users:
        demo_password_set(user)
    assert len(hashed) == 1
    assert len({user.password for user in users}) == 1
    assert users[0].password.startswith("pbkdf2_sha256$")
    assert all(user.check_password(DEMO_PASSWORD) for user in users)
    assert not users[0].check_password("wrong")
