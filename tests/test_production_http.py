"""What production settings do to HTTP: probes answer over plain HTTP with any Host while the
rest keeps the TLS redirect and the host check; the client address behind trusted proxies
drives the login lockout and the API throttle; signed-in answers are private; no URL serves
the media folder; every answer has a request id; approved minutes are rendered once."""

import json
import logging
import os
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import Resolver404, resolve, reverse

from governance import pdf as governance_pdf
from governance.demo import meetings_demo_load
from governance.services import minutes_correct
from reports import services as report_services
from reports.models import Report
from sixaika import observability
from sixaika.demo import DEMO_PASSWORD
from tests.reports import data as reports_data
from tests.reports.data import AS_OF

PUBLIC_HOST = "portaali.6aika.fi"
BEHIND_TLS = {"SECURE_SSL_REDIRECT": True, "ALLOWED_HOSTS": [PUBLIC_HOST]}


# --- Probes -----------------------------------------------------------------------------------


@pytest.mark.django_db
@override_settings(**BEHIND_TLS)
def test_probes_answer_plain_http_with_any_host_and_the_rest_does_not(client):
    alive = client.get("/healthz/", HTTP_HOST="10.0.3.7:8000")
    assert alive.status_code == 200 and alive.content == b"ok"
    ready = client.get("/readyz/", HTTP_HOST="10.0.3.7:8000")
    assert ready.status_code == 200, ready.content
    body = json.loads(ready.content)
    assert body["status"] == "ok"
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "ok",
        "cache": "ok",
        "broker": "ok",
        "storage": "ok",
    }
    assert ready["Cache-Control"] == "no-store"
    assert client.get("/", HTTP_HOST="10.0.3.7:8000").status_code == 400
    redirect = client.get("/governance/", HTTP_HOST=PUBLIC_HOST)
    assert redirect.status_code == 301
    assert redirect["Location"] == f"https://{PUBLIC_HOST}/governance/"
    assert client.post("/readyz/", HTTP_HOST="10.0.3.7").status_code == 400  # only GET/HEAD


@pytest.mark.django_db
def test_readiness_fails_naming_what_is_down(client, settings):
    closed = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    caches = {alias: dict(config) for alias, config in settings.CACHES.items()}
    caches["default"]["LOCATION"] = closed
    settings.CACHES = caches
    settings.CELERY_BROKER_URL = closed
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.MEDIA_ROOT = "/nonexistent/sixaika-media"
    response = client.get("/readyz/")
    assert response.status_code == 503
    checks = json.loads(response.content)["checks"]
    assert checks["database"]["status"] == "ok"
    for down in ("cache", "broker", "storage"):
        assert checks[down]["status"] == "fail", checks
        assert checks[down]["error"]
    assert "/nonexistent/sixaika-media" in checks["storage"]["error"]


# --- The client address behind the proxies -----------------------------------------------------

PROXY = "10.0.0.2"


def _login_via_proxy(client, username, password, forwarded):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, SIXAIKA_TRUSTED_PROXIES=1)
def test_the_lockout_counts_the_client_behind_the_proxy_not_the_proxy(demo_users):
    guesser, chair = Client(), Client()
    # The guesser makes up entries of its own; the proxy appends the address it saw.
    for attempt in range(5):
        _login_via_proxy(guesser, "toimisto", "wrong", f"203.0.113.{attempt}, 198.51.100.66")
    assert _login_via_proxy(guesser, "toimisto", DEMO_PASSWORD, "198.51.100.66").status_code == 429
    # The real user of the account, behind the same proxy, is not locked out.
    assert _login_via_proxy(chair, "toimisto", DEMO_PASSWORD, "198.51.100.10").status_code == 302


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, SIXAIKA_TRUSTED_PROXIES=0)
def test_without_trusted_proxies_the_header_is_ignored(demo_users):
    for attempt in range(5):
        _login_via_proxy(Client(), "toimisto", "wrong", f"198.51.100.{attempt}")
    # Every attempt counted against the connecting address: a forged header changes nothing.
    assert _login_via_proxy(Client(), "toimisto", DEMO_PASSWORD, "192.0.2.99").status_code == 429


@pytest.mark.django_db
def test_the_api_throttle_counts_each_client_behind_the_proxy(org_6aika, settings):
    settings.SIXAIKA_TRUSTED_PROXIES = 1
    caches = {alias: dict(config) for alias, config in settings.CACHES.items()}
    caches["default"]["KEY_PREFIX"] = f"proxy-throttle-{os.getpid()}"
    settings.CACHES = caches
    rest = dict(settings.REST_FRAMEWORK)
    rest["DEFAULT_THROTTLE_RATES"] = {**rest["DEFAULT_THROTTLE_RATES"], "anon": "2/minute"}
    settings.REST_FRAMEWORK = rest
    url = reverse("api:organisation-list")
    api = Client()
    try:

        def get(forwarded):
            return api.get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded).status_code

        assert [get("198.51.100.1"), get("198.51.100.1")] == [200, 200]
        assert get("9.9.9.9, 198.51.100.1") == 429  # a made-up entry does not reset it
        assert get("198.51.100.2") == 200  # another client behind the same proxy
    finally:
        for address in ("198.51.100.1", "198.51.100.2"):
            cache.delete(f"throttle_anon_{address}")


# --- Private answers and files -------------------------------------------------------------------


@pytest.mark.django_db
def test_signed_in_answers_are_private_and_public_pages_are_not(client, client_as, settings):
    anonymous = client.get(reverse("governance:bodies"))
    assert "private" not in anonymous.get("Cache-Control", "")
    office = client_as("toimisto")
    for url in (reverse("home"), reverse("governance:bodies")):
        cache_control = office.get(url)["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, url


@pytest.mark.django_db
def test_a_private_file_is_private_and_the_media_folder_is_not_served(
    org_6aika, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    reports_data.portfolio()
    office = reports_data.user("strategy_office")
    report, _created = report_services.report_request(kind="board", as_of=AS_OF, by=office)
    report = report_services.report_make(report_id=report.pk)
    assert report.status == Report.Status.DONE
    assert (tmp_path / report.file.name).is_file()
    client = Client()
    client.force_login(office)
    download = client.get(reverse("reports:download", args=[report.pk]))
    assert download.status_code == 200
    assert "private" in download["Cache-Control"] and "no-store" in download["Cache-Control"]
    for who in (Client(), client):
        assert who.get(f"/media/{report.file.name}").status_code == 404
    with pytest.raises(Resolver404):
        resolve(f"/media/{report.file.name}")


def test_no_url_serves_the_media_folder_in_the_embedded_default():
    urls = Path(__file__).resolve().parents[1] / "sixaika" / "urls.py"
    assert "static(settings.MEDIA_URL" not in urls.read_text(encoding="utf-8")


# --- Request ids and JSON logs ----------------------------------------------------------------


@pytest.mark.django_db
def test_every_answer_has_a_request_id_and_a_proxys_sane_one_is_kept(client):
    fresh = client.get(reverse("governance:bodies"))["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", fresh)
    assert client.get("/", HTTP_X_REQUEST_ID="proxy-1234abcd")["X-Request-ID"] == "proxy-1234abcd"
    forged = client.get("/", HTTP_X_REQUEST_ID='x"}\n{"level": "CRITICAL"')["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", forged)


def test_json_log_lines_have_time_level_request_id_and_extras():
    record = logging.makeLogRecord(
        {"name": "reports", "levelno": logging.WARNING, "levelname": "WARNING",
         "msg": "Report %s failed", "args": (7,), "report": 7}
    )  # fmt: skip
    token = observability.request_id.set("abc123def456")
    try:
        line = observability.JsonFormatter().format(record)
    finally:
        observability.request_id.reset(token)
    entry = json.loads(line)
    assert entry["level"] == "WARNING" and entry["logger"] == "reports"
    assert entry["message"] == "Report 7 failed" and entry["report"] == 7
    assert entry["request_id"] == "abc123def456"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", entry["time"])
    assert "\n" not in line


# --- Approved minutes ---------------------------------------------------------------------


@pytest.mark.django_db
def test_approved_minutes_are_rendered_once_and_again_after_a_correction(
    client, demo_users, monkeypatch, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)  # no PDF made before
    demo = meetings_demo_load()
    renders = []
    real = governance_pdf.html_to_pdf

    def counting(html, **kwargs):
        renders.append(kwargs["title"])
        return real(html, **kwargs)

    monkeypatch.setattr(governance_pdf, "html_to_pdf", counting)
    url = reverse("meetings:minutes_pdf", args=[demo.past.pk])
    first = client.get(url)
    assert first.status_code == 200 and first.content.startswith(b"%PDF")
    assert [Client().get(url).content for _ in range(3)] == [first.content] * 3
    assert len(renders) == 1
    minutes = demo.past.minutes
    minutes_correct(minutes=minutes, text="Pykälän 5 päätöksessä oikea summa on 20 000 €.",
                    by=demo_users["toimisto"])  # fmt: skip
    corrected = client.get(url)
    assert len(renders) == 2 and corrected.content != first.content
    # Kept as files in the portal's storage (the bucket on several machines), one per content.
    kept = sorted(p.read_bytes() for p in (tmp_path / "minutes").rglob("*.pdf"))
    assert kept == sorted([first.content, corrected.content])
