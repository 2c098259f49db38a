from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    """How 6Aika is run: coordinators, strategy office, annual clock, visitors, events, results."""

    name = "coordination"
    verbose_name = _("Coordination")

    def ready(self) -> None:
        # services.py declares the workflows (core.transitions): their state labels are then
        # known wherever a core.Transition row is shown, whichever modules a page imported.
        from core import versions

        from . import services  # noqa: F401

        # the public pages kept in the cache change with the app's data (core/page_cache.py)
        versions.track(self.label)
