"""Redis down: pages and the API keep working on a cache that degrades, and a report asked for
while the broker is unreachable is kept, says so, and is made once the broker is back.

Redis is "down" by pointing the cache and the broker at a loopback port nothing listens on; the
real Redis is never stopped (other test processes use it).
"""

import datetime as dt
import os
import socket

import pytest
import redis
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reports import services as report_services
from reports.models import Report
from sixaika.celery import app
from tests.celery_conf import celery_configure
from tests.reports import data as reports_data
from tests.reports.data import AS_OF

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")


def _closed_port() -> int:
    """A loopback port that was free a moment ago: connecting to it is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _cache_settings(backend: str, url: str) -> dict:
    return {
        "default": {
            "BACKEND": backend,
            "LOCATION": url,
            "KEY_PREFIX": f"redis-down-{os.getpid()}",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.fixture
def dead_cache(settings):
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    settings.CACHES = _cache_settings("core.cache.DegradingRedisCache", url)
    return url


@pytest.fixture
def broker():
    """Switch the broker between dead and the real Redis; a queue of this process's own."""
    saved = {
        "broker_url": app.conf.broker_url,
        "task_default_queue": app.conf.task_default_queue,
        "task_always_eager": app.conf.task_always_eager,
    }
    queue = f"redis-down-test-{os.getpid()}"

    class Broker:
        queue_name = queue

        def down(self) -> None:
            celery_configure(
                app,
                broker_url=f"redis://127.0.0.1:{_closed_port()}/0",
                task_default_queue=queue,
                task_always_eager=False,
            )

        def up(self) -> None:
            celery_configure(app, broker_url=REDIS_URL, task_default_queue=queue)

        def waiting(self) -> int:
            return redis.Redis.from_url(REDIS_URL).llen(queue)

    yield Broker()
    redis.Redis.from_url(REDIS_URL).delete(queue)
    celery_configure(app, **saved)


def test_the_port_is_really_dead_for_a_plain_redis_cache(settings):
    """The condition the other tests rely on: Django's own RedisCache raises there."""
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    settings.CACHES = _cache_settings("django.core.cache.backends.redis.RedisCache", url)
    with pytest.raises(redis.exceptions.ConnectionError):
        cache.get("anything")


def test_the_cache_goes_on_in_process_memory(dead_cache, caplog):
    assert cache.get("key", "default") == "default"
    cache.set("key", "value")
    assert cache.get("key") == "value"
    assert cache.add("key", "other") is False
    assert cache.get_many(["key", "b"]) == {"key": "value"}
    assert cache.get_or_set("new", 5) == 5
    cache.set("counter", 1)
    assert cache.incr("counter") == 2
    with pytest.raises(ValueError):
        cache.incr("missing-counter")  # as every Django cache says of a missing key
    assert cache.delete("key") is True and cache.get("key") is None
    warnings = [r for r in caplog.records if "Cache unavailable" in r.getMessage()]
    assert len(warnings) <= 1  # once a minute at most, not per operation


@pytest.mark.django_db
def test_the_api_stays_throttled_while_redis_is_down(dead_cache, settings, client):
    rest = dict(settings.REST_FRAMEWORK)
    rest["DEFAULT_THROTTLE_RATES"] = {**rest["DEFAULT_THROTTLE_RATES"], "anon": "3/minute"}
    settings.REST_FRAMEWORK = rest
    url = reverse("api:organisation-list")
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(url)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert client.get(url, REMOTE_ADDR="192.0.2.8").status_code == 200  # another caller


@pytest.mark.django_db
def test_pages_and_the_api_keep_working_when_redis_is_down(dead_cache, client, client_as):
    for url in ("/", reverse("projects:list"), reverse("coordination:annual_clock")):
        assert client.get(url).status_code == 200, url
    assert client_as("toimisto").get(reverse("projects:report_list")).status_code == 200

    # The API: throttled and conditional, both counted in the cache.
    api = reverse("api:project-list")
    first = client.get(api)
    assert first.status_code == 200 and first["ETag"]
    again = client.get(api, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    for _ in range(5):
        assert client.get(api).status_code == 200


@pytest.fixture
def office(org_6aika):
    return reports_data.user("strategy_office")


@pytest.mark.django_db(transaction=True)  # real commits: the queueing runs as in production
def test_a_report_asked_for_while_the_broker_is_down_is_kept_and_made_later(office, broker):
    reports_data.portfolio()
    client = Client()
    client.force_login(office)
    broker.down()
    response = client.post(
        "/reports/", {"kind": "board", "as_of": AS_OF.isoformat(), "language": "fi"}, follow=True
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Raporttipalveluun ei juuri nyt saada yhteyttä" in html  # the message, on the page
    report = Report.objects.get()
    assert report.status == Report.Status.QUEUED and report.attempts == 0
    assert "Raporttipalveluun ei juuri nyt saada yhteyttä" in report.error
    status = client.get(f"/reports/{report.pk}/status/", headers={"HX-Request": "true"})
    assert "Raporttipalveluun ei juuri nyt saada yhteyttä" in status.content.decode()

    # Still down: the sweep keeps it for the next run.
    assert report_services.reports_requeue() == []
    assert Report.objects.get(pk=report.pk).status == Report.Status.QUEUED

    # Back: the sweep sends it, the message is in the queue, the job makes it.
    broker.up()
    assert report_services.reports_requeue() == [report.pk]
    assert broker.waiting() == 1
    report.refresh_from_db()
    assert report.error == ""
    report_services.report_make(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.DONE and report.file


@pytest.mark.django_db
def test_a_report_whose_message_was_lost_is_sent_again_and_others_are_left_alone(office, broker):
    broker.up()
    now = timezone.now()

    def report(key: str, **fields) -> Report:
        return Report.objects.create(
            kind="board", as_of=AS_OF, dedupe_key=key, requested_by=office, **fields
        )

    lost = report("lost", requested_at=now - dt.timedelta(minutes=10))
    fresh = report("fresh", requested_at=now - dt.timedelta(minutes=1))
    retrying = report(
        "retrying",
        requested_at=now - dt.timedelta(minutes=10),
        started_at=now - dt.timedelta(minutes=9),
        attempts=1,
        error="OSError: disk full",
    )
    failed = report(
        "failed",
        requested_at=now - dt.timedelta(minutes=10),
        status="failed",
        finished_at=now - dt.timedelta(minutes=8),
        error="OSError: disk full",
    )
    assert report_services.reports_requeue(now=now) == [lost.pk]
    assert broker.waiting() == 1
    for untouched in (fresh, retrying, failed):
        before = untouched.error
        untouched.refresh_from_db()
        assert untouched.error == before


def test_the_sweep_runs_on_the_beat_schedule(settings):
    import reports.tasks  # noqa: F401 - registers the tasks as the worker's autodiscovery does

    entry = settings.CELERY_BEAT_SCHEDULE["coordination-reports-requeue"]
    assert entry["task"] == "coordination.reports_requeue"
    assert entry["task"] in app.tasks
