"""Content fields that readers need in Finnish, Swedish and English (Finnish fallback)."""

from modeltranslation.translator import TranslationOptions, register

from .models import AnnualClockEvent


@register(AnnualClockEvent)
class AnnualClockEventTranslation(TranslationOptions):
    fields = ("title", "description")
