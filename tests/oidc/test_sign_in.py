"""Sign-in through the real test provider (tests/oidc/provider), driven by Django's test client
at the portal and an HTTP session at the provider: the code flow with PKCE, roles from groups,
and the refusals. The same flow in Chromium is in test_browser.py."""

import logging
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.test import Client
from guardian.shortcuts import get_objects_for_user

from governance.models import City
from governance.permissions import coordinated_cities, user_roles
from governance.services import user_role_grant
from sixaika.oidc.models import ExternalIdentity, ExternalRoleGrant

from .loopback import LoopbackProvider, free_port, provider_round_trip

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _portal_user(username: str) -> User:
    return get_user_model().objects.get(username=f"kaupunki.{username}")


def _snapshot() -> dict:
    """Everything a sign-in may change: accounts, their roles and cities, provider rows."""
    users = get_user_model().objects.order_by("pk")
    return {
        "users": [
            (u.username, u.email, u.first_name, sorted(user_roles(u)), u.last_login) for u in users
        ],
        "cities": {
            u.username: sorted(
                get_objects_for_user(
                    u, "governance.coordinate_city", klass=City, accept_global_perms=False
                ).values_list("slug", flat=True)
            )
            for u in users
        },
        "grants": sorted(
            ExternalRoleGrant.objects.values_list("user__username", "role", "city__slug")
        ),
        "identities": sorted(ExternalIdentity.objects.values_list("provider", "subject")),
    }


def test_first_sign_in_creates_the_account_with_the_roles_of_its_groups(
    kaupunki, org_6aika, sign_in_with_provider
):
    kaupunki.user(
        "tuula.antola",
        ["6aika__board", "6aika__coordinator__tampere", "Domain Users"],
        given_name="Tuula",
        family_name="Antola",
        email="tuula.antola@tampere.example",
    )
    client = Client()
    response = sign_in_with_provider(client, "kaupunki", "tuula.antola")

    assert response.status_code == 302 and response["Location"] == "/"
    user = _portal_user("tuula.antola")
    assert (user.first_name, user.last_name, user.email) == (
        "Tuula",
        "Antola",
        "tuula.antola@tampere.example",
    )
    assert not user.has_usable_password()
    assert user_roles(user) == {"board", "coordinator"}
    assert list(coordinated_cities(user).values_list("slug", flat=True)) == ["tampere"]
    assert sorted(
        ExternalRoleGrant.objects.filter(user=user).values_list("role", "city__slug", "provider")
    ) == [("board", None, "kaupunki"), ("coordinator", "tampere", "kaupunki")]
    assert ExternalIdentity.objects.get(user=user).provider == "kaupunki"
    assert _messages(response) == []  # "Domain Users" belongs to other services: not reported

    home = client.get("/")
    assert home.wsgi_request.user == user
    assert "Johtoryhmän jäsen" in home.content.decode()


def test_the_request_to_the_provider_uses_pkce_and_a_nonce(kaupunki, org_6aika):
    start = Client().get("/accounts/oidc/kaupunki/?next=/governance/")
    assert start.status_code == 302
    url = urlsplit(start["Location"])
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{kaupunki.issuer}/authorize/"
    assert query["response_type"] == "code"
    assert query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) == 43
    assert query["nonce"] and query["state"]
    assert query["redirect_uri"] == "http://testserver/accounts/oidc/callback/"
    assert query["scope"] == "openid email profile"


def test_next_page_is_kept(kaupunki, org_6aika, sign_in_with_provider):
    kaupunki.user("kimmo.viljamaa", ["6aika__board"])
    response = sign_in_with_provider(
        Client(), "kaupunki", "kimmo.viljamaa", next_url="/governance/"
    )
    assert response["Location"] == "/governance/"


def test_groups_are_synchronised_at_every_sign_in_and_portal_grants_stay(
    kaupunki, org_6aika, sign_in_with_provider
):
    kaupunki.user(
        "riitta.b", ["6aika__board", "6aika__coordinator__tampere", "6aika__coordinator__oulu"]
    )
    sign_in_with_provider(Client(), "kaupunki", "riitta.b")
    user = _portal_user("riitta.b")
    # The strategy office grants two roles in the portal: one the provider also gives later.
    user_role_grant(user=user, role="funder")
    user_role_grant(user=user, role="steering_group")

    kaupunki.user("riitta.b", ["6aika__coordinator__oulu", "6aika__steering_group"])
    response = sign_in_with_provider(Client(), "kaupunki", "riitta.b")
    assert response["Location"] == "/"
    user = _portal_user("riitta.b")
    assert user_roles(user) == {"coordinator", "funder", "steering_group"}
    assert list(coordinated_cities(user).values_list("slug", flat=True)) == ["oulu"]
    # steering_group was the portal's before the provider named it: it stays the portal's
    assert sorted(
        ExternalRoleGrant.objects.filter(user=user).values_list("role", "city__slug")
    ) == [("coordinator", "oulu")]

    kaupunki.user("riitta.b", [])
    sign_in_with_provider(Client(), "kaupunki", "riitta.b")
    user = _portal_user("riitta.b")
    assert user_roles(user) == {"funder", "steering_group"}  # the portal's grants stay
    assert not coordinated_cities(user).exists()
    assert not ExternalRoleGrant.objects.filter(user=user).exists()


def test_unknown_portal_groups_refuse_the_sign_in_and_change_nothing(
    kaupunki, org_6aika, sign_in_with_provider, caplog
):
    # An existing provider user whose coordinator group was misspelt at the provider, and a
    # new one with a group for a city that is not one of the six.
    kaupunki.user("existing.user", ["6aika__coordinator__tampere", "6aika__funder"])
    sign_in_with_provider(Client(), "kaupunki", "existing.user")
    kaupunki.user("existing.user", ["6aika__coordinator__tamperee", "6aika__funder", "Staff"])
    kaupunki.user("outi.o", ["6aika__coordinator__lahti", "6aika__president", "Staff"])
    before = _snapshot()

    with caplog.at_level(logging.WARNING, logger="sixaika.oidc.services"):
        existing = Client()
        refused_existing = sign_in_with_provider(existing, "kaupunki", "existing.user")
        new = Client()
        refused_new = sign_in_with_provider(new, "kaupunki", "outi.o")

    for response, client in ((refused_existing, existing), (refused_new, new)):
        assert response.status_code == 302 and response["Location"] == "/accounts/login/"
        assert not client.get("/").wsgi_request.user.is_authenticated
    assert _messages(refused_new) == [
        "Organisaatiosi antaa sinulle ryhmiä, jotka eivät vastaa mitään portaalin roolia: "
        "6aika__coordinator__lahti, 6aika__president. Kirjautuminen hylättiin, jotta mikään "
        "rooli ei katoa vahingossa. Pyydä organisaatiosi ylläpitäjää tai strategiatoimistoa "
        "korjaamaan ryhmät."
    ]
    assert "6aika__coordinator__tamperee" in _messages(refused_existing)[0]
    # The Tampere coordinator keeps the role the misspelt group would otherwise have removed.
    assert _snapshot() == before
    assert user_roles(_portal_user("existing.user")) == {"coordinator", "funder"}
    logged = [r.getMessage() for r in caplog.records]
    assert any("6aika__coordinator__lahti" in line and "refused" in line for line in logged)
    assert not any("Staff" in line for line in logged)

    # Once the provider mends the group, the same person signs in with the role.
    kaupunki.user("outi.o", ["6aika__coordinator__oulu", "Staff"])
    response = sign_in_with_provider(Client(), "kaupunki", "outi.o")
    assert response["Location"] == "/"
    assert coordinated_cities(_portal_user("outi.o")).get().slug == "oulu"


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        (
            "wrong_audience",
            "Tunnistuspalvelu myönsi kirjautumisen toiselle palvelulle, ei tälle portaalille. "
            "Kirjautuminen hylättiin.",
        ),
        ("expired", "Kirjautuminen on vanhentunut. Aloita alusta kirjautumissivulta."),
        (
            "bad_signature",
            "Kirjautumista ei voitu varmentaa: sen allekirjoitus ei ole kelvollinen. "
            "Kirjautuminen hylättiin.",
        ),
    ],
)
def test_bad_tokens_are_refused_and_change_nothing(
    kaupunki, org_6aika, sign_in_with_provider, mode, message
):
    # An existing provider user whose groups changed at the provider, and a new one.
    kaupunki.user("existing.user", ["6aika__board"])
    sign_in_with_provider(Client(), "kaupunki", "existing.user")
    kaupunki.user("existing.user", ["6aika__strategy_office"])
    kaupunki.user("new.user", ["6aika__funder"])
    before = _snapshot()

    kaupunki.mode(mode)
    for username in ("existing.user", "new.user"):
        client = Client()
        response = sign_in_with_provider(client, "kaupunki", username)
        assert response.status_code == 302 and response["Location"] == "/accounts/login/"
        assert _messages(response) == [message]
        assert not client.get("/").wsgi_request.user.is_authenticated
    assert _snapshot() == before


def test_provider_down_before_leaving_the_portal(org_6aika, settings):
    dead = LoopbackProvider(port=free_port(), token="unused")
    settings.SIXAIKA_OIDC_PROVIDERS = {"kaupunki": dead.portal_settings()}
    before = _snapshot()
    client = Client()
    response = client.get("/accounts/oidc/kaupunki/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert _messages(response) == [
        "Tunnistuspalvelua ”Kaupungin tunnus” ei juuri nyt tavoiteta. Yritä hetken päästä "
        "uudelleen; jos vika jatkuu, ota yhteyttä strategiatoimistoon."
    ]
    assert _snapshot() == before


def test_provider_down_when_the_portal_fetches_the_token(
    kaupunki, org_6aika, settings, sign_in_with_provider
):
    """The provider answers the browser, then its token endpoint cannot be reached."""
    conf = kaupunki.portal_settings()
    conf.update(
        authorization_endpoint=f"{kaupunki.issuer}/authorize/",
        token_endpoint=f"http://127.0.0.1:{free_port()}/o/token/",
        userinfo_endpoint=f"{kaupunki.issuer}/userinfo/",
        jwks_uri=f"{kaupunki.issuer}/.well-known/jwks.json",
    )
    settings.SIXAIKA_OIDC_PROVIDERS = {"kaupunki": conf}
    kaupunki.user("new.user", ["6aika__funder"])
    before = _snapshot()
    response = sign_in_with_provider(Client(), "kaupunki", "new.user")
    assert response["Location"] == "/accounts/login/"
    assert _messages(response) == [
        "Tunnistuspalvelua ”Kaupungin tunnus” ei juuri nyt tavoiteta. Yritä hetken päästä "
        "uudelleen; jos vika jatkuu, ota yhteyttä strategiatoimistoon."
    ]
    assert _snapshot() == before


def test_a_forged_or_stale_callback_is_refused(kaupunki, org_6aika):
    before = _snapshot()
    response = Client().get("/accounts/oidc/callback/?code=abc&state=made-up")
    assert response["Location"] == "/accounts/login/"
    assert _messages(response) == [
        "Kirjautuminen ei alkanut tästä portaalista, tai se kesti liian kauan. Yritä uudelleen."
    ]
    assert _snapshot() == before


def test_an_answer_from_another_issuer_is_refused(kaupunki, org_6aika):
    client = Client()
    start = client.get("/accounts/oidc/kaupunki/")
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    response = client.get(
        f"/accounts/oidc/callback/?code=abc&state={state}&iss=https://evil.example/"
    )
    assert response["Location"] == "/accounts/login/"
    assert _messages(response) == [
        "Kirjautuminen tuli eri palvelusta kuin valittiin. Kirjautuminen hylättiin."
    ]


def test_the_provider_says_no(kaupunki, org_6aika):
    client = Client()
    start = client.get("/accounts/oidc/kaupunki/")
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    response = client.get(f"/accounts/oidc/callback/?error=access_denied&state={state}")
    assert response["Location"] == "/accounts/login/"
    assert _messages(response) == [
        "Tunnistuspalvelu ”Kaupungin tunnus” ei kirjannut sinua sisään (access_denied)."
    ]


def test_unknown_provider_key_is_not_found(kaupunki):
    assert Client().get("/accounts/oidc/nobody/").status_code == 404


def test_a_closed_account_cannot_sign_in(kaupunki, org_6aika, sign_in_with_provider):
    kaupunki.user("left.city", ["6aika__board"])
    sign_in_with_provider(Client(), "kaupunki", "left.city")
    user = _portal_user("left.city")
    user.is_active = False
    user.save()
    kaupunki.user("left.city", ["6aika__strategy_office"])
    before = _snapshot()
    response = sign_in_with_provider(Client(), "kaupunki", "left.city")
    assert response["Location"] == "/accounts/login/"
    assert _messages(response) == [
        "Tilisi portaalissa on suljettu. Ota yhteyttä strategiatoimistoon."
    ]
    assert _snapshot() == before


def test_two_providers_each_with_a_button_and_its_own_grants(
    kaupunki, org_6aika, settings, sign_in_with_provider
):
    settings.SIXAIKA_OIDC_PROVIDERS = {
        "kaupunki": kaupunki.portal_settings("Kaupungin tunnus"),
        "seutu": kaupunki.portal_settings("Seudun Keycloak"),
    }
    page = Client().get("/accounts/login/").content.decode()
    assert 'href="/accounts/oidc/kaupunki/"' in page and "Kirjaudu: Kaupungin tunnus" in page
    assert 'href="/accounts/oidc/seutu/"' in page and "Kirjaudu: Seudun Keycloak" in page

    kaupunki.user("tiina.t", ["6aika__coordinator__turku"])
    response = sign_in_with_provider(Client(), "seutu", "tiina.t")
    assert response["Location"] == "/"
    user = get_user_model().objects.get(username="seutu.tiina.t")
    assert ExternalRoleGrant.objects.get(user=user).provider == "seutu"
    assert list(coordinated_cities(user).values_list("slug", flat=True)) == ["turku"]


def test_two_step_sign_in_still_applies_to_roles_that_require_it(
    kaupunki, org_6aika, settings, sign_in_with_provider
):
    """The portal's own authenticator code is still asked of roles that require it."""
    settings.SIXAIKA_2FA_REQUIRED_ROLES = ["board"]
    kaupunki.user("board.member", ["6aika__board"])
    client = Client()
    sign_in_with_provider(client, "kaupunki", "board.member")
    response = client.get("/governance/")
    assert response.status_code == 302 and response["Location"] == "/accounts/two-factor/"


def test_sign_in_works_with_the_lockout_on(kaupunki, org_6aika, settings, sign_in_with_provider):
    settings.AXES_ENABLED = True
    kaupunki.user("axes.user", ["6aika__funder"])
    client = Client()
    response = sign_in_with_provider(client, "kaupunki", "axes.user")
    assert response["Location"] == "/"
    assert user_roles(client.get("/").wsgi_request.user) == {"funder"}


def test_the_office_sees_provider_grants_in_the_admin(
    kaupunki, org_6aika, sign_in_with_provider, client_as
):
    kaupunki.user("admin.seen", ["6aika__coordinator__espoo"])
    sign_in_with_provider(Client(), "kaupunki", "admin.seen")
    page = client_as("toimisto").get("/admin/sixaika_oidc/externalrolegrant/")
    assert page.status_code == 200
    assert "kaupunki.admin.seen" in page.content.decode()
    assert client_as("koordinaattori-espoo").get(
        "/admin/sixaika_oidc/externalrolegrant/"
    ).status_code in (302, 403)


def test_a_code_redeemed_without_its_pkce_verifier_is_refused(kaupunki, org_6aika):
    """The provider ties the code to the PKCE challenge: another verifier gets no token."""
    kaupunki.user("pkce.user", ["6aika__board"])
    client = Client()
    start = client.get("/accounts/oidc/kaupunki/")
    back = urlsplit(provider_round_trip(start["Location"], "pkce.user"))
    state = parse_qs(back.query)["state"][0]
    session = client.session
    session["oidc_states"][state]["code_verifier"] = "x" * 64  # not the one challenged
    session.save()
    before = _snapshot()
    response = client.get(f"{back.path}?{back.query}")
    assert response["Location"] == "/accounts/login/"
    assert _messages(response) == [
        "Tunnistuspalvelu ”Kaupungin tunnus” ei hyväksynyt kirjautumista. "
        "Aloita alusta kirjautumissivulta."
    ]
    assert _snapshot() == before


def test_a_discovery_document_of_another_issuer_is_refused(kaupunki, org_6aika, settings):
    conf = kaupunki.portal_settings()
    conf["issuer"] = kaupunki.issuer.replace("127.0.0.1", "localhost")  # answers as 127.0.0.1
    settings.SIXAIKA_OIDC_PROVIDERS = {"kaupunki": conf}
    response = Client().get("/accounts/oidc/kaupunki/")
    assert response["Location"] == "/accounts/login/"
    assert _messages(response) == [
        "Tunnistuspalvelun ”Kaupungin tunnus” asetukset ovat virheelliset. "
        "Ota yhteyttä strategiatoimistoon."
    ]
