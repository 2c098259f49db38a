from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    """What is funded: projects, funding, actions, indicators, status reports."""

    name = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        # services.py declares the workflows (core.transitions): their state labels are then
        # known wherever a core.Transition row is shown, whichever modules a page imported.
        from . import (
            portfolio_cache,
            services,  # noqa: F401
        )

        portfolio_cache.connect()
