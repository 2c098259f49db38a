"""Asking for reports: dedupe, the job's failure and retry, no half-written files, the schedule
before board meetings and the e-mail to the board."""

import datetime as dt
import os
import threading

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.storage import default_storage
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from governance.models import Body, Seat
from reports import services as report_services
from reports.models import Report
from reports.tasks import report_make_task
from tests.reports import data as reports_data
from tests.reports.data import AS_OF

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(org_6aika):
    return reports_data.user("strategy_office")


@pytest.fixture
def queued(monkeypatch):
    """Report ids the services queued for the worker (not sent to the broker here)."""
    ids: list[int] = []
    monkeypatch.setattr(report_services, "_queue", lambda report: ids.append(report.pk))
    return ids


def _partials() -> list[str]:
    path = os.path.join(settings.MEDIA_ROOT, "reports", ".partial")
    return os.listdir(path) if os.path.isdir(path) else []


def test_identical_requests_give_one_report_until_it_is_made(office, queued):
    first, created = report_services.report_request(kind="board", as_of=AS_OF, by=office)
    again, created_again = report_services.report_request(kind="board", as_of=AS_OF, by=office)
    assert created and not created_again
    assert again.pk == first.pk
    assert queued == [first.pk]
    english, _ = report_services.report_request(kind="board", as_of=AS_OF, language="en", by=office)
    assert english.pk != first.pk  # other parameters, another report
    report_services.report_make(report_id=first.pk)
    later, created_later = report_services.report_request(kind="board", as_of=AS_OF, by=office)
    assert created_later and later.pk != first.pk  # a new snapshot once the first is done


def test_a_stale_pending_report_is_replaced(office, queued):
    stuck, _ = report_services.report_request(kind="board", as_of=AS_OF, by=office)
    Report.objects.filter(pk=stuck.pk).update(
        status="running", started_at=timezone.now() - dt.timedelta(hours=2)
    )
    fresh, created = report_services.report_request(kind="board", as_of=AS_OF, by=office)
    stuck.refresh_from_db()
    assert created and fresh.pk != stuck.pk
    assert stuck.status == "failed" and stuck.error


def test_each_move_of_a_report_is_recorded_the_job_as_the_system(office, queued):
    """Queued, running, done by the job (no user); a stale one given up for the new asker."""
    report, _ = report_services.report_request(kind="board", as_of=AS_OF, by=office)
    report_services.report_make(report_id=report.pk)
    assert [(t.name, t.from_state, t.to_state, t.by) for t in report.transitions.all()] == [
        ("start", "queued", "running", None),
        ("finish", "running", "done", None),
    ]
    stuck, _ = report_services.report_request(kind="city", as_of=AS_OF, city=_oulu(), by=office)
    Report.objects.filter(pk=stuck.pk).update(requested_at=timezone.now() - dt.timedelta(hours=2))
    report_services.report_request(kind="city", as_of=AS_OF, city=_oulu(), by=office)
    assert [(t.name, t.to_state, t.by) for t in stuck.transitions.all()] == [
        ("fail", "failed", office)
    ]


def _oulu():
    from governance.models import City

    return City.objects.get(slug="oulu")


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_the_same_moment_make_one_report(org_6aika, queued):
    office = reports_data.user("strategy_office")
    barrier = threading.Barrier(2)
    results: list[int] = []

    def ask():
        try:
            barrier.wait(timeout=10)
            report, _created = report_services.report_request(kind="board", as_of=AS_OF, by=office)
            results.append(report.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(results) == 2
    assert len(set(results)) == 1
    assert Report.objects.count() == 1
    assert len(queued) == 1


def test_a_failed_attempt_is_retried_and_leaves_no_file(
    office, queued, monkeypatch, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)  # this test's files only, whatever runs beside it
    reports_data.portfolio()
    report, _ = report_services.report_request(kind="board", as_of=AS_OF, by=office)
    real_save = default_storage.save
    calls = {"n": 0}

    def save_fails_first(name, content, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            # The worker got as far as writing the file and died before it was in place.
            raise OSError("disk went away")
        return real_save(name, content, *args, **kwargs)

    monkeypatch.setattr(default_storage, "save", save_fails_first)
    with pytest.raises(OSError, match="disk went away"):
        report_services.report_make(report_id=report.pk, final_attempt=False)
    report.refresh_from_db()
    assert report.status == "queued" and report.attempts == 1
    assert "disk went away" in report.error
    assert not report.file
    assert _partials() == []
    # The task retries (eagerly here): the second attempt completes.
    result = report_make_task.apply(args=[report.pk])
    report.refresh_from_db()
    assert result.result == "done"
    assert report.status == "done" and report.attempts == 2 and report.error == ""
    stored = [
        os.path.relpath(os.path.join(root, name), tmp_path)
        for root, _dirs, names in os.walk(tmp_path)
        for name in names
    ]
    assert stored == [report.file.name]  # one complete file, nothing else
    with report.file.open("rb") as handle:
        assert handle.read().rstrip().endswith(b"%%EOF")
    assert _partials() == []


def test_a_report_that_keeps_failing_is_marked_failed_for_the_asker(
    office, queued, monkeypatch, client
):
    report, _ = report_services.report_request(kind="board", as_of=AS_OF, by=office)

    def broken(_report):
        raise RuntimeError("template exploded")

    monkeypatch.setattr(report_services, "report_pdf", broken)
    # Eagerly, each retry runs inside the one before; the outermost then reports RETRY.
    monkeypatch.setitem(report_make_task.app.conf, "task_eager_propagates", False)
    report_make_task.apply(args=[report.pk])
    report.refresh_from_db()
    assert report.status == "failed"
    assert report.attempts == report_make_task.max_retries + 1 == 4
    assert "template exploded" in report.error and not report.file
    client.force_login(office)
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert "Epäonnistui" in page
    assert "template exploded" in page
    assert "4 yrityksellä" in page


def test_the_schedule_makes_the_pack_once_per_meeting_and_tells_the_board(
    office, queued, django_capture_on_commit_callbacks
):
    reports_data.portfolio()
    reports_data.board_users()
    today = timezone.localdate()
    soon = reports_data.board_meeting(
        starts_at=timezone.now() + dt.timedelta(days=settings.SIXAIKA_REPORTS_DAYS_BEFORE_MEETING),
        decided=False,
    )
    reports_data.board_meeting(starts_at=timezone.now() + dt.timedelta(days=30), decided=False)
    made = report_services.board_reports_schedule(today=today)
    assert sorted(r.kind for r in made) == ["board", "meeting_pack"]
    assert all(r.scheduled and r.requested_by is None for r in made)
    assert report_services.board_reports_schedule(today=today) == []  # once per meeting
    pack = next(r for r in made if r.kind == "meeting_pack")
    assert pack.meeting == soon
    with django_capture_on_commit_callbacks(execute=True):
        for report_id in queued:
            report_services.report_make(report_id=report_id)
    pack.refresh_from_db()
    assert pack.status == "done"
    board = Body.objects.get(kind=Body.Kind.BOARD)
    seats = Seat.objects.filter(body=board)
    expected = {
        u.email
        for s in seats.select_related("member__user", "deputy__user")
        for u in (getattr(s.member, "user", None), getattr(s.deputy, "user", None))
        if u is not None and u.email
    }
    assert expected, "the test needs board members with user accounts"
    assert {m.to[0] for m in mail.outbox} == expected
    assert "kokousaineisto" in mail.outbox[0].body.lower()
    assert f"/reports/{pack.pk}/" in mail.outbox[0].body


def test_the_board_is_told_of_the_pack_each_in_their_language(office, queued):
    from core.languages import user_language_set

    reports_data.portfolio()
    reports_data.board_users()
    meeting = reports_data.board_meeting(
        starts_at=timezone.now() + dt.timedelta(days=3), decided=False
    )
    seat = Seat.objects.filter(body__kind=Body.Kind.BOARD, member__user__email__gt="").first()
    user_language_set(user=seat.member.user, language="sv")
    pack, _created = report_services.report_request(
        kind="meeting_pack", as_of=timezone.localdate(), meeting=meeting, by=office
    )
    mail.outbox.clear()
    report_services.board_notify_pack_ready(report=pack)
    by_recipient = {m.to[0]: m for m in mail.outbox}
    swedish = by_recipient.pop(seat.member.user.email)
    assert swedish.subject.startswith("6Aika-ledningsgruppen: mötesmaterialet för")
    assert "Du får detta meddelande som ledamot eller ersättare" in swedish.body
    assert by_recipient, "the other members get Finnish"
    assert all(m.subject.startswith("6Aika-johtoryhmä") for m in by_recipient.values())


def test_what_the_portal_says_of_a_report_is_in_each_readers_language(office, queued, monkeypatch):
    """Issue 18: an error the portal writes itself (the job stopped, the queue unreachable) is
    kept as its code and shown in the reader's language, whoever asked in whichever language;
    the Finnish text stays as the record. A failed job's exception is shown as it is."""
    from celery import current_app
    from django.utils import translation
    from kombu.exceptions import OperationalError

    stuck, _ = report_services.report_request(kind="board", as_of=AS_OF, by=office)
    Report.objects.filter(pk=stuck.pk).update(
        status="running", started_at=timezone.now() - dt.timedelta(hours=2)
    )
    with translation.override("sv"):
        fresh, _ = report_services.report_request(kind="board", as_of=AS_OF, by=office)
    stuck.refresh_from_db()
    assert stuck.error == "Työ keskeytyi kesken; raporttia pyydettiin uudelleen."
    with translation.override("en"):
        assert stuck.error_text == "The job stopped without finishing; it was asked again."
    with translation.override("sv"):
        assert stuck.error_text.startswith("Jobbet avbröts innan det blev klart")

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(current_app.tasks[report_services.REPORT_MAKE_TASK], "delay", unreachable)
    with translation.override("sv"):
        assert report_services._send(fresh) is False
    fresh = Report.objects.get(pk=fresh.pk)
    assert fresh.error.startswith("Raporttipalveluun ei juuri nyt saada yhteyttä.")
    with translation.override("en"):
        assert fresh.error_text.startswith("The report service cannot be reached right now.")


@pytest.mark.django_db(transaction=True)
def test_an_error_after_the_report_was_kept_leaves_it_done_with_its_file(
    office, queued, monkeypatch, settings, tmp_path
):
    # A worker stopped (or its connection lost) while PostgreSQL answered the COMMIT that marked
    # the report done: the row names the file, so the file stays (the fault test that kills a
    # worker found a done report whose file the error path had deleted).
    settings.MEDIA_ROOT = str(tmp_path)
    reports_data.portfolio()
    report, _ = report_services.report_request(kind="board", as_of=AS_OF, by=office)
    real_state_change = report_services.state_change

    def done_then_lost(**kwargs):
        real_state_change(**kwargs)
        if kwargs["to"] == Report.Status.DONE:
            transaction.on_commit(lambda: _raise(OperationalError("lost at commit")))

    monkeypatch.setattr(report_services, "state_change", done_then_lost)
    made = report_services.report_make(report_id=report.pk, final_attempt=False)
    report.refresh_from_db()
    assert made.status == report.status == "done" and report.attempts == 1
    with report.file.open("rb") as handle:
        assert handle.read().rstrip().endswith(b"%%EOF")
    assert _partials() == []


def _raise(error: Exception) -> None:
    raise error
