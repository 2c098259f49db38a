"""The compose stack without Docker: the commands of docker-compose.yml's migrate, web, worker
and beat services run on loopback with production settings against PostgreSQL (this test
process's database) and Redis (databases of their own), behind what a TLS proxy would send.
They are probed as the compose healthchecks probe them; a city report is asked for through the
web, made by the worker, downloaded by the coordinator who may and refused to others; and every
line the three processes log is JSON with a time and a level, the worker's carrying the request
id of the web request that queued the report.
"""

import contextlib
import json
import os
import re
import shlex
import signal
import subprocess

import pytest
import requests
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from governance.models import City
from reports.models import Report
from tests.production_env import (
    HOST,
    HOSTNAME,
    PROXIED,
    READY,
    SECRET,
    compose_file,
    healthcheck,
    healthy,
    interpolate,
    production_env,
    service_command,
    session_cookie,
)
from tests.reports import data as reports_data
from tests.waiting import start

from .conftest import PYTHON, ROOT, free_port
from .test_worker_killed import _database_url

REDIS_BASE = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15").rsplit("/", 1)[0]
BROKER, CACHE = f"{REDIS_BASE}/10", f"{REDIS_BASE}/11"

pytestmark = pytest.mark.django_db(transaction=True)


def _flush(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    client.flushdb()
    client.close()


@pytest.fixture
def stack(tmp_path, settings):
    """migrate once, then web, worker and beat, each in its own process group."""
    port = free_port()
    media, beat = tmp_path / "media", tmp_path / "beat"
    media.mkdir()
    beat.mkdir()
    paths = {"/app/var/beat": str(beat), "127.0.0.1:8000": f"127.0.0.1:{port}"}
    for url in (BROKER, CACHE):
        _flush(url)
    env = production_env(
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS=HOST,
        DATABASE_URL=_database_url(),
        REDIS_URL=CACHE,
        CELERY_BROKER_URL=BROKER,
        CELERY_TASK_ALWAYS_EAGER="false",
        DJANGO_MEDIA_ROOT=str(media),
        SIXAIKA_TRUSTED_PROXIES="1",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        # collectstatic as the image's build runs it, without the gzip/brotli copies (minutes)
        DJANGO_STATIC_ROOT=str(tmp_path / "staticfiles"),
        DJANGO_STATIC_COMPRESS="false",
        GUNICORN_WORKERS="2",
        HOSTNAME=HOSTNAME,
    )
    subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    # The suite's databases are made from the models (sixaika.settings.test), so the migrations
    # are recorded as applied, as on a database a deployment migrated before: the compose
    # service's migrate then finds nothing to do and its load_6aika runs for real. The
    # migrations themselves are run on an empty database in tests/migrations_journey.py.
    recorder = MigrationRecorder(connection)
    recorder.ensure_schema()
    for app, name in MigrationLoader(connection).graph.nodes:
        recorder.record_applied(app, name)
    migrate = interpolate(compose_file()["services"]["migrate"]["command"])
    kind, script = shlex.split(migrate)[:2], shlex.split(migrate)[2]
    subprocess.run(  # noqa: S603
        [*kind, script.replace("python manage.py", f"{PYTHON} manage.py")],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    # The test's own requests sign in with sessions this process makes: same key as the stack.
    settings.SECRET_KEY = SECRET
    processes, outputs, logs = {}, {}, {}
    for service in ("web", "worker", "beat"):
        logs[service] = tmp_path / f"{service}.log"
        processes[service], outputs[service] = start(
            service_command(service, paths),
            logs[service],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
    try:
        yield {
            "port": port,
            "env": env,
            "paths": paths,
            "logs": logs,
            "outputs": outputs,
            "media": media,
        }
    finally:
        with connection.cursor() as cursor:  # the suite's databases have no such table
            cursor.execute("DROP TABLE IF EXISTS django_migrations")
        for process in processes.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=30)
        for output in outputs.values():
            output.close()


def test_the_compose_services_run_probe_make_a_report_and_log_json(stack, report_changes):
    base = f"http://127.0.0.1:{stack['port']}"
    env, paths, logs = stack["env"], stack["paths"], stack["logs"]

    # Healthy as compose would see them, once each says it is ready.
    for service in ("web", "worker", "beat"):
        stack["outputs"][service].wait_for(READY[service], 120, f"{service} ready")
        check = healthcheck(service, paths)
        assert healthy(check, env), f"{service} healthcheck {check}"
    workers = requests.get(f"{base}/readyz/?workers=1", timeout=10)
    assert workers.status_code == 200, workers.text
    assert workers.json()["checks"]["workers"]["status"] == "1 answered"
    # The probe over plain HTTP with the container's address as Host; nothing else is.
    assert requests.get(f"{base}/healthz/", timeout=10).text == "ok"
    assert requests.get(f"{base}/", timeout=10).status_code == 400
    insecure = requests.get(f"{base}/", headers={"Host": HOST}, allow_redirects=False, timeout=10)
    assert insecure.status_code == 301 and insecure.headers["Location"] == f"https://{HOST}/"

    # load_6aika (the migrate service) made the cities; the people and projects of the test.
    helsinki = City.objects.get(slug="helsinki")
    reports_data.portfolio()
    coordinator = reports_data.user("coordinator", username="smoke-helsinki", city="helsinki")
    other = reports_data.user("coordinator", username="smoke-espoo", city="espoo")
    cookie = f"sessionid={session_cookie(coordinator)}"

    page = requests.get(f"{base}/reports/", headers={**PROXIED, "Cookie": cookie}, timeout=30)
    assert page.status_code == 200, logs["web"].read_text()[-4000:]
    assert "private" in page.headers["Cache-Control"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    csrf_cookie = re.search(r"csrftoken=([^;]+)", page.headers["Set-Cookie"]).group(1)
    asked = requests.post(
        f"{base}/reports/",
        data={
            "kind": "city",
            "city": helsinki.pk,
            "as_of": reports_data.AS_OF.isoformat(),
            "language": "fi",
            "csrfmiddlewaretoken": token,
        },
        headers={
            **PROXIED,
            "Cookie": f"{cookie}; csrftoken={csrf_cookie}",
            "Referer": f"https://{HOST}/reports/",
        },
        allow_redirects=False,
        timeout=30,
    )
    assert asked.status_code == 302, asked.text[:1000]
    request_id = asked.headers["X-Request-ID"]
    report = Report.objects.get(requested_by=coordinator)

    def done() -> bool:
        report.refresh_from_db()
        assert report.status != Report.Status.FAILED, report.error
        return report.status == Report.Status.DONE

    report_changes.until(
        done, 180, "the report made by the worker", tell=stack["outputs"]["worker"].context
    )
    assert (stack["media"] / report.file.name).is_file()

    download = f"{base}/reports/{report.pk}/download/"
    mine = requests.get(download, headers={**PROXIED, "Cookie": cookie}, timeout=30)
    assert mine.status_code == 200 and mine.content.startswith(b"%PDF")
    assert "no-store" in mine.headers["Cache-Control"]
    not_mine = f"sessionid={session_cookie(other)}"
    assert (
        requests.get(download, headers={**PROXIED, "Cookie": not_mine}, timeout=30).status_code
        == 403
    )
    anonymous = requests.get(download, headers=PROXIED, allow_redirects=False, timeout=30)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.headers["Location"]
    media_url = f"{base}/media/{report.file.name}"
    assert (
        requests.get(media_url, headers={**PROXIED, "Cookie": cookie}, timeout=30).status_code
        == 404
    )

    # Logs: JSON, every line; the worker's lines about the report carry the web's request id.
    entries = {}
    for service, log in logs.items():
        lines = [line for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
        assert lines, f"{service} logged nothing"
        entries[service] = []
        for line in lines:
            try:
                entry = json.loads(line)
            except ValueError:
                pytest.fail(f"{service} logged a line that is not JSON: {line!r}")
            assert entry["time"] and entry["level"] and "message" in entry, line
            entries[service].append(entry)
    access = [e["message"] for e in entries["web"] if e["logger"] == "gunicorn.access"]
    assert any(f"request_id={request_id}" in line for line in access), access[-5:]
    report_lines = [e for e in entries["worker"] if e.get("request_id") == request_id]
    assert report_lines, entries["worker"][-10:]
    assert all(e.get("task") == "coordination.report_make" for e in report_lines)
