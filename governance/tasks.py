"""Celery tasks of governance: thin wrappers around services (STYLE.md)."""

from celery import shared_task

from . import services


@shared_task(
    name=services.MINUTES_PDF_TASK,
    autoretry_for=(Exception,),
    retry_backoff=5,
    retry_backoff_max=120,
    max_retries=3,
    acks_late=True,
    soft_time_limit=300,
    time_limit=360,
)
def minutes_pdf_make_task(minutes_id: int) -> str:
    """The approved minutes' PDF into the file storage, made once by a worker."""
    return services.minutes_pdf_make(minutes_id=minutes_id)
