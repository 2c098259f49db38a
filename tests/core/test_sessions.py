"""Sessions in the database, read from Redis (core/sessions.py)."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import sessions
from tests.test_redis_down import dead_cache  # noqa: F401 - a fixture


@pytest.fixture
def signed_in(db):
    user = get_user_model().objects.create_user("istunto", password="x")  # noqa: S106
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _session_queries(client: Client) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("projects:list")).status_code == 200
    return [q["sql"] for q in captured if "django_session" in q["sql"]]


def test_the_engine_is_ours_on_redis():
    assert settings.SESSION_ENGINE == "core.sessions"


def test_a_signed_in_request_reads_its_session_from_redis_and_the_database_keeps_it(signed_in):
    assert Session.objects.filter(session_key=_key(signed_in)).exists()  # the store of record
    assert _session_queries(signed_in) == []
    # Gone from Redis (restarted, evicted): read from the database, and kept again.
    caches[settings.SESSION_CACHE_ALIAS].delete(
        sessions.SessionStore.cache_key_prefix + _key(signed_in)
    )
    assert len(_session_queries(signed_in)) == 1
    assert _session_queries(signed_in) == []


def test_a_copy_is_kept_in_redis_for_minutes_not_for_the_session_s_age(signed_in):
    store = sessions.SessionStore(_key(signed_in))
    client = caches[settings.SESSION_CACHE_ALIAS]._cache.get_client()
    ttl = client.ttl(caches[settings.SESSION_CACHE_ALIAS].make_and_validate_key(store.cache_key))
    assert 0 < ttl <= sessions.CACHE_SECONDS < settings.SESSION_COOKIE_AGE


def test_logging_out_ends_the_session_in_redis_and_the_database(signed_in):
    key = _key(signed_in)
    signed_in.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert "_auth_user_id" not in sessions.SessionStore(key).load()


def test_while_redis_is_down_process_memory_is_not_trusted(signed_in, dead_cache):  # noqa: F811
    """Another process's logout deletes the session in the database: a copy this process
    kept in its own memory while Redis was down must not sign the user in."""
    key = _key(signed_in)
    store = sessions.SessionStore(key)
    assert store.load()["_auth_user_id"]  # read from the database, a copy kept in memory
    Session.objects.filter(session_key=key).delete()  # the other process's logout
    assert sessions.SessionStore(key).load() == {}
