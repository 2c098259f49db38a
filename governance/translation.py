"""Content fields that readers need in Finnish, Swedish and English (Finnish fallback)."""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as history_register

from .acting import history_user
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


# Audited models with translated fields get their history here, after modeltranslation has added
# the per-language columns, so that every language's value is kept (simple-history copies the
# fields the model has when the history is registered).
history_register(Seat, app="governance", get_user=history_user)
history_register(AgendaItem, app="governance", get_user=history_user)
