"""Every form behaves the same way on error (issue 18): the page's aria-describedby ids exist,
a refused sign-in marks the fields it is about, a select's empty choice has a real label, and a
text with a limit says it before the field."""

import re

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from governance.models import City


def _ids(html: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', html))


def _dangling_describedby(html: str) -> list[str]:
    ids = _ids(html)
    return [
        ref
        for refs in re.findall(r'aria-describedby="([^"]+)"', html)
        for ref in refs.split()
        if ref not in ids
    ]


@pytest.mark.django_db
def test_login_page_describes_its_fields_by_ids_that_exist(client):
    html = client.get(reverse("login")).content.decode()
    assert 'name="otp_token"' in html
    assert re.search(
        r'<input[^>]*name="otp_token"[^>]*aria-describedby="id_otp_token_helptext"', html
    )
    assert not _dangling_describedby(html)


@pytest.mark.django_db
def test_failed_login_marks_the_fields_invalid_and_keeps_the_username(client, demo_users):
    response = client.post(
        reverse("login"), {"username": "toimisto", "password": "not-the-password"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html
    for name in ("username", "password"):
        assert re.search(rf'<input[^>]*name="{name}"[^>]*aria-invalid="true"', html), name
    assert not re.search(r'<input[^>]*name="otp_token"[^>]*aria-invalid', html)
    assert re.search(r'<input[^>]*name="username"[^>]*value="toimisto"', html)
    assert not _dangling_describedby(html)


@pytest.mark.django_db
def test_the_empty_choice_of_a_select_has_a_label_in_the_readers_language():
    class Form(forms.Form):
        city = forms.ModelChoiceField(City.objects.all(), required=False)

    with translation.override("fi"):
        html = str(Form()["city"])
    assert "---------" not in html
    assert '<option value="" selected>Ei valittu</option>' in html


@pytest.mark.django_db
def test_a_long_text_says_its_limit_before_the_field(client_as):
    client = client_as("toimisto")
    html = client.get(reverse("coordination:visitor_group_create")).content.decode()
    counters = re.findall(r'<p class="[^"]*\bchar-count\b[^"]*" id="([^"]+)_count"', html)
    assert counters, "no text with a limit on the form"
    for field_id in counters:
        assert re.search(
            rf'id="{field_id}"[^>]*maxlength="\d+"|maxlength="\d+"[^>]*id="{field_id}"', html
        )
    assert "Enintään" in html
