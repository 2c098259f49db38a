from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    """What is funded: projects, funding, actions, indicators, status reports."""

    name = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        # services.py declares the workflows (core.transitions): their state labels are then
        # known wherever a core.Transition row is shown, whichever modules a page imported.
        from core import versions

        from . import (
            portfolio_cache,
            services,  # noqa: F401
        )

        portfolio_cache.connect()
        # the public pages kept in the cache change with the app's data (core/page_cache.py)
        versions.track(self.label)
