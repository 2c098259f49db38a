"""Celery tasks of the monitoring reports: thin wrappers around services (STYLE.md).

The task names are the ones they had in the coordination app (the beat schedule in settings and
any job already queued name them), so they stay."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(
    bind=True,
    name=services.REPORT_MAKE_TASK,
    autoretry_for=(Exception,),
    retry_backoff=5,
    retry_backoff_max=120,
    retry_jitter=False,
    max_retries=3,
    acks_late=True,
    soft_time_limit=600,
    time_limit=660,
)
def report_make_task(self, report_id: int) -> str:
    """Make one report's PDF; retried with backoff, the last attempt marks it failed."""
    final = self.request.retries >= self.max_retries
    report = services.report_make(report_id=report_id, final_attempt=final)
    return report.status


@shared_task(name="coordination.board_reports_schedule", time_limit=300, acks_late=True)
def board_reports_schedule() -> list[int]:
    """Daily: the monitoring report and meeting pack before each board meeting."""
    return [r.pk for r in services.board_reports_schedule(today=timezone.localdate())]


@shared_task(name="coordination.reports_requeue", time_limit=120, acks_late=True)
def reports_requeue() -> list[int]:
    """Every few minutes: send again the reports whose job never started (broker was down)."""
    return services.reports_requeue()
