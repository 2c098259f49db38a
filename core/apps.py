from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares and no domain owns; an app only for its template tags."""

    name = "core"
    verbose_name = "Core"
