"""The API as a harvester meets it: metadata and licence, conditional GET (ETag and
Last-Modified with 304), CORS for GET, anonymous throttling, and the documentation page under
the portal's Content Security Policy."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils.http import http_date, parse_http_date

from projects.models import Project, StatusReport

from . import factories
from .conftest import THROTTLE_KEY, set_anon_rate

LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


@pytest.mark.django_db
def test_metadata_gives_licence_update_time_and_links(api):
    project = factories.project()
    factories.meeting(approved=True)
    data = api.get(reverse("api:root")).json()
    assert data["licence"]["name"] == "CC BY 4.0"
    assert data["licence"]["url"] == LICENCE_URL
    # The latest recorded change: the accepted report, not the later submitted one.
    accepted = StatusReport.objects.get(project=project, state=StatusReport.State.ACCEPTED)
    submitted = StatusReport.objects.get(project=project, state=StatusReport.State.SUBMITTED)
    assert submitted.updated_at > accepted.updated_at
    assert data["data_updated"] == accepted.updated_at.isoformat()
    assert set(data["resources"]) == {
        "projects",
        "organisations",
        "bodies",
        "decisions",
        "cities",
        "programmes",
        "themes",
    }
    for url in [*data["resources"].values(), *data["downloads"].values(), data["schema"]]:
        assert api.get(url).status_code == 200, url
    assert "projects.csv" in data["downloads"]
    assert "decisions.json" in data["downloads"]
    assert api.get(data["documentation"]).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        reverse("api:project-list"),
        reverse("api:decision-list") + "?body=board",
        reverse("api:download", kwargs={"dataset": "projects", "fmt": "csv"}),
    ],
)
def test_conditional_get_answers_304_until_the_data_changes(api, url):
    project = factories.project()
    first = api.get(url)
    assert first.status_code == 200
    etag = first["ETag"]
    last_modified = first["Last-Modified"]
    assert re.fullmatch(r'"[0-9a-f]{40}"', etag)
    assert "no-cache" in first["Cache-Control"]

    again = api.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    since = api.get(url, headers={"if-modified-since": last_modified})
    assert since.status_code == 304
    assert api.get(url, headers={"if-none-match": '"something-else"'}).status_code == 200

    Project.objects.filter(pk=project.pk).update(name_fi="Uusi nimi")
    Project.objects.filter(pk=project.pk).update(updated_at=project.updated_at)  # no timestamp
    factories.meeting(approved=True, day=12, items=1)
    changed = api.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    # Changed within the same second, yet the new representation is newer than the old one.
    assert parse_http_date(changed["Last-Modified"]) > parse_http_date(last_modified)
    assert api.get(url, headers={"if-modified-since": last_modified}).status_code == 200
    assert api.get(url, headers={"if-modified-since": changed["Last-Modified"]}).status_code == 304


@pytest.mark.django_db
def test_if_modified_since_in_the_past_gets_the_data(api):
    factories.project()
    for url in (reverse("api:project-list"), reverse("api:root")):
        first = api.get(url)
        assert api.get(url, headers={"if-modified-since": http_date(0)}).status_code == 200
        assert api.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304


@pytest.mark.django_db
def test_cors_open_for_get_on_the_api_only(api):
    origin = {"origin": "https://data.example.org"}
    response = api.get(reverse("api:project-list"), headers=origin)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response
    preflight = api.options(
        reverse("api:project-list"),
        headers={**origin, "access-control-request-method": "GET"},
    )
    assert preflight.status_code == 200
    assert set(preflight["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    # The rest of the portal stays same-origin.
    page = api.get(reverse("projects:list"), headers=origin)
    assert page.status_code == 200
    assert "Access-Control-Allow-Origin" not in page


@pytest.mark.django_db
def test_api_is_read_only(api):
    project = factories.project()
    url = reverse("api:project-detail", args=[project.pk])
    assert (
        api.post(reverse("api:project-list"), {}, content_type="application/json").status_code
        == 405
    )
    assert api.put(url, {}, content_type="application/json").status_code == 405
    assert api.delete(url).status_code == 405
    assert Project.objects.filter(pk=project.pk).exists()


@pytest.mark.django_db
def test_anonymous_callers_are_throttled(api, settings, client_as):
    set_anon_rate(settings, "3/minute")
    cache.delete(THROTTLE_KEY)
    url = reverse("api:organisation-list")
    assert [api.get(url).status_code for _ in range(3)] == [200, 200, 200]
    refused = api.get(url)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    # Another address has its own allowance.
    assert api.get(url, REMOTE_ADDR="192.0.2.7").status_code == 200
    # A signed-in portal user is not counted as anonymous.
    assert client_as("toimisto").get(url).status_code == 200
    cache.delete("throttle_anon_192.0.2.7")


@pytest.mark.django_db
def test_docs_page_runs_under_the_csp_from_local_files(api):
    response = api.get(reverse("api:docs"))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    assert len(scripts) == 3
    for attributes, inline in scripts:
        assert inline.strip() == "", "inline script would be blocked by the CSP"
        src = re.search(r'src="([^"]+)"', attributes).group(1)
        assert src.startswith("/"), f"{src} is not served by the portal itself"
        script = api.get(src.replace("&amp;", "&"))
        assert script.status_code == 200, src
    assert "<style" not in html and "style=" not in html
    for href in re.findall(r'<link[^>]+href="([^"]+)"', html):
        assert href.startswith("/"), href
        assert api.get(href).status_code == 200, href
    init = api.get(reverse("api:docs") + "?script=")
    assert init["Content-Type"].startswith("application/javascript")
    assert reverse("api:schema").encode() in init.content
