"""Shared fixtures: the real 6Aika data, demo users per role, logged-in clients."""

import os

import pytest
from django.test import Client

from governance.seed import organisation_6aika_load
from governance.services import roles_ensure
from sixaika.demo import DEMO_ACCOUNTS, demo_accounts_load


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """One test database per pytest process, so runs side by side never share one.

    pytest-django creates it at the start and drops it at the end of the run.
    """
    from django.conf import settings

    test = settings.DATABASES["default"].setdefault("TEST", {})
    base = test.get("NAME") or f"test_{settings.DATABASES['default']['NAME']}"
    test["NAME"] = f"{base}_{os.getpid()}"


@pytest.fixture
def org_6aika(db):
    roles_ensure()
    organisation_6aika_load()


@pytest.fixture
def demo_users(org_6aika):
    from django.contrib.auth import get_user_model

    demo_accounts_load()
    return {u.username: u for u in get_user_model().objects.all()}


DEMO_USERNAMES = [row[0] for row in DEMO_ACCOUNTS]


@pytest.fixture
def client_as(demo_users):
    """``client_as("toimisto")`` -> a test client logged in as that demo account."""

    def make(username: str) -> Client:
        client = Client()
        # Name the backend: which one is listed first (axes, OIDC…) must not matter here.
        client.force_login(
            demo_users[username], backend="django.contrib.auth.backends.ModelBackend"
        )
        return client

    return make


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the portal's default language, whatever the last request chose."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
