from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    """Who decides: cities, organisations, people, the two bodies and their seats."""

    name = "governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        from . import audit

        audit.connect()
