from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Monitoring reports (PDFs made by a Celery job, with their charts) and the exports."""

    name = "reports"
    verbose_name = _("Monitoring reports")

    def ready(self) -> None:
        # services.py declares the workflow (core.transitions): its state labels are then known
        # wherever a core.Transition row is shown. tasks.py registers the tasks in every process
        # (web and worker): services.py queues the job by its name, so the web process needs it
        # registered as much as the worker does.
        from . import (
            services,  # noqa: F401
            tasks,  # noqa: F401
        )
