from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    """How 6Aika is run: coordinators, strategy office, annual clock, visitors, events, results."""

    name = "coordination"
    verbose_name = _("Coordination")
