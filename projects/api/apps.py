from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenDataApiConfig(AppConfig):
    """Registered as an app only so that its templates and static files are found."""

    name = "projects.api"
    label = "open_data_api"
    verbose_name = _("Open data API")
