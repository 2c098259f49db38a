"""Celery tasks of the projects app: thin wrappers around services."""

from celery import shared_task

from . import services


@shared_task(name="projects.report_reminders_send", time_limit=300, acks_late=True)
def report_reminders_send() -> int:
    """Daily: email coordinators about reports due within 14 days and overdue ones."""
    return services.report_reminders_send()
