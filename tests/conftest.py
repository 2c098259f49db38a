"""Shared fixtures: the real 6Aika data, demo users per role, logged-in clients."""

import os

import pytest
from django.test import Client
from pytest_django.plugin import blocking_manager_key

from governance.seed import organisation_6aika_load
from governance.services import roles_ensure
from projects.portfolio_cache import portfolio_changed
from sixaika.demo import DEMO_ACCOUNTS, demo_accounts_load

from . import dbsnapshot


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """One test database per pytest process, so runs side by side never share one.

    pytest-django creates it at the start and drops it at the end of the run.
    """
    from django.conf import settings

    test = settings.DATABASES["default"].setdefault("TEST", {})
    base = test.get("NAME") or f"test_{settings.DATABASES['default']['NAME']}"
    test["NAME"] = f"{base}_{os.getpid()}"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the shipped 6Aika data and the demo once into this process's test database, through
    the services, and keep them as snapshots that ``org_6aika`` and ``demo_users`` copy in."""
    with django_db_blocker.unblock():
        dbsnapshot.build(
            {
                "org": lambda: (roles_ensure(), organisation_6aika_load()),
                "demo": demo_accounts_load,
            }
        )
    yield


def _transactional(item) -> bool:
    """Whether pytest-django runs ``item`` with real commits (and empties the tables after)."""
    names = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    return (
        "transactional_db" in names
        or "live_server" in names
        or bool(marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)))
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test pytest-django has emptied every table and made content types
    and permissions again with new ids: put back the base the snapshots refer to."""
    result = yield
    # After the last test the session's teardown has already dropped the database.
    if nextitem is not None and _transactional(item) and dbsnapshot.is_built():
        with item.config.stash[blocking_manager_key].unblock():
            dbsnapshot.reset_to_base()
    return result


@pytest.fixture
def org_6aika(db):
    """The real 6Aika organisation (cities, organisations, people, bodies, seats, deputies) and
    the roles, as ``load_6aika`` makes them."""
    dbsnapshot.restore("org")
    portfolio_changed()


@pytest.fixture
def demo_users(org_6aika):
    """The demo accounts and demo content, as ``load_demo`` makes them: username -> user."""
    from django.contrib.auth import get_user_model

    dbsnapshot.restore("demo")
    portfolio_changed()
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
