"""The signed-in user and their roles read by one prepared query (core/auth.py): the same user,
the same refusals and the same session checks as Django's own ``get_user``, on every request."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import auth as core_auth

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def coordinator(demo_users):
    return demo_users["koordinaattori-tampere"]


def _client(user, backend: str = MODEL_BACKEND) -> Client:
    client = Client()
    client.force_login(user, backend=backend)
    return client


def _page(client: Client) -> tuple[object, list[str]]:
    """The status report list (the coordinator role lets them in): its answer's user and the
    statements it ran."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("projects:report_list"))
    return response, [q["sql"] for q in captured]


def _key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_the_user_and_their_roles_are_one_statement(coordinator):
    client = _client(coordinator)
    response, statements = _page(client)
    assert response.status_code == 200
    assert response.wsgi_request.user.pk == coordinator.pk
    users = [sql for sql in statements if 'FROM "auth_user"' in sql]
    assert len(users) == 1 and '"auth_group"."name"' in users[0]
    assert not [sql for sql in statements if sql.startswith('SELECT "auth_group"')]


def test_a_role_taken_away_is_gone_on_the_next_request(coordinator):
    client = _client(coordinator)
    assert _page(client)[0].status_code == 200
    coordinator.groups.remove(Group.objects.get(name="coordinator"))
    response, _ = _page(client)
    assert response.status_code == 403  # signed in, no role: the list is refused
    assert response.wsgi_request.user.is_authenticated


def test_a_user_without_any_role_is_signed_in_with_none():
    user = get_user_model().objects.create_user("ei-rooleja", password="x-unused-9876")
    client = _client(user)
    response = client.get(reverse("home"))
    assert response.wsgi_request.user.pk == user.pk
    from core.access import access_of

    assert access_of(response.wsgi_request.user).roles == frozenset()


def test_a_deactivated_account_is_signed_out_on_its_next_request(coordinator):
    client = _client(coordinator)
    assert _page(client)[0].status_code == 200
    get_user_model().objects.filter(pk=coordinator.pk).update(is_active=False)
    response, _ = _page(client)
    assert not response.wsgi_request.user.is_authenticated
    assert response.status_code == 302  # to the login page


def test_a_password_changed_elsewhere_ends_the_session(coordinator):
    client = _client(coordinator)
    key = _key(client)
    assert _page(client)[0].status_code == 200
    coordinator.set_password("a-new-password-4321")
    coordinator.save()
    response, _ = _page(client)
    assert not response.wsgi_request.user.is_authenticated
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=key).exists()  # flushed, as Django does


def test_a_session_signed_with_a_fallback_key_moves_to_the_current_one(coordinator, settings):
    client = _client(coordinator)  # signed with SECRET_KEY
    old_key = _key(client)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-for-the-test-" + "x" * 40
    response, _ = _page(client)
    assert response.status_code == 200
    assert response.wsgi_request.user.pk == coordinator.pk
    assert _key(client) != old_key  # cycled
    settings.SECRET_KEY_FALLBACKS = []  # the old key retired: the session holds the new hash
    assert _page(client)[0].status_code == 200


def test_a_session_of_another_backend_is_read_as_django_reads_it(coordinator, monkeypatch):
    """An identity provider's session: core.auth hands it to django.contrib.auth.get_user."""
    asked = []
    django_get_user = core_auth.auth.get_user

    def counted(request):
        asked.append(request)
        return django_get_user(request)

    monkeypatch.setattr(core_auth.auth, "get_user", counted)
    client = _client(coordinator, backend="sixaika.oidc.backends.ProviderBackend")
    response, statements = _page(client)
    assert response.status_code == 200 and response.wsgi_request.user.pk == coordinator.pk
    assert asked
    _client(coordinator).get(reverse("home"))
    assert len(asked) == 1  # a password session is not handed over
