"""Writes of monitoring reports: request (with dedupe), make (the job's work), schedule, notify.

The Celery task in ``reports.tasks`` only calls ``report_make``; the same function runs
eagerly in the embedded default and in tests.
"""

import datetime as dt
import logging
import os
import tempfile
import traceback
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.mail import send_mass_mail
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from core import generated, languages
from core.transitions import Move, Workflow, anyone, state_change, system
from governance.models import Body, City, Meeting, Seat
from projects.models import Project

from .documents import report_pdf
from .models import JOB_STOPPED, QUEUE_UNREACHABLE, Report, parameters_key

log = logging.getLogger(__name__)

# The job that makes a report's PDF (reports.tasks.report_make_task). The name stays the one it
# had in the coordination app, so that jobs queued before the move are still run.
REPORT_MAKE_TASK = "coordination.report_make"

# A queued or running report untouched for this long lost its worker: a new request replaces it.
STALE_AFTER = dt.timedelta(hours=1)

_S = Report.Status
# The job moves a report; only giving up a report whose worker was lost is also done for the
# person (or the schedule) whose new request replaces it.
REPORTS = Workflow(
    "reports.report",
    model=Report,
    field="status",
    moves=[
        Move(_S.QUEUED, _S.RUNNING, "start", system),
        Move(_S.RUNNING, _S.RUNNING, "start", system),  # a message delivered again
        Move(_S.RUNNING, _S.DONE, "finish", system),
        Move(_S.RUNNING, _S.QUEUED, "retry", system),
        Move(_S.RUNNING, _S.FAILED, "fail", anyone),
        Move(_S.QUEUED, _S.FAILED, "fail", anyone),
        # a job that outlived the request that gave it up still keeps what it made
        Move(_S.FAILED, _S.DONE, "finish", system),
    ],
)


def _parameters(
    *,
    kind: str,
    as_of: dt.date,
    language: str,
    city: City | None,
    project: Project | None,
    meeting: Meeting | None,
) -> dict[str, Any]:
    parameters: dict[str, Any] = {"date": as_of.isoformat(), "language": language}
    if kind == Report.Kind.CITY and city is not None:
        parameters["city"] = city.slug
    if kind == Report.Kind.PROJECT and project is not None:
        parameters["project"] = project.pk
    if kind == Report.Kind.MEETING_PACK and meeting is not None:
        parameters["meeting"] = meeting.pk
    return parameters


# A report whose job was never started this long after it was asked for lost its message (the
# broker was down, or restarted without the queue): reports_requeue sends it again.
REQUEUE_AFTER = dt.timedelta(minutes=5)


def _portal_error(code: str) -> dict[str, str]:
    """The fields of an error the portal writes itself: its code, and its Finnish text for the
    record (core.generated)."""
    with translation.override("fi"):
        return {"error_code": code, "error": generated.render(code, {})}


def _send(report: Report) -> bool:
    """Hand the report to the job queue; False (and the report says why) if it is unreachable.

    Only a failure to reach the broker is caught: in the embedded default the job runs eagerly
    inside ``delay`` and its own errors are the job's, recorded on the report by report_make.
    """
    from celery import current_app
    from kombu.exceptions import OperationalError

    # The task by its name (registered by tasks.py, imported in apps.py), so that this module
    # and tasks.py, which calls report_make, do not import each other.
    report_make_task = current_app.tasks[REPORT_MAKE_TASK]
    try:
        report_make_task.delay(report.pk)
    except (OperationalError, ConnectionError) as error:
        log.warning("Report %s could not be queued: %s", report.pk, error)
        error = _portal_error(QUEUE_UNREACHABLE)
        report.error, report.error_code = error["error"], error["error_code"]
        Report.objects.filter(pk=report.pk, status=Report.Status.QUEUED, attempts=0).update(**error)
        report.queue_failed = True
        return False
    return True


def _queue(report: Report) -> None:
    # robust: in the embedded default the job runs eagerly inside this callback, and a report
    # that fails is recorded as failed on the report, not turned into an error page.
    transaction.on_commit(lambda: _send(report), robust=True)


def reports_requeue(*, now: dt.datetime | None = None) -> list[int]:
    """Send again every report whose job never started: its queueing failed, or it has waited
    longer than REQUEUE_AFTER (its message was lost). A report made twice by a late duplicate
    message is not made again: report_make skips a report that is already done."""
    now = now or timezone.now()
    waiting = Report.objects.filter(
        status=Report.Status.QUEUED, attempts=0, started_at__isnull=True
    ).filter(Q(requested_at__lte=now - REQUEUE_AFTER) | ~Q(error=""))
    sent = []
    for report in waiting.order_by("requested_at", "pk"):
        if not _send(report):
            break  # still unreachable: the next run tries again
        Report.objects.filter(pk=report.pk, attempts=0).update(error="", error_code="")
        sent.append(report.pk)
    return sent


def report_request(
    *,
    kind: str,
    as_of: dt.date,
    language: str = Report.Language.FI,
    city: City | None = None,
    project: Project | None = None,
    meeting: Meeting | None = None,
    by=None,
    scheduled: bool = False,
) -> tuple[Report, bool]:
    """Ask for a report; ``(report, created)``. An identical request still queued or running is
    returned instead of a second one (a partial unique constraint guards the race)."""
    parameters = _parameters(
        kind=kind, as_of=as_of, language=language, city=city, project=project, meeting=meeting
    )
    key = parameters_key(kind, parameters)
    now = timezone.now()
    with transaction.atomic():
        pending = (
            Report.objects.select_for_update().filter(dedupe_key=key, status__in=Report.PENDING)
        ).first()
        if pending is not None:
            last_touched = pending.started_at or pending.requested_at
            if now - last_touched < STALE_AFTER:
                return pending, False
            error = _portal_error(JOB_STOPPED)
            pending.error, pending.error_code = error["error"], error["error_code"]
            pending.finished_at = now
            state_change(
                obj=pending,
                workflow=REPORTS,
                to=Report.Status.FAILED,
                by=by,
                update_fields=["error", "error_code", "finished_at"],
                clean=False,
            )
        report = Report(
            kind=kind,
            parameters=parameters,
            language=language,
            as_of=as_of,
            city=city if kind == Report.Kind.CITY else None,
            project=project if kind == Report.Kind.PROJECT else None,
            meeting=meeting if kind == Report.Kind.MEETING_PACK else None,
            dedupe_key=key,
            requested_by=by,
            scheduled=scheduled,
            requested_at=now,
        )
        report.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:
            # Another request with the same key committed between our read and our insert.
            return Report.objects.get(dedupe_key=key, status__in=Report.PENDING), False
        _queue(report)
    return report, True


class _TempFile(File):
    """A finished file on disk: the storage moves it into place (one rename) instead of copying
    it, so the report's file is either absent or complete."""

    def temporary_file_path(self) -> str:
        return self.file.name


def _partial_dir() -> str:
    path = os.path.join(settings.MEDIA_ROOT, "reports", ".partial")
    os.makedirs(path, exist_ok=True)
    return path


def _start(report_id: int) -> Report | None:
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        if report.status in (Report.Status.DONE, Report.Status.FAILED):
            return None  # made already (a redelivered message) or given up
        report.started_at = timezone.now()
        report.attempts += 1
        state_change(
            obj=report,
            workflow=REPORTS,
            to=Report.Status.RUNNING,
            by=None,
            update_fields=["started_at", "attempts"],
            clean=False,
        )
    return report


def report_make(*, report_id: int, final_attempt: bool = True) -> Report:
    """Make the report's PDF and keep it. On an error the attempt is recorded; the error is
    raised again for the task to retry unless this was the ``final_attempt``, which marks the
    report failed for the person who asked to see."""
    report = _start(report_id)
    if report is None:
        return Report.objects.get(pk=report_id)
    stored_name = ""
    partial = None
    try:
        pdf, summary, cutoff = report_pdf(report)
        partial = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in finally
            dir=_partial_dir(), prefix=f"report-{report.pk}-", suffix=".pdf.part", delete=False
        )
        partial.write(pdf)
        partial.flush()
        os.fsync(partial.fileno())
        partial.close()
        name = f"{report.get_kind_display()}-{report.as_of:%Y-%m-%d}-{report.pk}.pdf"
        with open(partial.name, "rb") as handle:
            stored_name = report.file.field.generate_filename(report, _safe(name))
            stored_name = default_storage.save(stored_name, _TempFile(handle))
        with transaction.atomic():
            locked = Report.objects.select_for_update().get(pk=report.pk)
            locked.file.name = stored_name
            locked.size = len(pdf)
            locked.summary = summary
            locked.data_cutoff = cutoff
            locked.finished_at = timezone.now()
            locked.error = locked.error_code = ""
            state_change(
                obj=locked,
                workflow=REPORTS,
                to=Report.Status.DONE,
                by=None,
                validate_constraints=False,
            )
            if locked.scheduled and locked.kind == Report.Kind.MEETING_PACK:
                transaction.on_commit(lambda: board_notify_pack_ready(report=locked))
        return locked
    except Exception as error:
        kept = _kept_as_done(report.pk, stored_name) if stored_name else False
        if kept:
            # The report was kept, and then the worker saw an error: a signal or a lost
            # connection while PostgreSQL answered the COMMIT. The row names the file.
            log.warning("Report %s was kept before its worker's error", report.pk, exc_info=True)
            return Report.objects.get(pk=report.pk)
        if kept is False and stored_name:
            default_storage.delete(stored_name)
        log.warning("Report %s attempt %s failed", report.pk, report.attempts, exc_info=True)
        report.error = f"{type(error).__name__}: {error}"[:2000]
        report.error_code = ""
        report.finished_at = timezone.now() if final_attempt else None
        state_change(
            obj=report,
            workflow=REPORTS,
            to=Report.Status.FAILED if final_attempt else Report.Status.QUEUED,
            by=None,
            update_fields=["error", "error_code", "finished_at"],
            clean=False,
        )
        if final_attempt:
            log.error("Report %s failed: %s", report.pk, traceback.format_exc())
            return report
        raise
    finally:
        if partial is not None and os.path.exists(partial.name):
            os.unlink(partial.name)


def _kept_as_done(report_id: int, stored_name: str) -> bool | None:
    """Whether the report's row is done and names ``stored_name``: its last transaction was
    committed although the worker saw an error as it ended. Read on a new connection where the
    failed one may be unusable; None when it cannot be told, and the file is then kept (a file
    too many in the storage is better than a done report without its file)."""
    try:
        if not connection.in_atomic_block:
            connection.close()
        return Report.objects.filter(
            pk=report_id, status=Report.Status.DONE, file=stored_name
        ).exists()
    except Exception:  # noqa: BLE001 - cannot tell: keep the file
        log.warning("Report %s: cannot tell whether it was kept", report_id, exc_info=True)
        return None


def _safe(name: str) -> str:
    from django.utils.text import get_valid_filename

    return get_valid_filename(name.replace(" ", "-").lower())


# --- Before each board meeting ------------------------------------------------------------------


def board_recipients(*, today: dt.date) -> list[tuple[str, str]]:
    """(e-mail address, language) of the users of the people in the board's current seats, and
    deputies; the language is the one each chose in the portal (Finnish if they never did)."""
    seats = Seat.objects.filter(body__kind=Body.Kind.BOARD).filter(
        Q(term_end__isnull=True) | Q(term_end__gte=today)
    )
    rows = seats.values_list(
        "member__user__email", "member__user_id", "deputy__user__email", "deputy__user_id"
    )
    users = {email: user_id for row in rows for email, user_id in (row[:2], row[2:]) if email}
    language = languages.languages_of(users.values())
    return sorted((email, language[user_id]) for email, user_id in users.items())


def board_notify_pack_ready(*, report: Report) -> int:
    """Tell the board members and deputies, each in their language, that the meeting pack is
    ready; the number of e-mails."""
    url = settings.SIXAIKA_BASE_URL.rstrip("/") + reverse("reports:detail", args=[report.pk])
    meeting_day = timezone.localtime(report.meeting.starts_at).date()
    messages = []
    for to, language in board_recipients(today=timezone.localdate()):
        with translation.override(language):
            date = formats.date_format(meeting_day, "SHORT_DATE_FORMAT")
            subject = gettext("6Aika board: the meeting pack for %(date)s is ready") % {
                "date": date
            }
            body = gettext(
                "The meeting pack and the monitoring report for the board meeting of %(date)s "
                "are ready in the portal:\n\n%(url)s\n\nYou receive this message as a member "
                "or deputy member of the 6Aika board."
            ) % {"date": date, "url": url}
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [to]))
    return send_mass_mail(messages, fail_silently=False)


def board_reports_schedule(*, today: dt.date) -> list[Report]:
    """Daily: for each board meeting within the configured number of days, make the monitoring
    report and the meeting pack, once per meeting (the notification follows the pack)."""
    days = settings.SIXAIKA_REPORTS_DAYS_BEFORE_MEETING
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=days), dt.time.max))
    meetings = Meeting.objects.filter(
        body__kind=Body.Kind.BOARD,
        starts_at__range=(start, end),
        status=Meeting.Status.PLANNED,
    ).order_by("starts_at")
    made = []
    for meeting in meetings:
        already = Report.objects.filter(
            kind=Report.Kind.MEETING_PACK, meeting=meeting, scheduled=True
        ).exclude(status=Report.Status.FAILED)
        if already.exists():
            continue
        board, _created = report_request(kind=Report.Kind.BOARD, as_of=today, scheduled=True)
        pack, _created = report_request(
            kind=Report.Kind.MEETING_PACK, as_of=today, meeting=meeting, scheduled=True
        )
        made.extend([board, pack])
    return made
