"""Limits said before they bite, on every form (issue 18): every text field with a limit
(``max_length``) shows the limit and a counter (``<id>_count``, named by the field's
aria-describedby), whether the form is drawn by ``partials/field.html``, by ``{{ form }}`` or
field by field in a template of its own.

Two walks: every form class of the apps (each of its limited text fields rendered as the
portal renders fields), and every page of ``tests/test_access.py``'s declarations as the first
demo account that may open it (the fields of the forms as the pages really show them,
including those a form adds when it is made).
"""

import copy
import importlib
import inspect
import re
from html.parser import HTMLParser

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.forms import COUNTED_INPUT_TYPES, PortalBoundField
from tests.test_access import ANONYMOUS, EXPECTATIONS, URL_KWARGS, USERS, _expected

MODULES = [
    "sixaika.two_factor",
    "sixaika.accounts_views",
    "governance.forms",
    "projects.forms",
    "calls.forms",
    "coordination.forms",
    "reports.forms",
]
ACCOUNTS = ["toimisto", *[u for u in USERS if u not in ("toimisto", "deactivated")]]

# Pages that must be among those walked with a limited field, so that a broken walk cannot
# pass quietly: a form drawn by partials/field.html, and ones drawn field by field in a
# template of their own (the password reset's e-mail address, the login's username).
KNOWN_PAGES = {"coordination:visitor_group_create", "password_reset", "login"}


def _form_classes():
    for name in MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


def _limited_text_fields(cls):
    for name, field in cls.base_fields.items():
        widget = field.widget
        if not isinstance(field, forms.CharField) or not field.max_length or widget.is_hidden:
            continue
        if isinstance(widget, forms.Textarea) or widget.input_type in COUNTED_INPUT_TYPES:
            yield name, field


def test_every_limited_text_field_of_every_form_class_says_its_limit():
    found = []
    for cls in _form_classes():
        for name, field in _limited_text_fields(cls):
            # The field as the portal renders any form's field: the renderer's bound field.
            probe = type("Probe", (forms.Form,), {name: copy.deepcopy(field)})()
            bound = probe[name]
            assert isinstance(bound, PortalBoundField)
            with translation.override("fi"):
                html = str(bound)
            where = f"{cls.__module__}.{cls.__name__}.{name}"
            found.append(where)
            assert f'maxlength="{field.max_length}"' in html, where
            counter = re.search(
                r'<p class="[^"]*\bchar-count\b[^"]*" id="id_([\w-]+)_count" data-template="[^"]+">'
                r"Enintään ([\d\s]+) merkkiä\.</p>",
                html,
            )
            assert counter and counter.group(1) == name, f"{where}: no counter in {html}"
            assert int(re.sub(r"\s", "", counter.group(2))) == field.max_length, where
            described = re.search(r'aria-describedby="([^"]*)"', html)
            assert described and f"id_{name}_count" in described.group(1).split(), where
    # The walk finds the apps' forms: long texts (text areas) and short ones (names, titles).
    assert len(found) > 20, found


def test_a_field_without_a_limit_or_a_password_gets_no_counter():
    class Form(forms.Form):
        free = forms.CharField()
        secret = forms.CharField(max_length=30, widget=forms.PasswordInput)
        number = forms.IntegerField(max_value=10)
        hidden = forms.CharField(max_length=30, widget=forms.HiddenInput)

    html = str(Form().as_div())
    assert "char-count" not in html and "_count" not in html


class _Fields(HTMLParser):
    """The inputs and text areas of a page with their attributes, and every id on the page."""

    def __init__(self):
        super().__init__()
        self.fields: list[dict[str, str]] = []
        self.ids: dict[str, dict[str, str]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if "id" in attrs:
            self.ids[attrs["id"]] = attrs
        typed = tag == "textarea" or (
            tag == "input" and attrs.get("type", "text") in COUNTED_INPUT_TYPES
        )
        if typed and "maxlength" in attrs:
            self.fields.append(attrs)


def _client(user_key: str, demo_users) -> Client:
    client = Client()
    if user_key != ANONYMOUS:
        client.force_login(
            demo_users[user_key], backend="django.contrib.auth.backends.ModelBackend"
        )
    return client


@pytest.mark.django_db
def test_every_page_says_the_limit_of_every_text_field_with_one(demo_users):
    clients: dict[str, Client] = {}
    walked: dict[str, int] = {}
    failures = []
    for name, rule in EXPECTATIONS.items():
        user_key = next((u for u in [ANONYMOUS, *ACCOUNTS] if _expected(rule, u) == 200), None)
        if user_key is None:
            continue
        client = clients.setdefault(user_key, _client(user_key, demo_users))
        url = reverse(name, kwargs=URL_KWARGS[name]() if name in URL_KWARGS else {})
        page = client.get(url)
        if page.status_code != 200 or page.streaming or "html" not in page["Content-Type"]:
            continue
        parser = _Fields()
        parser.feed(page.content.decode())
        for field in parser.fields:
            if "readonly" in field or "disabled" in field:
                continue
            walked[name] = walked.get(name, 0) + 1
            field_id = field.get("id", "")
            counter = parser.ids.get(f"{field_id}_count")
            label = f"{name}: {field.get('name')}"
            if not field_id or counter is None:
                failures.append(f"{label}: no counter")
            elif "char-count" not in counter.get("class", "").split():
                failures.append(f"{label}: {field_id}_count is not the counter")
            elif f"{field_id}_count" not in field.get("aria-describedby", "").split():
                failures.append(f"{label}: the field does not name its counter")
    assert not KNOWN_PAGES - set(walked), f"not walked: {sorted(KNOWN_PAGES - set(walked))}"
    assert sum(walked.values()) > 30, walked
    assert not failures, "\n".join(failures)


def test_the_limit_is_written_as_the_readers_language_writes_figures():
    class Form(forms.Form):
        story = forms.CharField(max_length=20000, widget=forms.Textarea)

    with translation.override("fi"):
        assert "Enintään 20\xa0000 merkkiä." in str(Form()["story"])
    with translation.override("sv"):
        assert "Högst 20\xa0000 tecken." in str(Form()["story"])
    with translation.override("en"):
        assert "At most 20,000 characters." in str(Form()["story"])
