from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares and no domain owns: template tags, formats, generated texts and
    the language the portal writes to a user in (core.models.UserLanguage)."""

    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # transitions are shown on public pages too (core/page_cache.py keeps those)
        from . import versions

        versions.track(self.label)
