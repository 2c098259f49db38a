from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    """Calls for proposals, applications, evaluation and scoring, call summaries."""

    name = "calls"
    verbose_name = _("Calls for proposals")

    def ready(self) -> None:
        # The board's meeting page shows the applications on each agenda item through
        # governance's extension point, and a project's page shows the application it was funded
        # from through projects' extension point; neither app imports calls. Likewise, approving
        # the minutes of a board meeting turns the applications it approved into projects.
        from core import versions
        from governance.extensions import register_agenda_item_panel, register_minutes_approved
        from projects.extensions import register_project_funding

        from .panels import agenda_item_panels, project_funding
        from .services import applications_fund_on_minutes_approved

        register_agenda_item_panel(agenda_item_panels)
        register_minutes_approved(applications_fund_on_minutes_approved)
        register_project_funding(project_funding)
        # the public pages kept in the cache change with the app's data (core/page_cache.py)
        versions.track(self.label)
