"""The privacy notice (/privacy/): public, in three languages, with what GDPR articles 13-14 ask
for, the operator's values from settings, and linked from every page (tests/test_access.py walks
every page for the link)."""

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

# (language, heading, a phrase from each part the issue asks for: controller, purposes and legal
# bases, what is kept about whom (seats, contacts, accounts, audit trail, sign-in claims), how
# long, recipients, the data subject's rights and whom to contact)
LANGUAGES = [
    (
        "fi",
        "Tietosuojaseloste",
        [
            "Rekisterinpitäjä",
            "Käsittelyn tarkoitukset ja oikeusperusteet",
            "6 artiklan 1 kohdan e alakohta",
            "Jäsenet, varajäsenet ja yhteyshenkilöt",
            "Käyttäjätunnukset",
            "Kirjautumisen tunnistetiedot",
            "Kuka muutti päätöksiä",
            "Kuinka kauan tietoja säilytetään",
            "menettää roolinsa",
            "Vastaanottajat ja tietojen luovutukset",
            "Oikeutesi",
            "tietosuojavaltuutetulle",
        ],
    ),
    (
        "sv",
        "Dataskyddsbeskrivning",
        [
            "Personuppgiftsansvarig",
            "Ändamål och rättslig grund för behandlingen",
            "artikel 6.1 e",
            "Ledamöter, ersättare och kontaktpersoner",
            "Användarkonton",
            "Uppgifter från inloggningen",
            "Vem som ändrade beslut",
            "Hur länge uppgifterna sparas",
            "förlorar sina roller",
            "Mottagare och utlämnande av uppgifter",
            "Dina rättigheter",
            "dataombudsmannen",
        ],
    ),
    (
        "en",
        "Privacy notice",
        [
            "Controller",
            "Purposes and legal bases",
            "article 6(1)(e)",
            "Members, deputies and contact people",
            "User accounts",
            "Sign-in claims",
            "Who changed decisions",
            "How long the data is kept",
            "loses their roles",
            "Recipients and disclosures",
            "Your rights",
            "Data Protection Ombudsman",
        ],
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "heading", "parts"), LANGUAGES)
def test_notice_is_public_in_each_language(client, code, heading, parts):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = code
    response = client.get("/privacy/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{code}">' in html
    assert f"<h1>{heading}</h1>" in html
    for part in parts:
        assert part in html, (code, part)
    days = f"{django_settings.SIXAIKA_ROLE_EXPIRY_DAYS}"
    assert days in html  # the role expiry the portal really applies


@pytest.mark.django_db
def test_notice_shows_the_operators_values_from_settings(client, settings):
    settings.SIXAIKA_PRIVACY_CONTROLLER = "Kuutoskaupunkien Oy"
    settings.SIXAIKA_PRIVACY_CONTROLLER_ADDRESS = "PL 1, 00099 Helsinki"
    settings.SIXAIKA_PRIVACY_EMAIL = "tietosuoja@kuutosaika.example"
    settings.SIXAIKA_PRIVACY_DPO = "Tiina Tietosuoja, tietosuojavastaava@kuutosaika.example"
    settings.SIXAIKA_ROLE_EXPIRY_DAYS = 180
    html = client.get(reverse("privacy")).content.decode()
    assert "Kuutoskaupunkien Oy" in html
    assert "PL 1, 00099 Helsinki" in html
    assert 'href="mailto:tietosuoja@kuutosaika.example"' in html
    assert "Tietosuojavastaava" in html and "Tiina Tietosuoja" in html
    assert "180 päivään" in html


@pytest.mark.django_db
def test_notice_without_settings_names_the_strategy_office(client, settings):
    settings.SIXAIKA_PRIVACY_CONTROLLER = ""
    settings.SIXAIKA_PRIVACY_DPO = ""
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "sv"
    html = client.get(reverse("privacy")).content.decode()
    assert "6Aika-strategibyrån" in html
    assert "Dataskyddsombud" not in html  # no officer configured: the row is left out
    assert f'href="mailto:{settings.SIXAIKA_PRIVACY_EMAIL}"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["fi", "sv", "en"])
def test_every_kind_of_page_links_the_notice(client, code):
    """The ordinary pages (base.html), a 404 and the error pages' own layout all link it."""
    from django.template.loader import render_to_string

    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = code
    for url in [reverse("home"), reverse("projects:list"), "/no-such-page/"]:
        assert 'href="/privacy/"' in client.get(url).content.decode(), url
    assert 'href="/privacy/"' in render_to_string("503.html")
