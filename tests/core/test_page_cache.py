"""Whole public pages kept for anonymous visitors (core/page_cache.py): a saved change shows on
the next request, every visitor gets a CSRF token of their own, and nothing user-specific is
kept or served."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coordination import services as coordination_services
from coordination.models import AnnualClockEvent
from core import page_cache, versions
from governance import services as governance_services
from governance.models import Body
from projects import services as project_services
from projects.models import Project
from tests.governance.conftest import (  # noqa: F401 - fixtures
    approve_minutes,
    attend,
    board,
    chair_user,
    office,
    past_meeting,
    seats,
)
from tests.projects import factories

pytestmark = pytest.mark.django_db

APPS = ("projects", "governance", "calls", "coordination", "core")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    """The cache on (it is off for the rest of the suite), and new versions: nothing kept by an
    earlier test, whose data was rolled back, is served."""
    settings.SIXAIKA_PAGE_CACHE = True
    versions.changed(*APPS)


def anonymous() -> Client:
    return Client(enforce_csrf_checks=True)


def queries_of(client: Client, url: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return len(captured), response


def without_tokens(html: str) -> str:
    return TOKEN.sub("", html)


@pytest.fixture
def project(demo_users):
    return factories.project(name="Välimuistihanke")


def public_urls(project) -> list[str]:
    return [
        reverse("projects:list"),
        reverse("projects:list") + "?q=V%C3%A4limuisti",
        reverse("projects:detail", args=[project.pk]),
        reverse("meetings:decisions"),
        reverse("governance:bodies"),
        reverse("coordination:annual_clock"),
    ]


def test_a_second_visitor_gets_the_same_page_without_a_query(project):
    for url in public_urls(project):
        first = anonymous().get(url)
        count, second = queries_of(anonymous(), url)
        assert first.status_code == second.status_code == 200, url
        assert count == 0, url  # served from the cache: no session, no user, no page query
        assert without_tokens(second.content.decode()) == without_tokens(first.content.decode())


def test_the_cached_page_has_the_same_headers_as_a_rendered_one(project):
    url = reverse("projects:detail", args=[project.pk])
    first = anonymous().get(url)
    second = anonymous().get(url)
    for header in (
        "Content-Type",
        "Content-Language",
        "Vary",
        "X-Frame-Options",
        "Content-Security-Policy",
        "Referrer-Policy",
        "X-Content-Type-Options",
    ):
        assert second.get(header) == first.get(header), header
    assert "Cookie" in second["Vary"]
    assert second.cookies[settings.CSRF_COOKIE_NAME].value  # the visitor's CSRF cookie, as before


def test_each_visitor_gets_a_token_of_their_own_that_the_language_switch_accepts(project):
    url = reverse("projects:list")
    anonymous().get(url)  # kept
    for _ in range(2):
        visitor = anonymous()
        page = visitor.get(url)
        tokens = set(TOKEN.findall(page.content.decode()))
        assert len(tokens) == 1
        secret = visitor.cookies[settings.CSRF_COOKIE_NAME].value
        assert _unmask_cipher_token(tokens.pop()) == secret
    # The token in a cached page works for its visitor, and for nobody else.
    visitor = anonymous()
    token = TOKEN.search(visitor.get(url).content.decode()).group(1)
    switched = visitor.post(
        reverse("set_language"), {"language": "en", "next": url, "csrfmiddlewaretoken": token}
    )
    assert switched.status_code == 302
    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    stranger = anonymous()
    stranger.get(reverse("healthz"))
    refused = stranger.post(
        reverse("set_language"), {"language": "en", "next": url, "csrfmiddlewaretoken": token}
    )
    assert refused.status_code == 403


def test_the_kept_page_holds_no_token(project):
    url = reverse("projects:list")
    anonymous().get(url)
    found = cache._cache.get_client().keys(f"{cache.key_prefix}:*:{page_cache.KEY_PREFIX}*")
    # the pages (the API's kept JSON, under keys of their own, is bytes)
    kept = [cache.get(key.decode().split(":", 2)[2]) for key in found]
    kept = [entry for entry in kept if isinstance(entry, dict)]
    assert kept
    for entry in kept:
        assert page_cache.TOKEN_MARKER in entry["content"]
        assert b'name="csrfmiddlewaretoken" value="' + page_cache.TOKEN_MARKER in entry["content"]
        assert not TOKEN.search(entry["content"].decode(errors="replace"))


def test_signed_in_users_never_get_or_leave_a_cached_page(project, client_as):
    url = reverse("projects:detail", args=[project.pk])
    anonymous().get(url)  # kept for anonymous visitors
    signed_in = client_as("toimisto")
    count, page = queries_of(signed_in, url)
    assert count > 0  # rendered for them
    assert "toimisto" in page.content.decode()  # "Log out (toimisto)"
    assert "no-store" in page["Cache-Control"]
    # and what they were shown is not what the next anonymous visitor gets
    after = anonymous().get(url).content.decode()
    assert "toimisto" not in after


def test_a_visitor_with_a_session_or_a_message_gets_the_page_rendered(project, client_as):
    url = reverse("projects:detail", args=[project.pk])
    anonymous().get(url)
    # A change the versions do not see (update() sends no signal): the kept page is stale, so
    # whoever sees the new name had the page rendered for them.
    Project.objects.filter(pk=project.pk).update(name_fi="Hanke ohi välimuistin")
    assert not _seen(url, "Hanke ohi välimuistin")  # the kept page: the cache is in use
    for cookie in (settings.SESSION_COOKIE_NAME, "messages"):
        visitor = anonymous()
        visitor.cookies[cookie] = "something"
        assert "Hanke ohi välimuistin" in visitor.get(url).content.decode(), cookie
    assert "Hanke ohi välimuistin" in client_as("toimisto").get(url).content.decode()


def test_each_language_has_its_own_page(project):
    url = reverse("governance:bodies")
    finnish = anonymous().get(url)
    english_visitor = anonymous()
    english_visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = english_visitor.get(url)
    assert finnish["Content-Language"] == "fi" and english["Content-Language"] == "en"
    assert 'lang="en"' in english.content.decode()[:300]
    assert 'lang="fi"' in anonymous().get(url).content.decode()[:300]


def test_an_htmx_request_gets_the_results_and_not_the_whole_page(project):
    url = reverse("projects:list")
    whole = anonymous().get(url).content.decode()
    partial = anonymous().get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" in whole and "<html" not in partial
    assert "<html" in anonymous().get(url).content.decode()


def test_a_new_day_is_a_new_page(project, monkeypatch):
    url = reverse("coordination:annual_clock")
    anonymous().get(url)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    localdate = timezone.localdate
    monkeypatch.setattr(
        page_cache.timezone, "localdate", lambda *args: localdate(*args) if args else tomorrow
    )
    count, _page = queries_of(anonymous(), url)
    assert count > 0


def test_head_is_answered_from_the_page_kept_for_get_and_post_never(project):
    url = reverse("meetings:decisions")
    anonymous().get(url)
    count, head = 0, None
    with CaptureQueriesContext(connection) as captured:
        head = anonymous().head(url)
    count = len(captured)
    assert head.status_code == 200 and count == 0 and head.content == b""
    assert anonymous().post(url).status_code == 403  # no CSRF token: refused, not a kept page


# --- A saved change shows on the next request, page by page ---------------------------------


def _seen(url: str, text: str) -> bool:
    return text in anonymous().get(url).content.decode()


def test_the_portfolio_shows_a_new_project_at_once(project):
    url = reverse("projects:list")
    assert not _seen(url, "Aivan uusi hanke")
    factories.project(name="Aivan uusi hanke")  # projects.services.project_upsert
    assert _seen(url, "Aivan uusi hanke")


def test_a_search_shows_a_new_project_at_once(project):
    url = reverse("projects:list") + "?q=Hakusana"
    assert not _seen(url, "Hakusanahanke")
    factories.project(name="Hakusanahanke")
    assert _seen(url, "Hakusanahanke")


def test_the_project_page_shows_a_new_indicator_at_once(project):
    url = reverse("projects:detail", args=[project.pk])
    assert not _seen(url, "Välimuistin mittari")
    project_services.indicator_upsert(
        project=project, code="V1", name="Välimuistin mittari", unit="kpl", target=Decimal(5)
    )
    assert _seen(url, "Välimuistin mittari")


def test_the_bodies_page_shows_a_new_title_at_once(org_6aika):
    url = reverse("governance:bodies")
    seat = Body.objects.get(kind="board").seats.select_related("member").first()
    member = seat.member
    assert not _seen(url, "välimuistin koetinjohtaja")
    governance_services.person_upsert(
        first_name=member.first_name,
        last_name=member.last_name,
        organisation=member.organisation,
        title="Välimuistin koetinjohtaja",
    )
    assert _seen(url, "välimuistin koetinjohtaja")


def test_the_annual_clock_shows_a_new_entry_at_once(org_6aika, demo_users):
    url = reverse("coordination:annual_clock")
    assert not _seen(url, "Välimuistin vuosikellotapahtuma")
    coordination_services.annual_clock_event_save(
        event=None,
        data={
            "title_fi": "Välimuistin vuosikellotapahtuma",
            "kind": AnnualClockEvent.Kind.OTHER,
            "starts_on": timezone.localdate(),
        },
        by=demo_users["toimisto"],
        allowed_cities=None,
    )
    assert _seen(url, "Välimuistin vuosikellotapahtuma")


def test_the_decision_register_shows_approved_minutes_at_once(
    past_meeting,  # noqa: F811 - the fixtures imported above
    seats,  # noqa: F811
    office,  # noqa: F811
    chair_user,  # noqa: F811
):
    url = reverse("meetings:decisions")
    attend(past_meeting, seats, office)
    for item in past_meeting.items.all():
        governance_services.decision_record(item=item, outcome="approved", by=chair_user)
    assert not _seen(url, "Hankerahoitus: Datasilta")  # not public before the minutes are
    approve_minutes(governance_services.minutes_draft(meeting=past_meeting, by=office), office)
    assert _seen(url, "Hankerahoitus: Datasilta")


# --- Redis down ------------------------------------------------------------------------------


def test_with_redis_down_every_page_is_rendered_and_kept_again_once_it_is_back(project, settings):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    working = settings.CACHES
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.DegradingRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "KEY_PREFIX": "page-cache-redis-down",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    url = reverse("projects:list")
    api = reverse("api:project-list")
    for _ in range(2):
        for address in (url, api):
            count, page = queries_of(anonymous(), address)
            # Rendered: each process's memory is no place to keep a page another process's
            # write would not reach.
            assert page.status_code == 200 and count > 0, address
    factories.project(name="Hanke Redisin ollessa poissa")
    assert _seen(url, "Hanke Redisin ollessa poissa")
    settings.CACHES = working  # Redis is back
    versions.changed(*APPS)
    anonymous().get(url)
    count, _page = queries_of(anonymous(), url)
    assert count == 0


# --- The open-data API's project list ---------------------------------------------------------


def test_the_api_list_kept_is_byte_for_byte_the_one_rendered(project, settings):
    url = reverse("api:project-list") + "?page_size=2"
    settings.SIXAIKA_PAGE_CACHE = False
    rendered = anonymous().get(url)
    settings.SIXAIKA_PAGE_CACHE = True
    anonymous().get(url)  # kept
    count, kept = queries_of(anonymous(), url)
    assert count == 0
    assert kept.content == rendered.content
    for header in ("Content-Type", "Vary", "Allow", "ETag", "Cache-Control"):
        assert kept.get(header) == rendered.get(header), header


def test_the_api_list_shows_a_new_project_at_once(project):
    url = reverse("api:project-list") + "?page_size=500"
    assert "Rajapinnan uusi hanke" not in anonymous().get(url).content.decode()
    factories.project(name="Rajapinnan uusi hanke")
    assert "Rajapinnan uusi hanke" in anonymous().get(url).content.decode()
