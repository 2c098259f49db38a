"""Content fields readers need in Finnish, Swedish and English (Finnish fallback)."""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as history_register

from governance.audit import history_user

from .models import Action, Indicator, Programme, Project, Theme


@register(Programme)
class ProgrammeTranslation(TranslationOptions):
    fields = ("name",)


@register(Theme)
class ThemeTranslation(TranslationOptions):
    fields = ("name",)


@register(Project)
class ProjectTranslation(TranslationOptions):
    fields = ("name", "summary")


@register(Action)
class ActionTranslation(TranslationOptions):
    fields = ("title",)


@register(Indicator)
class IndicatorTranslation(TranslationOptions):
    fields = ("name",)


# The project's history (funding, dates, status) is registered here, after modeltranslation has
# added the per-language columns (see governance/translation.py).
history_register(Project, app="projects", get_user=history_user, excluded_fields=["created_at"])
