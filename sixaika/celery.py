"""Celery application. Tasks are thin wrappers around services (see STYLE.md)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sixaika.settings.base")

app = Celery("sixaika")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# JSON log lines with the request id that queued the task (sixaika/observability.py).
from sixaika.observability import connect_celery_signals  # noqa: E402

connect_celery_signals()
