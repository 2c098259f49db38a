"""The configured identity providers at run time, and their endpoints (from discovery)."""

import logging
from dataclasses import dataclass

import requests
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

DISCOVERY_CACHE_SECONDS = 3600
ENDPOINTS = ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")


class SignInRefused(Exception):
    """Sign-in through a provider is refused; ``message`` is what the person is told."""

    def __init__(self, message, *, reason: str):
        super().__init__(f"{reason}: {message}")
        self.message = message
        self.reason = reason


@dataclass(frozen=True)
class Provider:
    key: str
    name: str
    issuer: str
    client_id: str
    client_secret: str
    scopes: str
    groups_claim: str
    sign_algo: str
    configured_endpoints: dict[str, str]

    def endpoints(self) -> dict[str, str]:
        """Endpoints from the environment, the rest from the issuer's discovery document."""
        if all(self.configured_endpoints.get(name) for name in ENDPOINTS):
            return dict(self.configured_endpoints)
        discovered = _discover(self)
        return {
            name: self.configured_endpoints.get(name) or discovered.get(name, "")
            for name in ENDPOINTS
        }


def password_login_enabled() -> bool:
    return bool(getattr(settings, "SIXAIKA_PASSWORD_LOGIN", True))


def providers() -> list[Provider]:
    return [_provider(key, conf) for key, conf in settings.SIXAIKA_OIDC_PROVIDERS.items()]


def provider_get(key: str) -> Provider | None:
    conf = settings.SIXAIKA_OIDC_PROVIDERS.get(key)
    return _provider(key, conf) if conf else None


def _provider(key: str, conf: dict[str, str]) -> Provider:
    return Provider(
        key=key,
        name=conf["name"],
        issuer=conf["issuer"].rstrip("/"),
        client_id=conf["client_id"],
        client_secret=conf["client_secret"],
        scopes=conf.get("scopes") or "openid email profile",
        groups_claim=conf.get("groups_claim") or "groups",
        sign_algo=conf.get("sign_algo") or "RS256",
        configured_endpoints={name: conf.get(name, "") for name in ENDPOINTS},
    )


def unreachable(provider: Provider) -> SignInRefused:
    return SignInRefused(
        _(
            "The sign-in service “%(name)s” cannot be reached just now. Try again in a while; "
            "if it goes on, tell the strategy office."
        )
        % {"name": provider.name},
        reason="provider_unreachable",
    )


def _discover(provider: Provider) -> dict[str, str]:
    cache_key = f"sixaika-oidc-discovery:{provider.issuer}"
    document = cache.get(cache_key)
    if document is not None:
        return document
    url = provider.issuer + "/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        logger.warning("OIDC discovery failed for %s (%s): %s", provider.key, url, exc)
        raise unreachable(provider) from exc
    if str(document.get("issuer", "")).rstrip("/") != provider.issuer:
        # The document must be the issuer's own (OpenID Connect Discovery 1.0, section 4.3).
        logger.error(
            "OIDC discovery for %s: issuer %r does not match the configured %r",
            provider.key,
            document.get("issuer"),
            provider.issuer,
        )
        raise SignInRefused(
            _(
                "The sign-in service “%(name)s” is not configured correctly. "
                "Tell the strategy office."
            )
            % {"name": provider.name},
            reason="issuer_mismatch",
        )
    document = {name: document.get(name, "") for name in ENDPOINTS}
    cache.set(cache_key, document, DISCOVERY_CACHE_SECONDS)
    return document
