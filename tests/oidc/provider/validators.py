"""Claims of the test provider (groups in a custom claim), and its switchable faults: an ID
token for another audience, an expired one, or one whose payload was altered after signing."""

import base64
import json
import time

from django.http import HttpResponse
from django.utils.html import escape
from oauth2_provider.oauth2_validators import OAuth2Validator

MODES = ("normal", "wrong_audience", "expired", "bad_signature", "interstitial")
state = {"mode": "normal"}  # one process (threaded server); changed through /control/


def interstitial_middleware(get_response):
    """In ``interstitial`` mode the provider shows a "continue" link instead of redirecting
    back at once (as some providers do), so a test can stop the provider in between."""

    def middleware(request):
        response = get_response(request)
        if (
            state["mode"] == "interstitial"
            and request.path.startswith("/o/authorize")
            and response.status_code == 302
            and "code=" in response["Location"]  # back to the client, not to the login page
        ):
            target = escape(response["Location"])
            return HttpResponse(
                '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
                '<title>Continue</title><link rel="icon" href="data:,"></head>'
                f'<body><main><h1>Signed in</h1><a href="{target}">Continue to the service</a>'
                "</main></body></html>"
            )
        return response

    return middleware


class Validator(OAuth2Validator):
    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "groups": "openid",
        "preferred_username": "profile",
    }

    def get_additional_claims(self, request):
        user = request.user
        return {
            "given_name": user.first_name,
            "family_name": user.last_name,
            "name": f"{user.first_name} {user.last_name}".strip(),
            "preferred_username": user.username,
            "email": user.email,
            "email_verified": True,
            "groups": sorted(user.groups.values_list("name", flat=True)),
        }

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expiration_time = super().get_id_token_dictionary(token, token_handler, request)
        if state["mode"] == "wrong_audience":
            claims["aud"] = "another-service"
        elif state["mode"] == "expired":
            now = int(time.time())
            claims["exp"] = now - 600
            claims["iat"] = now - 1200
        return claims, expiration_time

    def finalize_id_token(self, id_token, token, token_handler, request):
        # get_id_token_dictionary's claims override what oauthlib put in id_token (aud, iat)
        jwt = super().finalize_id_token(id_token, token, token_handler, request)
        if state["mode"] != "bad_signature":
            return jwt
        # An attacker on the way adds the strategy office's group; the signature stays old.
        header, payload, signature = jwt.split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        claims["groups"] = [*claims.get("groups", []), "6aika__strategy_office"]
        altered = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        return f"{header}.{altered}.{signature}"
