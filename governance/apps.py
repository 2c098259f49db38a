from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    """Who decides: cities, organisations, people, the two bodies and their seats."""

    name = "governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        # services.py declares the workflows (core.transitions): their state labels are then
        # known wherever a core.Transition row is shown, whichever modules a page imported.
        from . import (
            audit,
            services,  # noqa: F401
        )

        audit.connect()
