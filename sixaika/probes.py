"""Probes for load balancers, orchestrators and docker-compose healthchecks.

``/healthz/``: the process is alive and answers (no database, no session).
``/readyz/``: it can serve: the database, Redis (the cache), the Celery broker and the file
storage answer. ``/readyz/?workers=1`` also asks the Celery workers to answer a ping (for
monitoring; a web machine should not leave the load balancer because a worker is down).

``ProbeMiddleware`` is the outermost middleware and answers these two paths itself, before the
TLS redirect and the host check: a probe comes over plain HTTP from inside the network, with an
IP address or a container name as its Host. Every other path keeps the redirect and the check.
"""

import json
import logging
import os
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

log = logging.getLogger(__name__)

PATHS = {"/healthz/", "/readyz/"}
TIMEOUT = 2.0


def _database() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _redis_ping(url: str) -> str:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT)
    try:
        client.ping()
    finally:
        client.close()
    return "ok"


def _cache() -> str:
    location = settings.CACHES["default"].get("LOCATION", "")
    if "redis" not in settings.CACHES["default"]["BACKEND"].lower() or not location:
        return "local"  # the embedded default's in-process cache
    return _redis_ping(location if isinstance(location, str) else location[0])


def _broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER or not settings.CELERY_BROKER_URL:
        return "eager"  # tasks run in the web process
    from kombu import Connection

    with Connection(settings.CELERY_BROKER_URL, connect_timeout=TIMEOUT) as connection:
        connection.ensure_connection(max_retries=1, timeout=TIMEOUT)
    return "ok"


def _storage() -> str:
    from django.core.files.storage import FileSystemStorage, storages

    storage = storages["default"]
    if isinstance(storage, FileSystemStorage):  # a local folder (a volume): there and writable
        root = storage.location
        if not (os.path.isdir(root) and os.access(root, os.W_OK)):
            raise OSError(f"media folder {root} is missing or not writable")
    elif (bucket := getattr(storage, "bucket", None)) is not None:
        # S3 (django-storages): the bucket is there and answers to these credentials
        bucket.meta.client.head_bucket(Bucket=bucket.name)
    else:
        storage.exists("readyz-probe")
    return "ok"


def _workers() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER or not settings.CELERY_BROKER_URL:
        return "eager"
    from sixaika.celery import app

    replies = app.control.ping(timeout=TIMEOUT)
    if not replies:
        raise RuntimeError("no Celery worker answered")
    return f"{len(replies)} answered"


CHECKS: dict[str, Callable[[], str]] = {
    "database": _database,
    "cache": _cache,
    "broker": _broker,
    "storage": _storage,
}


def readiness(*, workers: bool = False) -> tuple[bool, dict[str, dict[str, object]]]:
    results: dict[str, dict[str, object]] = {}
    checks = dict(CHECKS, workers=_workers) if workers else CHECKS
    for name, check in checks.items():
        started = time.monotonic()
        try:
            results[name] = {"status": check()}
        except Exception as error:  # noqa: BLE001 - any failure makes the probe say "not ready"
            results[name] = {"status": "fail", "error": f"{type(error).__name__}: {error}"}
        results[name]["ms"] = round((time.monotonic() - started) * 1000, 1)
    return all(r["status"] != "fail" for r in results.values()), results


def _answer(body: str, status: int, content_type: str) -> HttpResponse:
    response = HttpResponse(body, status=status, content_type=content_type)
    response["Cache-Control"] = "no-store"
    return response


class ProbeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if request.path_info not in PATHS or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        if request.path_info == "/healthz/":
            return _answer("ok", 200, "text/plain")
        ready, results = readiness(workers=request.GET.get("workers") == "1")
        body = json.dumps({"status": "ok" if ready else "fail", "checks": results})
        response = _answer(body, 200 if ready else 503, "application/json")
        if not ready:
            failed = {name: r["error"] for name, r in results.items() if r["status"] == "fail"}
            log.warning("Not ready: %s", failed)
            # One warning per failed probe, not Django's error log of every 503 (nor a Sentry
            # event every few seconds while Redis restarts).
            response._has_been_logged = True
        return response
