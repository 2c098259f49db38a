from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    """Who decides: cities, organisations, people, the two bodies and their seats."""

    name = "governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        # services.py declares the workflows (core.transitions): their state labels are then
        # known wherever a core.Transition row is shown, whichever modules a page imported.
        # tasks.py registers the minutes' PDF task in every process, web included, so that
        # minutes_approve can queue it by name.
        from core import versions

        from . import (
            audit,
            services,  # noqa: F401
            tasks,  # noqa: F401
        )

        audit.connect()
        # the public pages kept in the cache change with the app's data (core/page_cache.py)
        versions.track(self.label)
