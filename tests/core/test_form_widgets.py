"""Plain inputs and text areas are written in Python (core.forms.FormRenderer): the same HTML,
to the byte, as Django's templates write."""

import pytest
from django import forms
from django.forms.renderers import get_default_renderer
from django.utils.safestring import mark_safe

from core.forms import FormRenderer

WEIRD = "a<b & \"c\" 'd'\n  e"


class Everything(forms.Form):
    text = forms.CharField(max_length=20, help_text="apu")
    optional = forms.CharField(required=False)
    number = forms.IntegerField(required=False)
    decimal = forms.DecimalField(required=False, localize=True)
    email = forms.EmailField(required=False)
    url = forms.URLField(required=False, assume_scheme="https")
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    password = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    area = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=500)
    empty_area = forms.CharField(widget=forms.Textarea, required=False)
    odd = forms.CharField(
        required=False,
        widget=forms.TextInput(
            attrs={
                "data-x": WEIRD,
                "data-safe": mark_safe("<b>"),  # noqa: S308 - what a template would keep as is
                "autofocus": True,
                "disabled": False,
                "data-n": 1234567,
                "inputmode": "decimal",
            }
        ),
    )
    choice = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], required=False)


@pytest.fixture
def templates_only(monkeypatch):
    def render(form: forms.Form) -> str:
        monkeypatch.setattr(FormRenderer, "python_widgets", False)
        try:
            return str(form)
        finally:
            monkeypatch.setattr(FormRenderer, "python_widgets", True)

    return render


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"text": WEIRD, "number": "12", "decimal": "1 234,5", "area": WEIRD, "hidden": "<h>",
         "password": "p&w", "odd": "  x  ", "url": "javascript:alert(1)", "choice": "b"},
        {"text": "", "area": "\nstarts with a new line", "number": "x"},
    ],
)  # fmt: skip
def test_the_same_html_as_django_s_templates(data, templates_only, settings):
    settings.USE_THOUSAND_SEPARATOR = True
    assert isinstance(get_default_renderer(), FormRenderer)
    initial = {"text": "alku", "number": 1234567, "decimal": "1234.50", "area": "x\ny"}
    form = Everything(data, initial=initial)
    ours = str(form)
    assert ours == templates_only(Everything(data, initial=initial))
    assert "<textarea" in ours and 'type="hidden"' in ours  # both paths were taken


def test_a_template_the_portal_overrides_is_rendered_from_it(monkeypatch):
    renderer = FormRenderer()
    assert "django/forms/widgets/text.html" in renderer._written_out
    assert "django/forms/widgets/textarea.html" in renderer._written_out
    # select_option.html is the portal's own (core/form_templates): never written out here.
    assert not any("select" in name for name in renderer._written_out)
