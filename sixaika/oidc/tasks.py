"""Celery beat: remove the roles of people who have not signed in for a long time."""

from celery import shared_task

from . import services


@shared_task(name="sixaika.oidc.inactive_roles_expire", time_limit=600, acks_late=True)
def inactive_roles_expire() -> dict[str, list[str]]:
    report = services.inactive_roles_expire()
    return {"warned": report.warned, "removed": report.removed}
