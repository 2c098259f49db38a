"""The accessibility statement (/accessibility/): public, in three languages, with the parts
the Act on the Provision of Digital Services (306/2019) asks for, and linked from every page."""

import pytest
from django.urls import reverse

from sixaika.views import ACCESSIBILITY_STATEMENT_UPDATED


@pytest.mark.django_db
def test_statement_is_public_and_finnish_by_default(client):
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fi">' in html
    for part in [
        "<h1>Saavutettavuusseloste</h1>",
        "Laki digitaalisten palvelujen tarjoamisesta (306/2019)",
        "Portaali täyttää saavutettavuusvaatimukset osittain.",  # compliance status
        "Sisällöt, jotka eivät ole saavutettavia",  # known gaps
        "PDF-raportit",
        "Palaute",  # feedback contact
        'href="mailto:',
        "Vastaamme 14 päivän kuluessa.",
        "Etelä-Suomen aluehallintovirasto",  # enforcement authority (and its successor)
        "Liikenne- ja viestintävirasto Traficom",
        "www.saavutettavuusvaatimukset.fi",
        f"laadittu {ACCESSIBILITY_STATEMENT_UPDATED.day}.{ACCESSIBILITY_STATEMENT_UPDATED.month}.",
    ]:
        assert part in html, part


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "heading", "status"),
    [
        ("en", "Accessibility statement", "The portal partially meets the accessibility"),
        ("sv", "Tillgänglighetsutlåtande", "Portalen uppfyller delvis tillgänglighetskraven."),
    ],
)
def test_statement_in_english_and_swedish(client, code, heading, status):
    url = reverse("accessibility")
    client.post(reverse("set_language"), {"language": code, "next": url})
    html = client.get(url).content.decode()
    assert f'<html lang="{code}">' in html
    assert f"<h1>{heading}</h1>" in html
    assert status in html


@pytest.mark.django_db
def test_statement_uses_the_configured_feedback_address(client, settings):
    settings.SIXAIKA_ACCESSIBILITY_EMAIL = "saavutettavuus@kuutosaika.example"
    html = client.get(reverse("accessibility")).content.decode()
    assert 'href="mailto:saavutettavuus@kuutosaika.example"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["home", "governance:bodies", "login"])
def test_every_page_links_the_statement_in_its_footer(client, url_name):
    html = client.get(reverse(url_name)).content.decode()
    footer = html[html.index("<footer") :]
    assert f'href="{reverse("accessibility")}"' in footer
    assert "Saavutettavuusseloste" in footer
