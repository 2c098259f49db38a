"""Fixtures for sign-in through a real OpenID Connect provider (see loopback.py).

``oidc_provider`` (session) starts it; ``kaupunki`` configures the portal to use it (as the
provider key ``kaupunki``) and registers the portal as a confidential client there.
``sign_in_with_provider`` runs the code flow with Django's test client for the portal and a
real HTTP session at the provider; the Chromium journeys (tests/browser/test_oidc.py, where the
browser harness lives) start their own provider with ``start_provider``.
"""

from urllib.parse import urlsplit

import pytest

from .loopback import PASSWORD, provider_round_trip, start_provider


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    provider = start_provider(tmp_path_factory, "oidc-provider")
    provider.register_portal("http://testserver")
    yield provider
    provider.stop()


@pytest.fixture
def kaupunki(oidc_provider, settings):
    """The portal configured with the test provider as ``kaupunki``; fault mode reset."""
    oidc_provider.mode("normal")
    settings.SIXAIKA_OIDC_PROVIDERS = {"kaupunki": oidc_provider.portal_settings()}
    yield oidc_provider
    oidc_provider.mode("normal")


@pytest.fixture
def sign_in_with_provider():
    """``sign_in_with_provider(client, "kaupunki", "tuula.antola")`` -> the callback's response."""

    def run(client, key: str, username: str, password: str = PASSWORD, next_url: str = ""):
        start = client.get(f"/accounts/oidc/{key}/" + (f"?next={next_url}" if next_url else ""))
        assert start.status_code == 302, start
        if not start["Location"].startswith("http://127.0.0.1"):
            return start  # refused before leaving the portal
        back = provider_round_trip(start["Location"], username, password)
        parts = urlsplit(back)
        return client.get(f"{parts.path}?{parts.query}")

    return run
