"""The beat entry before a board meeting, run by a real Celery worker on Redis.

The worker runs in a thread of this process (celery.contrib.testing), with its own database
connection: the test data is committed (transactional_db) so that the worker sees it.
"""

import datetime as dt
import os

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail
from django.utils import timezone

from reports.models import Report
from sixaika.celery import app
from tests.celery_conf import celery_configured
from tests.reports import data as reports_data
from tests.reports.data import AS_OF
from tests.waiting import tasks_finishing

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def worker():
    with celery_configured(
        app,
        broker_url=REDIS_URL,
        result_backend=REDIS_URL,
        task_always_eager=False,
        task_eager_propagates=False,
        # A queue of this test process's own: test processes side by side (pytest -n) each
        # have their own database, so no worker may take another process's report.
        task_default_queue=f"coordination-test-{os.getpid()}",
    ):
        app.control.purge()  # nothing left over from another run
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
            yield app


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_beat_makes_the_pre_meeting_pack_on_a_real_worker(org_6aika, worker):
    reports_data.portfolio()
    reports_data.board_users()
    meeting = reports_data.board_meeting(
        starts_at=timezone.now() + dt.timedelta(days=settings.SIXAIKA_REPORTS_DAYS_BEFORE_MEETING),
        decided=False,
    )
    entry = settings.CELERY_BEAT_SCHEDULE["coordination-board-reports"]
    assert entry["task"] in worker.tasks
    with tasks_finishing() as finished:
        # What beat does at the entry's time: send the task to the broker.
        made = worker.send_task(entry["task"]).get(timeout=120)
        assert len(made) == 2
        finished.until(
            lambda: Report.objects.filter(pk__in=made, status__in=["done", "failed"]).count() == 2,
            240,
            "both reports made by the worker",
        )
        # The e-mail goes once the pack's report is committed, in the same task.
        finished.until(lambda: len(mail.outbox) > 0, 30, "the e-mail about the pack")
    pack = Report.objects.get(kind="meeting_pack", meeting=meeting)
    board = Report.objects.get(kind="board", scheduled=True)
    assert pack.status == board.status == "done", (pack.error, board.error)
    assert pack.scheduled and pack.requested_by is None and pack.attempts == 1
    assert pack.file.size > 1000 and board.file.size > 1000
    assert all(f"/reports/{pack.pk}/" in m.body for m in mail.outbox)
    # Once per meeting: the next day's run makes nothing more.
    assert worker.send_task(entry["task"]).get(timeout=120) == []


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_failing_attempt_is_retried_by_the_worker(
    org_6aika, worker, monkeypatch, settings, tmp_path
):
    from reports import services as report_services

    settings.MEDIA_ROOT = str(tmp_path)  # the worker thread reads the same settings

    real = report_services.report_pdf
    calls = {"n": 0}

    def fails_once(report):
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionError("database went away mid-report")
        return real(report)

    monkeypatch.setattr(report_services, "report_pdf", fails_once)
    office = reports_data.user("strategy_office")
    with tasks_finishing() as finished:
        report, _created = report_services.report_request(kind="board", as_of=AS_OF, by=office)
        finished.until(
            lambda: Report.objects.get(pk=report.pk).status in ("done", "failed"),
            240,
            "the report retried by the worker",
        )
    report.refresh_from_db()
    assert report.status == "done" and report.attempts == 2 and report.error == ""
    assert calls["n"] == 2
    partial = os.path.join(settings.MEDIA_ROOT, "reports", ".partial")
    assert os.listdir(partial) == []
