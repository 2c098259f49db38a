"""Long texts have a limit of their own (governance.validators.LONG_TEXT_MAX_LENGTH): a form says
the limit and the length, the textarea carries it as maxlength, a service's full_clean refuses it
too, and nothing is saved."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse

from core.validators import LONG_TEXT_MAX_LENGTH
from governance import services as governance
from governance.demo import meetings_demo_load
from governance.models import AgendaItem
from projects.models import StatusReport

# Written by the system, never typed by a user: why a report failed.
SYSTEM_TEXTS = {("reports", "report", "error")}

TOO_LONG = "x" * (LONG_TEXT_MAX_LENGTH + 1)


def _text_fields():
    for app in ("governance", "projects", "calls", "coordination", "reports"):
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue
            for field in model._meta.concrete_fields:
                if isinstance(field, models.TextField):
                    yield model, field


def test_every_typed_long_text_of_the_apps_has_the_limit():
    fields = list(_text_fields())
    assert len(fields) > 20  # the walk finds the apps' text fields
    unlimited = [
        f"{model._meta.label}.{field.name}"
        for model, field in fields
        if (model._meta.app_label, model._meta.model_name, field.name) not in SYSTEM_TEXTS
        and not (
            field.max_length == LONG_TEXT_MAX_LENGTH
            and any(
                isinstance(v, MaxLengthValidator) and v.limit_value == LONG_TEXT_MAX_LENGTH
                for v in field.validators
            )
        )
    ]
    assert not unlimited, f"text fields without the long-text limit: {unlimited}"


@pytest.mark.django_db
def test_a_too_long_status_report_narrative_is_refused_and_nothing_saved(client_as):
    report = StatusReport.objects.filter(project__cities__slug="helsinki", state="draft").first()
    version, narrative = report.version, report.narrative
    client = client_as("koordinaattori-helsinki")
    url = reverse("projects:report_edit", args=[report.pk])
    form = client.get(url).content.decode()
    assert f'maxlength="{LONG_TEXT_MAX_LENGTH}"' in form  # the browser stops typing there

    data = {
        "overall_status": "green",
        "schedule_status": "green",
        "budget_status": "green",
        "scope_status": "green",
        "narrative": TOO_LONG,
        "costs_to_date": "10",
        "risks": "",
        "next_steps": "",
        "version": version,
    }
    response = client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert f"enintään {LONG_TEXT_MAX_LENGTH} merkki" in html
    assert f"{LONG_TEXT_MAX_LENGTH + 1})" in html  # the length typed
    report.refresh_from_db()
    assert (report.version, report.narrative) == (version, narrative)


@pytest.mark.django_db
def test_a_too_long_draft_decision_is_refused_by_the_form(client_as):
    meeting = meetings_demo_load().upcoming
    before = AgendaItem.objects.filter(meeting=meeting).count()
    response = client_as("toimisto").post(
        reverse("meetings:item_add", args=[meeting.pk]),
        {"title": "Pitkä esitys", "draft_decision": TOO_LONG},
    )
    assert f"enintään {LONG_TEXT_MAX_LENGTH} merkki" in response.content.decode()
    assert AgendaItem.objects.filter(meeting=meeting).count() == before


@pytest.mark.django_db
def test_a_service_refuses_a_too_long_text_too(demo_users):
    """Not only the forms: a service's full_clean keeps the limit (imports, API, scripts)."""
    meeting = meetings_demo_load().upcoming
    before = AgendaItem.objects.filter(meeting=meeting).count()
    with pytest.raises(ValidationError) as error:
        governance.agenda_item_add(
            meeting=meeting,
            title="Pitkä esitys",
            draft_decision=TOO_LONG,
            by=demo_users["toimisto"],
        )
    assert "draft_decision" in error.value.message_dict
    assert AgendaItem.objects.filter(meeting=meeting).count() == before
