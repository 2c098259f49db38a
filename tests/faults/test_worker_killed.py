"""A Celery worker killed (SIGKILL, the whole process group) in the middle of a monitoring
report: the report is not lost, no half-written file is left, and another worker completes it.

The worker runs as a real process on Redis (a database number of this test's own, so the short
redelivery time never touches other tests' messages). To kill it mid-report, the test holds an
exclusive lock on the status reports table: a worker that has started the report (its status
"running") cannot get further than reading the projects' status, and it is killed there. The test
wakes on PostgreSQL's notification of the report's row changing, not on a clock.
"""

import os
import signal
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from projects.models import Project
from reports import services as report_services
from reports.models import Report
from sixaika.celery import app
from tests.reports import data as reports_data
from tests.reports.data import AS_OF

from .conftest import PYTHON, ROOT

REDIS_BASE = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15").rsplit("/", 1)[0]
FAULT_REDIS = f"{REDIS_BASE}/13"
REDELIVERY_SECONDS = 3


def _database_url() -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_worker(queue: str, media: Path, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sixaika.settings.test",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": FAULT_REDIS,
        "CELERY_BROKER_URL": FAULT_REDIS,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_VISIBILITY_TIMEOUT": str(REDELIVERY_SECONDS),
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "DJANGO_MEDIA_ROOT": str(media),
    }
    command = [PYTHON, "-m", "celery", "-A", "sixaika", "worker", "-Q", queue, "-c", "1"]
    command += ["--pool", "prefork", "--without-gossip", "--without-mingle", "-l", "INFO"]
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: the kill takes the pool child too
    )


def _tail(log: Path) -> str:
    return log.read_text()[-3000:]


def _status(report: Report) -> str:
    return Report.objects.values_list("status", flat=True).get(pk=report.pk)


def _files(media: Path) -> list[str]:
    reports = media / "reports"
    return sorted(str(p.relative_to(reports)) for p in reports.rglob("*") if p.is_file())


def _forget_broker_connections() -> None:
    """Celery caches its connection and producer pools for the broker it first used; forget
    them (without closing: kombu keeps them per broker URL) so the next task goes to the new
    broker_url."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def fault_broker():
    """Send this test's tasks to a Redis database and a queue of its own."""
    queue = f"faults-{os.getpid()}"
    saved = {
        key: app.conf[key]
        for key in ("broker_url", "result_backend", "task_always_eager", "task_default_queue")
    }
    app.conf.update(
        broker_url=FAULT_REDIS,
        result_backend=FAULT_REDIS,
        task_always_eager=False,
        task_default_queue=queue,
    )
    _forget_broker_connections()
    with app.connection_for_write() as conn:
        conn.default_channel.client.flushdb()  # nothing left over from an earlier run
    yield queue
    app.conf.update(saved)
    _forget_broker_connections()


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_report_leaves_no_half_file_and_another_completes_it(
    org_6aika, fault_broker, report_changes, settings, tmp_path
):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = str(media)
    reports_data.portfolio()
    office = reports_data.user("strategy_office")
    log = tmp_path / "worker.log"

    lock = psycopg.connect(_database_url().replace("postgres://", "postgresql://"))
    lock.execute("LOCK TABLE projects_statusreport IN ACCESS EXCLUSIVE MODE")  # held until rollback
    first = _start_worker(fault_broker, media, log)
    try:
        report, created = report_services.report_request(kind="board", as_of=AS_OF, by=office)
        assert created
        report_changes.until(
            lambda: _status(report) == "running", 60, "the report running", tell=lambda: _tail(log)
        )
        # The worker has started the report and cannot read the projects' status: kill it.
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
        lock.rollback()
        lock.close()

    # Killed mid-report: still "running", and not a byte of it in the storage.
    report.refresh_from_db()
    assert report.status == "running" and report.attempts == 1 and not report.file
    assert [f for f in _files(media) if not f.startswith(".partial/")] == []

    # The new worker looks for unacknowledged messages every second and takes this one once it
    # has waited REDELIVERY_SECONDS.
    second = _start_worker(fault_broker, media, log)
    try:
        report_changes.until(
            lambda: _status(report) in ("done", "failed"),
            120,
            "the report taken over by the second worker",
            tell=lambda: _tail(log),
        )
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(timeout=30)

    report.refresh_from_db()
    assert report.status == "done", report.error
    assert report.attempts == 2 and report.error == ""
    assert _files(media) == [report.file.name.removeprefix("reports/")]  # one whole file
    with report.file.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    # The whole report, made from the database as it is: the portfolio's project count.
    assert f"Hankkeet {Project.objects.count()} " in reports_data.pdftotext(data)
    connection.close()
