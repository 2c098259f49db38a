"""Fixtures for the open-data API tests: an anonymous client, no throttling unless a test asks
for it, and the real 6Aika bodies."""

import os

import pytest
from django.core.cache import cache
from django.test import Client

THROTTLE_KEY = "throttle_anon_127.0.0.1"


def set_anon_rate(settings, rate: str) -> None:
    rest = dict(settings.REST_FRAMEWORK)
    rest["DEFAULT_THROTTLE_RATES"] = {**rest["DEFAULT_THROTTLE_RATES"], "anon": rate}
    settings.REST_FRAMEWORK = rest


@pytest.fixture(autouse=True)
def _no_throttling(settings):
    """The API tests make many requests from one address; the throttle test sets its own.

    The cache entries (throttle counts, first-seen times) get a prefix of this process, so
    that test runs side by side, each with its own database, never see each other's."""
    caches = {alias: dict(config) for alias, config in settings.CACHES.items()}
    caches["default"]["KEY_PREFIX"] = f"api-tests-{os.getpid()}"
    settings.CACHES = caches
    set_anon_rate(settings, "100000/minute")
    cache.delete(THROTTLE_KEY)
    yield
    cache.delete(THROTTLE_KEY)


@pytest.fixture
def api(org_6aika) -> Client:
    return Client()
