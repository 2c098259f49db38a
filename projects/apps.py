from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    """What is funded: calls, applications, projects, funding, indicators, status reports."""

    name = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        # The board's meeting page shows the applications on each agenda item through
        # governance's extension point; governance itself never imports projects.
        from governance.extensions import register_agenda_item_panel

        from .calls_panels import agenda_item_panels

        register_agenda_item_panel(agenda_item_panels)

        from . import portfolio_cache

        portfolio_cache.connect()
