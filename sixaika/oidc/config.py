"""Identity providers from the environment. Pure Python: the settings module imports it.

``SIXAIKA_OIDC_PROVIDERS=helsinki,keycloak`` names the providers (lowercase keys, used in URLs);
each has ``SIXAIKA_OIDC_<KEY>_ISSUER``, ``_CLIENT_ID``, ``_CLIENT_SECRET`` and ``_NAME`` (the
button's text), and optionally the endpoints (else read from the issuer's discovery document),
``_SCOPES``, ``_GROUPS_CLAIM`` and ``_SIGN_ALGO``. See docs/oidc.md.
"""

import re
from collections.abc import Mapping

KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
DEFAULTS = {
    "scopes": "openid email profile",
    "groups_claim": "groups",
    "sign_algo": "RS256",
    "authorization_endpoint": "",
    "token_endpoint": "",
    "userinfo_endpoint": "",
    "jwks_uri": "",
}
REQUIRED = ("issuer", "client_id", "client_secret", "name")


class ProviderConfigError(ValueError):
    pass


def providers_from_env(environ: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """``{key: {"name", "issuer", "client_id", "client_secret", ...}}``, in the listed order."""
    keys = [k.strip() for k in environ.get("SIXAIKA_OIDC_PROVIDERS", "").split(",") if k.strip()]
    providers: dict[str, dict[str, str]] = {}
    for key in keys:
        if not KEY_PATTERN.match(key):
            raise ProviderConfigError(
                f"SIXAIKA_OIDC_PROVIDERS: {key!r} is not a valid key "
                "(lowercase letters, digits and hyphens)."
            )
        prefix = "SIXAIKA_OIDC_" + key.upper().replace("-", "_") + "_"
        conf = {
            name: environ.get(prefix + name.upper(), default) for name, default in DEFAULTS.items()
        }
        for name in REQUIRED:
            conf[name] = environ.get(prefix + name.upper(), "")
        missing = [prefix + name.upper() for name in REQUIRED if not conf[name]]
        if missing:
            raise ProviderConfigError(f"Provider {key!r} needs {', '.join(missing)}.")
        conf["issuer"] = conf["issuer"].rstrip("/")
        providers[key] = conf
    return providers
