"""Content fields that readers need in Finnish, Swedish and English (Finnish fallback)."""

from modeltranslation.translator import TranslationOptions, register

from .models import AgendaItem, Body, City, Person, Seat


@register(City)
class CityTranslation(TranslationOptions):
    fields = ("name",)


@register(Body)
class BodyTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Person)
class PersonTranslation(TranslationOptions):
    fields = ("title", "unit")


@register(Seat)
class SeatTranslation(TranslationOptions):
    fields = ("label",)


@register(AgendaItem)
class AgendaItemTranslation(TranslationOptions):
    fields = ("title",)
