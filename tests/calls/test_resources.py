"""The applications import's django-import-export resource (calls/resources.py): cells read by
the portfolio import's widgets (one parser for amounts and dates), a repeat found before any
row is written, refusals by row and column, all or nothing; and the office's way to it in the
admin."""

from decimal import Decimal

import pytest
import tablib
from django.urls import reverse
from django.utils.translation import override

from calls import services as calls_services
from calls.models import Application
from calls.resources import ApplicationResource
from projects.resources import AmountWidget, DateWidget

from . import factories as f

pytestmark = pytest.mark.django_db

HEADERS = ["title", "stage", "applicant", "co_applicants", "summary", "budget", "requested"]


@pytest.fixture
def office(org_6aika):
    return f.office_user()


@pytest.fixture
def the_call(office):
    return f.call(by=office)


def dataset(*rows: dict[str, str]) -> tablib.Dataset:
    data = tablib.Dataset(headers=HEADERS)
    good = {
        "stage": "",
        "applicant": "Oulun kaupunki",
        "co_applicants": "Espoon kaupunki",
        "summary": "Tiivistelmä\ntoisella rivillä",
        "budget": "100 000",
        "requested": "50000,50",
    }
    for row in rows:
        values = {**good, **row}
        data.append([values.get(h, "") for h in HEADERS])
    return data


def run(resource: ApplicationResource, data: tablib.Dataset):
    return resource.import_data(
        data, dry_run=False, use_transactions=True, rollback_on_validation_errors=True
    )


def test_the_amounts_and_dates_are_read_by_the_portfolio_imports_widgets():
    resource = ApplicationResource(call=None, by=None, today=None, numbers=[])
    for column in ("budget", "requested"):
        assert isinstance(resource.fields[column].widget, AmountWidget)
    for column in ("start_date", "end_date"):
        assert isinstance(resource.fields[column].widget, DateWidget)
    with override("fi"):
        assert "ei ole euromäärä" in str(_refusal(resource, "budget", "1e5"))
        assert "negatiivinen" in str(_refusal(resource, "budget", "-1"))


def _refusal(resource, column, value):
    try:
        resource.fields[column].widget.clean(value)
    except ValueError as refusal:
        return refusal
    raise AssertionError(f"{value!r} was read")


def test_good_rows_are_registered_as_written(the_call, office):
    resource = ApplicationResource(call=the_call, by=office, today=f.TODAY, numbers=[2, 3])
    result = run(resource, dataset({"title": "Datasilta"}, {"title": "Satamat", "stage": "full"}))
    assert not result.has_validation_errors(), [i.error_dict for i in result.invalid_rows]
    assert [a.title for a in resource.created] == ["Datasilta", "Satamat"]
    first = Application.objects.get(title="Datasilta")
    assert (first.stage, first.budget, first.requested) == (
        Application.Stage.FULL,
        Decimal("100000"),
        Decimal("50000.50"),
    )
    assert first.summary == "Tiivistelmä\ntoisella rivillä"  # a summary keeps its lines
    assert first.co_applicants.get().name == "Espoon kaupunki"


def test_a_refused_row_is_an_invalid_row_by_column_and_nothing_is_saved(the_call, office):
    resource = ApplicationResource(call=the_call, by=office, today=f.TODAY, numbers=[2, 4, 5])
    with override("en"):
        result = run(
            resource,
            dataset(
                {"title": "Hyvä"},
                {"title": "Huono", "applicant": "Tuntematon Oy", "stage": "Idea"},
                {"title": "hyvä"},
            ),
        )
    assert Application.objects.count() == 0
    assert [i.number for i in result.invalid_rows] == [2, 3]
    errors = result.invalid_rows[0].error_dict
    assert errors["applicant"] == ["Unknown organisation “Tuntematon Oy”: add it first."]
    assert errors["stage"] == ["The stage is “idea” or “full”, not “Idea”."]
    # the file's row numbers, found before any row was written
    assert result.invalid_rows[1].error_dict["title"] == ["The same title is already on row 2."]


def test_the_service_refusal_is_the_rows(the_call, office):
    resource = ApplicationResource(
        call=the_call, by=office, today=the_call.closes_on.replace(day=31, month=12), numbers=[2]
    )
    with override("en"):
        result = run(resource, dataset({"title": "Myöhässä"}))
    assert "no new applications" in result.invalid_rows[0].error_dict["__all__"][0]
    assert Application.objects.count() == 0


def test_the_import_is_the_resources_result(the_call, office, monkeypatch):
    seen = []
    original = ApplicationResource.import_data

    def spy(self, data, **kwargs):
        seen.append(len(data))
        return original(self, data, **kwargs)

    monkeypatch.setattr(ApplicationResource, "import_data", spy)
    data = b"title;applicant;summary;budget;requested\nA;Oulun kaupunki;T;2;1\n"
    result = calls_services.applications_import(call=the_call, data=data, by=office, today=f.TODAY)
    assert result.errors == [] and seen == [1]


def test_the_calls_admin_page_leads_to_the_same_import(client_as, demo_users):
    """The office's way to the import in the admin: the call's page links the import page,
    which runs the resource above (no second, laxer import in the admin)."""
    call = f.call(by=demo_users["toimisto"])
    office = client_as("toimisto")
    page = office.get(reverse("admin:calls_call_change", args=[call.pk]))
    assert page.status_code == 200
    url = reverse("calls:application_import", args=[call.pk])
    assert f'href="{url}"' in page.content.decode()
    assert office.get(url).status_code == 200
