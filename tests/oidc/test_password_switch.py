"""Password sign-in can be switched off (SIXAIKA_PASSWORD_LOGIN=false): the login page then
shows only the providers' buttons, and every password attempt is refused."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from sixaika.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

PROVIDER = {
    "name": "Kaupungin tunnus",
    "issuer": "http://127.0.0.1:9/o",
    "client_id": "portal",
    "client_secret": "secret",
}


def test_password_sign_in_is_on_by_default_with_the_buttons_beside(settings, demo_users):
    assert settings.SIXAIKA_PASSWORD_LOGIN is True
    settings.SIXAIKA_OIDC_PROVIDERS = {"kaupunki": PROVIDER}
    page = Client().get("/accounts/login/").content.decode()
    assert "Kirjaudu: Kaupungin tunnus" in page
    assert 'name="password"' in page
    client = Client()
    response = client.post("/accounts/login/", {"username": "toimisto", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get("/").wsgi_request.user.username == "toimisto"


def test_switched_off_the_page_shows_only_the_buttons(settings, demo_users):
    settings.SIXAIKA_PASSWORD_LOGIN = False
    settings.SIXAIKA_OIDC_PROVIDERS = {"kaupunki": PROVIDER}
    page = Client().get("/accounts/login/").content.decode()
    assert 'href="/accounts/oidc/kaupunki/"' in page
    assert 'name="password"' not in page and 'name="username"' not in page
    assert "Kirjaudu portaalin salasanalla" not in page


def test_switched_off_a_password_post_is_refused(settings, demo_users):
    settings.SIXAIKA_PASSWORD_LOGIN = False
    settings.SIXAIKA_OIDC_PROVIDERS = {"kaupunki": PROVIDER}
    client = Client()
    response = client.post("/accounts/login/", {"username": "toimisto", "password": DEMO_PASSWORD})
    assert response.status_code == 403
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Salasanalla kirjautuminen on poistettu käytöstä. Kirjaudu organisaatiosi tunnuksella."
    ]
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_switched_off_the_admin_refuses_passwords_too(settings, demo_users):
    settings.SIXAIKA_PASSWORD_LOGIN = False
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "toimisto", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 200  # the admin's form, with its error
    assert not client.get("/admin/").wsgi_request.user.is_authenticated


def test_switched_off_without_providers_says_so(settings, demo_users):
    settings.SIXAIKA_PASSWORD_LOGIN = False
    settings.SIXAIKA_OIDC_PROVIDERS = {}
    page = Client().get("/accounts/login/").content.decode()
    assert "Salasanalla kirjautuminen on poistettu käytöstä, eikä yhtään tunnistuspalvelua" in page
