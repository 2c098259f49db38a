"""Authentication backends: password sign-in that can be switched off, and sign-in through an
identity provider (mozilla-django-oidc's backend, made per provider).

The library reads everything from Django settings, one provider per project; here each request
names its provider (``request.sixaika_oidc_provider``, set by the callback view from the state the
sign-in started with) and ``get_settings`` answers from that provider's configuration.
"""

import logging

import jwt
import requests
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.utils.translation import gettext_lazy as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from . import services
from .providers import Provider, SignInRefused, password_login_enabled, unreachable

logger = logging.getLogger(__name__)

CLOCK_SKEW_SECONDS = 60


class PasswordSwitchBackend:
    """Placed before ModelBackend: when password sign-in is off (``SIXAIKA_PASSWORD_LOGIN=false``)
    every attempt with a password stops here, the login form's and the admin's alike
    (``authenticate`` stops at PermissionDenied). No ``get_user`` and no permissions: it never
    owns a session (the test client's ``force_login`` takes the first backend with get_user)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if password is not None and not password_login_enabled():
            raise PermissionDenied("Password sign-in is switched off.")
        return None


def _refused(message, reason: str) -> SignInRefused:
    return SignInRefused(message, reason=reason)


class ProviderBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        # The library reads one provider's settings here; ours arrive with the request.
        self.UserModel = get_user_model()
        self.provider: Provider | None = None

    def get_settings(self, attr, *args):
        provider = getattr(self, "provider", None)
        if provider is not None:
            per_provider = {
                "OIDC_RP_CLIENT_ID": provider.client_id,
                "OIDC_RP_CLIENT_SECRET": provider.client_secret,
                "OIDC_RP_SIGN_ALGO": provider.sign_algo,
                "OIDC_RP_SCOPES": provider.scopes,
                "OIDC_RP_IDP_SIGN_KEY": None,
            }
            if attr in per_provider:
                return per_provider[attr]
        return import_from_settings(attr, *args)

    def authenticate(self, request, **kwargs):
        provider = getattr(request, "sixaika_oidc_provider", None) if request else None
        if provider is None or "nonce" not in kwargs:
            return None  # not a provider sign-in
        self.provider = provider
        endpoints = provider.endpoints()
        self.OIDC_OP_TOKEN_ENDPOINT = endpoints["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = endpoints["userinfo_endpoint"]
        self.OIDC_OP_JWKS_ENDPOINT = endpoints["jwks_uri"]
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = provider.client_secret
        self.OIDC_RP_SIGN_ALGO = provider.sign_algo
        self.OIDC_RP_IDP_SIGN_KEY = None
        try:
            return super().authenticate(request, **kwargs)
        except requests.HTTPError as exc:
            status = exc.response.status_code if exc.response is not None else None
            logger.warning("OIDC %s: provider answered %s: %s", provider.key, status, exc)
            if status is not None and status >= 500:
                raise unreachable(provider) from exc
            raise _refused(
                _(
                    "The sign-in service “%(name)s” did not accept the sign-in. "
                    "Start again from the login page."
                )
                % {"name": provider.name},
                "token_request_refused",
            ) from exc
        except requests.RequestException as exc:
            logger.warning("OIDC %s: provider unreachable: %s", provider.key, exc)
            raise unreachable(provider) from exc
        except SuspiciousOperation as exc:
            logger.warning("OIDC %s: refused: %s", provider.key, exc)
            raise _refused(
                _(
                    "The answer from the sign-in service could not be verified. "
                    "Sign-in was refused."
                ),
                "unverified",
            ) from exc

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None

    # Sign-in only: permissions are ModelBackend's and guardian's answer, asked once.
    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        return set()

    def has_perm(self, user_obj, perm, obj=None):
        return False

    def has_module_perms(self, user_obj, app_label):
        return False

    def _verify_jws(self, payload, key):
        """Verify the ID token with PyJWT: signature, algorithm, expiry, issuer and audience.

        mozilla-django-oidc checks the signature and expiry only; a token issued to another
        client of the same provider must not sign anyone in here.
        """
        provider = self.provider
        try:
            alg = jwt.get_unverified_header(payload).get("alg")
        except jwt.InvalidTokenError as exc:
            raise self._invalid() from exc
        if alg != provider.sign_algo:
            logger.warning(
                "OIDC %s: token alg %r, expected %r", provider.key, alg, provider.sign_algo
            )
            raise self._invalid()
        try:
            claims = jwt.decode(
                payload,
                key,
                algorithms=[provider.sign_algo],
                audience=provider.client_id,
                issuer=provider.issuer,
                leeway=CLOCK_SKEW_SECONDS,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError as exc:
            logger.warning("OIDC %s: expired token", provider.key)
            raise _refused(
                _("The sign-in has expired. Start again from the login page."), "expired"
            ) from exc
        except jwt.InvalidAudienceError as exc:
            logger.warning("OIDC %s: token for another audience", provider.key)
            raise _refused(
                _(
                    "The sign-in service issued the sign-in to another service, not to this "
                    "portal. Sign-in was refused."
                ),
                "wrong_audience",
            ) from exc
        except jwt.InvalidIssuerError as exc:
            logger.warning("OIDC %s: token from another issuer", provider.key)
            raise _refused(
                _(
                    "The sign-in came from another service than the one chosen. "
                    "Sign-in was refused."
                ),
                "wrong_issuer",
            ) from exc
        except jwt.InvalidTokenError as exc:
            logger.warning("OIDC %s: invalid token: %s", provider.key, exc)
            raise self._invalid() from exc
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != provider.client_id:
            raise _refused(
                _(
                    "The sign-in service issued the sign-in to another service, not to this "
                    "portal. Sign-in was refused."
                ),
                "wrong_audience",
            )
        return claims

    def _invalid(self) -> SignInRefused:
        return _refused(
            _(
                "The sign-in could not be verified: its signature is not valid. "
                "Sign-in was refused."
            ),
            "bad_signature",
        )

    def verify_claims(self, claims):
        return bool(claims.get("sub"))

    def get_or_create_user(self, access_token, id_token, payload):
        """Claims from the verified ID token (userinfo fills in what it lacks), then the service."""
        user_info = self.get_userinfo(access_token, id_token, payload)
        if str(user_info.get("sub")) != str(payload.get("sub")):
            # OpenID Connect Core 5.3.2: userinfo about someone else must not be used.
            logger.warning("OIDC %s: userinfo sub differs from the ID token's", self.provider.key)
            raise self._invalid()
        claims = {**user_info, **payload}
        groups = claims.get(self.provider.groups_claim) or []
        if isinstance(groups, str):
            groups = [groups]
        result = services.oidc_sign_in(provider=self.provider.key, claims=claims, groups=groups)
        return result.user
