"""Providers from the environment."""

import pytest

from sixaika.oidc.config import ProviderConfigError, providers_from_env

BASE = {
    "SIXAIKA_OIDC_PROVIDERS": "helsinki, seutu-kc",
    "SIXAIKA_OIDC_HELSINKI_ISSUER": "https://login.microsoftonline.com/tenant/v2.0/",
    "SIXAIKA_OIDC_HELSINKI_CLIENT_ID": "id-1",
    "SIXAIKA_OIDC_HELSINKI_CLIENT_SECRET": "s-1",
    "SIXAIKA_OIDC_HELSINKI_NAME": "Helsingin kaupunki",
    "SIXAIKA_OIDC_HELSINKI_GROUPS_CLAIM": "roles",
    "SIXAIKA_OIDC_SEUTU_KC_ISSUER": "https://kc.example/realms/6aika",
    "SIXAIKA_OIDC_SEUTU_KC_CLIENT_ID": "portal",
    "SIXAIKA_OIDC_SEUTU_KC_CLIENT_SECRET": "s-2",
    "SIXAIKA_OIDC_SEUTU_KC_NAME": "Seudun tunnus",
    "SIXAIKA_OIDC_SEUTU_KC_TOKEN_ENDPOINT": "https://kc.example/token",
}


def test_providers_are_read_in_order_with_defaults():
    providers = providers_from_env(BASE)
    assert list(providers) == ["helsinki", "seutu-kc"]
    helsinki = providers["helsinki"]
    assert helsinki["issuer"] == "https://login.microsoftonline.com/tenant/v2.0"
    assert helsinki["groups_claim"] == "roles"
    assert helsinki["scopes"] == "openid email profile"
    assert helsinki["sign_algo"] == "RS256"
    assert providers["seutu-kc"]["token_endpoint"] == "https://kc.example/token"
    assert providers["seutu-kc"]["groups_claim"] == "groups"


def test_no_providers_by_default():
    assert providers_from_env({}) == {}


def test_a_missing_value_is_named():
    env = {k: v for k, v in BASE.items() if k != "SIXAIKA_OIDC_SEUTU_KC_CLIENT_SECRET"}
    with pytest.raises(ProviderConfigError, match="SIXAIKA_OIDC_SEUTU_KC_CLIENT_SECRET"):
        providers_from_env(env)


def test_a_bad_key_is_refused():
    with pytest.raises(ProviderConfigError, match="'Helsinki!'"):
        providers_from_env({"SIXAIKA_OIDC_PROVIDERS": "Helsinki!"})
