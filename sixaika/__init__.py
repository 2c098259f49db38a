"""The 6Aika portal project: settings, Celery app, URLs and the pieces that join the apps."""

from .celery import app as celery_app

__all__ = ("celery_app",)
