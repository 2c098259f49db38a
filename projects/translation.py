"""Content fields readers need in Finnish, Swedish and English (Finnish fallback)."""

from modeltranslation.translator import TranslationOptions, register

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
