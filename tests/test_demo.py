"""Demo accounts: created once with their roles, log in with the documented password."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from guardian.shortcuts import get_objects_for_user

from governance.models import City
from sixaika.demo import DEMO_ACCOUNTS, DEMO_PASSWORD


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
