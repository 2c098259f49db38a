from django.apps import AppConfig


class SixAikaConfig(AppConfig):
    """The project package as an app: shared template tags and the data-loading commands."""

    name = "sixaika"
    verbose_name = "6Aika"
