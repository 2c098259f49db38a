"""The portal's "today" is the date in Helsinki (TIME_ZONE), also in the first hours after
midnight, when the date in UTC (and of a server clock in UTC) is still yesterday's."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from projects import services
from projects.models import Project, ReportingPeriod
from tests.projects import factories

# 00:30 on 1 June 2031 in Helsinki (UTC+3) is still 31 May in UTC.
HALF_PAST_MIDNIGHT = dt.datetime(2031, 5, 31, 21, 30, tzinfo=dt.UTC)
HELSINKI_DATE = dt.date(2031, 6, 1)


@pytest.fixture
def half_past_midnight(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: HALF_PAST_MIDNIGHT)


def test_the_clock_is_the_one_the_test_means(half_past_midnight):
    assert settings.TIME_ZONE == "Europe/Helsinki"
    assert timezone.now().date() == dt.date(2031, 5, 31)
    assert timezone.localtime().strftime("%H:%M") == "00:30"
    assert timezone.localdate() == HELSINKI_DATE


def test_a_project_that_starts_today_in_helsinki_is_running(half_past_midnight):
    assert services.status_from_dates(HELSINKI_DATE, None) == Project.Status.RUNNING
    assert services.status_from_dates(None, HELSINKI_DATE - dt.timedelta(days=1)) == (
        Project.Status.CLOSED
    )


@pytest.mark.django_db
def test_a_period_that_begins_today_in_helsinki_can_be_reported_on(
    demo_users, client_as, half_past_midnight
):
    # running when the period begins: only periods within a project's dates are offered
    project = factories.project(
        name="Keskiyön hanke",
        cities=("helsinki", "espoo"),
        start=dt.date(2030, 1, 1),
        end=dt.date(2032, 12, 31),
    )
    ReportingPeriod.objects.create(
        name="Kesä 2031",
        start_date=HELSINKI_DATE,
        end_date=dt.date(2031, 11, 30),
        due_date=dt.date(2031, 12, 31),
    )
    page = client_as("koordinaattori-helsinki").get(reverse("projects:detail", args=[project.pk]))
    assert page.status_code == 200
    assert "Kesä 2031" in page.content.decode()
