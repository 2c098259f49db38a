from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    """What is funded: projects, funding, actions, indicators, status reports."""

    name = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        from . import portfolio_cache

        portfolio_cache.connect()
