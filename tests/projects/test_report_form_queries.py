"""The status report form (GET, invalid POST, valid POST) issues a fixed number of queries
whatever the project's indicators and the report's history."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from projects import services
from projects.models import StatusReport

from . import factories


@pytest.fixture
def report_of(demo_users):
    def make(indicators: int) -> StatusReport:
        project = factories.project(cities=("helsinki", "espoo"))
        for i in range(indicators):
            services.indicator_upsert(
                project=project, code=f"I{i}", name=f"Mittari {i}", unit="kpl", target=Decimal(100)
            )
        (period,) = services.reporting_periods_generate(
            first_start=dt.date(2016, 1, 1), months=6, count=1
        )
        return services.status_report_start(
            project=project, period=period, by=demo_users["koordinaattori-helsinki"]
        )

    return make


def _valid(report: StatusReport) -> dict[str, str]:
    data = {
        "version": str(report.version),
        "overall_status": "green",
        "schedule_status": "green",
        "budget_status": "amber",
        "scope_status": "green",
        "narrative": "Edennyt.",
        "costs_to_date": "1 000",
        "risks": "",
        "next_steps": "",
    }
    for indicator in report.project.indicators.all():
        data[f"indicator_{indicator.pk}"] = "5"
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("indicators", [1, 8])
def test_report_form_query_counts_are_fixed(
    client_as, report_of, django_assert_num_queries, indicators
):
    report = report_of(indicators)
    client = client_as("koordinaattori-helsinki")
    url = reverse("projects:report_edit", args=[report.pk])
    client.get(url)  # warm the session and role caches
    valid = _valid(report)
    # The same number with 1 or 8 indicators: nothing is read or written per indicator. A page
    # that renders counts the seats query of the menu's Meetings link (can_list_meetings). The
    # session is read from Redis (core/sessions.py), the user with their roles (core/auth.py).
    # The report is read with whether the user's cities take part in its project, the
    # indicators with the values the report states; a draft's page does not read the office's
    # last comment (a returned report's does).
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.status_code == 200
    with django_assert_num_queries(6):
        response = client.post(url, {**valid, "overall_status": "purple"})
    assert response.status_code == 400
    assert StatusReport.objects.get(pk=report.pk).version == report.version
    # The save validates the content only (services.status_report_update): not the unchanged
    # project's, period's and editor's existence, nor the one report per period, nor (in a
    # savepoint) the check constraint its field's validator already says; the project is not
    # read again, the indicators and the stored values are read together.
    with django_assert_num_queries(13):
        response = client.post(url, valid)
    assert response.status_code == 302
    saved = StatusReport.objects.get(pk=report.pk)
    assert saved.version == report.version + 1 and saved.overall_status == "green"
    assert saved.indicator_values.count() == indicators


@pytest.mark.django_db
def test_saving_updates_and_removes_indicator_values(client_as, report_of):
    report = report_of(3)
    client = client_as("koordinaattori-helsinki")
    url = reverse("projects:report_edit", args=[report.pk])
    client.post(url, _valid(report))
    first, second, third = report.project.indicators.order_by("code")
    data = {**_valid(report), "version": str(report.version + 1)}
    data[f"indicator_{first.pk}"] = "7,5"
    data[f"indicator_{second.pk}"] = ""
    assert client.post(url, data).status_code == 302
    values = dict(
        StatusReport.objects.get(pk=report.pk).indicator_values.values_list(
            "indicator__code", "achieved"
        )
    )
    assert values == {first.code: Decimal("7.5"), third.code: Decimal("5")}
    data[f"indicator_{third.pk}"] = "-1"
    data["version"] = str(report.version + 2)
    response = client.post(url, data)
    assert response.status_code == 400
    assert StatusReport.objects.get(pk=report.pk).version == report.version + 2
