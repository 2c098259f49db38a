"""The portal's one form convention, shared by every app.

- A form sent back with its errors answers ``INVALID_FORM_STATUS`` (400): the request was
  refused and nothing was saved. Only an htmx swap answers 200, since htmx swaps nothing else.
- The errors are listed in ``templates/partials/error_summary.html`` (one partial for all).
- A service's refusal (a ``ValidationError``) goes onto the form with ``add_service_error``.
- Every form renders through ``FormRenderer``: Django's widget templates, except that the empty
  choice of a select says "Not chosen" in the reader's language instead of Django's "---------".
"""

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest

INVALID_FORM_STATUS = 400


class FormRenderer(DjangoTemplates):
    """Django's form templates with the portal's few overrides (core/form_templates) first."""

    @cached_property
    def engine(self):
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [
                    Path(__file__).parent / "form_templates",
                    Path(forms.__file__).parent / "templates",
                ],
                "NAME": "portalforms",
                "OPTIONS": {},
            }
        )


@dataclass(frozen=True)
class ErrorLine:
    """One line of the error summary that is no single field's: the id it links to (empty for
    none), what it is about (empty for nothing in particular) and the message."""

    anchor: str
    label: str
    message: str

    def __str__(self) -> str:
        return f"{self.label}: {self.message}" if self.label else self.message


def form_status(request: HttpRequest, *forms: Any, refused: bool = False) -> int:
    """The status of a page that shows forms (or formsets): ``INVALID_FORM_STATUS`` when one of
    them was sent and refused, by itself or by the service behind it (``add_service_error``), or
    when ``refused`` says so (errors that are no form's, such as an import's rows); else 200.

    An htmx request gets a 200 either way: htmx swaps only successful answers, and the refused
    form is the fragment it has to swap in."""
    refused = refused or any(form.is_bound and not form.is_valid() for form in forms)
    if refused and not getattr(request, "htmx", False):
        return INVALID_FORM_STATUS
    return 200


def add_service_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's refusal on the form: each message at the field it names when the form
    has that field, the rest (and a refusal that names no field) above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)
