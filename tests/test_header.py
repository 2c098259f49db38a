"""The header's menu and language switch of signed-in pages, memoised per process
(sixaika/templatetags/sixaika_header.py): the same HTML as the templates write for each user
and page, each request with a CSRF token of its own."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from sixaika.templatetags import sixaika_header

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')
USERS = ("toimisto", "koordinaattori-helsinki", "johtoryhma-pj")
URLS = ("/", "/projects/reports/", "/meetings/", "/governance/", "/projects/?q=%22%3Cx%3E")


def _header(html: str) -> str:
    return TOKEN.sub("TOKEN", html.split("<main", 1)[0])


def _pages(client_as, language: str = "fi") -> dict[tuple[str, str], str]:
    pages = {}
    for username in USERS:
        client = client_as(username)
        client.cookies["django_language"] = language
        for url in URLS:
            response = client.get(url)
            assert response.status_code in (200, 403), (username, url)
            pages[username, url] = response.content.decode()
    return pages


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_same_header_as_the_templates_write(client_as, monkeypatch, language):
    sixaika_header._memo.cache_clear()
    kept = _pages(client_as, language)
    again = _pages(client_as, language)  # from the memo
    assert sixaika_header._memo.cache_info().hits  # the memo was used
    monkeypatch.setattr(sixaika_header, "_memo", lambda header, language: None)
    written = _pages(client_as, language)  # as {% include %} renders them
    for key, html in written.items():
        assert _header(kept[key]) == _header(html), key
        assert _header(again[key]) == _header(html), key


def test_each_request_gets_its_own_token_and_a_visitor_s_header_is_rendered(client_as):
    client = client_as("toimisto")
    first = TOKEN.findall(client.get("/").content.decode())
    second = TOKEN.findall(client.get("/").content.decode())
    assert len(first) == len(second) >= 2 and not set(first) & set(second)
    visitor = Client().get(reverse("projects:list")).content.decode()
    assert "?next=/projects/" in visitor  # the visitor's login link names the page


def test_a_page_rendered_without_a_request_still_has_its_header():
    """As {% include %} did: a template rendered without a request (an error page, an email)
    is not refused for want of one."""
    from django.template.loader import render_to_string

    html = render_to_string("404.html", {})
    assert 'class="site-nav"' in html and 'class="lang-form"' in html


def test_the_header_s_forms_carry_the_page_s_token_which_the_csrf_check_accepts(demo_users):
    """One token per page (the context's), in the header's forms and the page's alike; a form
    posted with it passes the CSRF check."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(
        demo_users["koordinaattori-tampere"], backend="django.contrib.auth.backends.ModelBackend"
    )
    tokens = TOKEN.findall(client.get(reverse("accessibility")).content.decode())
    assert len(tokens) >= 2 and len(set(tokens)) == 1
    answer = client.post(
        reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": tokens[0]}
    )
    assert answer.status_code == 302
    refused = Client(enforce_csrf_checks=True)
    refused.cookies = client.cookies
    assert refused.post(reverse("set_language"), {"language": "sv", "next": "/"}).status_code == 403
