"""The portal's one form convention, shared by every app.

- A form sent back with its errors answers ``INVALID_FORM_STATUS`` (400): the request was
  refused and nothing was saved. Only an htmx swap answers 200, since htmx swaps nothing else.
- The errors are listed in ``templates/partials/error_summary.html`` (one partial for all).
- A service's refusal (a ``ValidationError``) goes onto the form with ``add_service_error``.
- Every form renders through ``FormRenderer``: Django's widget templates, except that the empty
  choice of a select says "Not chosen" in the reader's language instead of Django's "---------".
- A text with a limit (a field with ``max_length`` shown as a text input or a text area) says
  its limit under the field, wherever and however the form is rendered (``{{ form }}``,
  ``{{ form.field }}``, ``partials/field.html``): the renderer's ``PortalBoundField`` writes
  the counter (``<id>_count``) after the widget and points the widget's ``aria-describedby`` at
  it; ``static/js/portal.js`` turns it into a count of what is left as one types.
"""

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest
from django.utils.formats import number_format
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeData, SafeString
from django.utils.translation import gettext

INVALID_FORM_STATUS = 400

# The input types a counter helps with: what a person types as text (not a password).
COUNTED_INPUT_TYPES = frozenset({"text", "email", "url", "search", "tel"})


def counts_characters(bound: BoundField) -> bool:
    """Whether a field shows a counter: a limit, a widget one types text into, an id to name."""
    widget = bound.field.widget
    if not getattr(bound.field, "max_length", None) or not bound.auto_id or widget.is_hidden:
        return False
    return isinstance(widget, forms.Textarea) or (
        getattr(widget, "input_type", None) in COUNTED_INPUT_TYPES
    )


def hds_class(widget: forms.Widget) -> str:
    """hds-core's class for a widget's element: one for a box one types or chooses in, one for
    a single checkbox; none for a group (its options carry theirs: core/form_templates)."""
    if widget.is_hidden or isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return ""
    if isinstance(widget, forms.CheckboxInput):
        return "hds-checkbox__input"
    if isinstance(widget, forms.MultiWidget):
        return ""
    return "hds-text-input__input"


class PortalBoundField(BoundField):
    """A bound field drawn with hds-core's classes, whose text, if it has a limit, is followed
    by the counter that says it (``<id>_count``, which the widget's aria-describedby names)."""

    @property
    def counter_id(self) -> str:
        return f"{self.auto_id}_count"

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if widget is not None and widget is not self.field.widget:
            return attrs
        extra = hds_class(self.field.widget)
        classes = attrs.get("class") or self.field.widget.attrs.get("class", "")
        if extra and extra not in classes.split():
            attrs["class"] = f"{classes} {extra}".strip()
        if counts_characters(self):
            described = attrs.get("aria-describedby") or self.field.widget.attrs.get(
                "aria-describedby", ""
            )
            if self.counter_id not in described.split():
                attrs["aria-describedby"] = f"{described} {self.counter_id}".strip()
        return attrs

    @property
    def widget_only(self) -> SafeString:
        """The widget without its counter (partials/field.html places the counter itself)."""
        return super().as_widget()

    @property
    def counter(self) -> SafeString:
        """The limit, said before it bites; portal.js makes it count what is left."""
        if not counts_characters(self):
            return SafeString("")
        return format_html(
            '<p class="hds-text-input__helper-text char-count" id="{}" data-template="{}">{}</p>',
            self.counter_id,
            gettext("%(left)s characters left of %(limit)s."),
            gettext("At most %(limit)s characters.")
            % {"limit": number_format(self.field.max_length, force_grouping=True)},
        )

    def as_widget(self, widget=None, attrs=None, only_initial=False) -> SafeString:
        html = super().as_widget(widget, attrs, only_initial)
        if only_initial or widget not in (None, self.field.widget):
            return html
        return html + self.counter


# Django's own templates of a plain input and a text area, which every text, number and hidden
# field renders: written out below in Python, the same HTML to the byte (tests/core/
# test_form_widgets.py renders each both ways). Through the template language each widget
# cost a fraction of a millisecond, a tenth of the status report form's CPU (issue 19).
_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("input", "text", "number", "email", "url", "tel", "search", "password", "hidden")
)
_TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"


def _as_text(value: object) -> str:
    """``{{ value|stringformat:'s' }}`` with autoescaping on."""
    text = str(value)
    return text if isinstance(value, SafeData) else escape(text)


def _attrs_html(attrs: dict[str, object]) -> str | None:
    """django/forms/widgets/attrs.html; None for what only the template can say."""
    html = []
    for name, value in attrs.items():
        if not isinstance(name, str):
            return None
        if value is False:
            continue
        html.append(f" {conditional_escape(name)}")
        if value is not True:
            html.append(f'="{_as_text(value)}"')
    return "".join(html)


def _widget_html(template_name: str, context: dict[str, Any]) -> str | None:
    """The widget's HTML as its Django template writes it, or None when it is not one of
    those written out here (or holds anything but plain strings where the template would
    format a value for the language)."""
    if template_name not in _INPUT_TEMPLATES and template_name != _TEXTAREA_TEMPLATE:
        return None
    widget = context.get("widget")
    if not isinstance(widget, dict) or not isinstance(widget.get("name"), str):
        return None
    attrs = _attrs_html(widget.get("attrs") or {})
    if attrs is None:
        return None
    name = conditional_escape(widget["name"])
    value = widget.get("value")
    if template_name == _TEXTAREA_TEMPLATE:
        if value is not None and not isinstance(value, str):
            return None
        text = conditional_escape(value) if value else ""
        return f'<textarea name="{name}"{attrs}>\n{text}</textarea>'
    if not isinstance(widget.get("type"), str):
        return None
    shown = f' value="{_as_text(value)}"' if value is not None else ""
    return f'<input type="{conditional_escape(widget["type"])}" name="{name}"{shown}{attrs}>'


class FormRenderer(DjangoTemplates):
    """Django's form templates with the portal's few overrides (core/form_templates) first, and
    fields drawn with hds-core's classes that say their limits (``PortalBoundField``). Plain
    inputs and text areas are written in Python, as their templates would (``_widget_html``)."""

    bound_field_class = PortalBoundField
    python_widgets = True

    @cached_property
    def _written_out(self) -> frozenset[str]:
        """The templates written out in Python that are Django's own here: one the portal
        overrides (core/form_templates) is rendered as it says."""
        own = Path(forms.__file__).parent / "templates"

        def django_s(name: str) -> bool:
            return Path(self.get_template(name).origin.name).is_relative_to(own)

        if not django_s("django/forms/widgets/attrs.html"):
            return frozenset()
        names = {_TEXTAREA_TEMPLATE} if django_s(_TEXTAREA_TEMPLATE) else set()
        if django_s("django/forms/widgets/input.html"):
            names |= {name for name in _INPUT_TEMPLATES if django_s(name)}
        return frozenset(names)

    def render(self, template_name, context, request=None):
        if self.python_widgets and template_name in self._written_out:
            html = _widget_html(template_name, context)
            if html is not None:
                return html.strip()
        return super().render(template_name, context, request)

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
