from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    """What is funded: calls, applications, projects, funding, indicators, status reports."""

    name = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        # The board's meeting page shows the applications on each agenda item through
        # governance's extension point; governance itself never imports projects.
        # Likewise, approving the minutes of a board meeting turns the applications it approved
        # into projects.
        from governance.extensions import register_agenda_item_panel, register_minutes_approved

        from .calls_panels import agenda_item_panels
        from .calls_services import applications_fund_on_minutes_approved

        register_agenda_item_panel(agenda_item_panels)
        register_minutes_approved(applications_fund_on_minutes_approved)

        from . import portfolio_cache

        portfolio_cache.connect()
