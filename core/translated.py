"""A translated field's value in the active language, from a query's plain columns.

django-modeltranslation's ``values_list("name")`` reads every language's column and, for each
row, fills an object and asks the field's descriptor for the value in the active language (its
fallback languages next). For a list of rows that is most of the CPU the list costs (issue 19:
a third of the coordinator's section of the home page). ``Translated`` does what the descriptor
does, once per query: which columns to read, in which order, and which value counts as empty;
each row then costs a few comparisons.
"""

from collections.abc import Sequence
from typing import Any

from django.db.models import Model
from django.utils.translation import get_language
from modeltranslation.fields import NONE, TranslationFieldDescriptor
from modeltranslation.utils import build_localized_fieldname, fallbacks_enabled, resolution_order


class Translated:
    """``Translated(Project, "name")``: ``columns()`` to read (in the active language's order),
    ``value(row_values)`` the field's value as ``project.name`` would say it."""

    def __init__(self, model: type[Model], field: str) -> None:
        descriptor = model.__dict__[field]
        if not isinstance(descriptor, TranslationFieldDescriptor):
            raise TypeError(f"{model.__name__}.{field} is not a translated field")
        self._descriptor = descriptor
        self._field = field

    def columns(self) -> list[str]:
        order = resolution_order(get_language(), self._descriptor.fallback_languages)
        return [build_localized_fieldname(self._field, lang) for lang in order]

    def value(self, values: Sequence[Any]) -> Any:
        """The first meaningful of ``values`` (read from ``columns()``, in their order), as the
        descriptor decides; its fallback value or the field's default when none is."""
        descriptor = self._descriptor
        undefined = descriptor.fallback_undefined
        default = NONE
        if undefined is NONE:
            default = undefined = descriptor.field.get_default()
        for value in values:
            if value is not None and value != undefined:
                return value
        if fallbacks_enabled() and descriptor.fallback_value is not NONE:
            return descriptor.fallback_value
        return descriptor.field.get_default() if default is NONE else default
