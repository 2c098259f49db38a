"""The reports' data: a fixed number of queries whatever the size, and the figures' rules."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from governance.models import City
from reports.selectors import (
    fact_sheet_data,
    meeting_pack_data,
    monitoring_data,
    planned_to_date,
)
from tests.reports import data as reports_data
from tests.reports.data import AS_OF

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("extra", [0, 12])
def test_monitoring_data_is_ten_queries_at_any_size(org_6aika, django_assert_num_queries, extra):
    reports_data.portfolio(extra=extra)
    reports_data.past_board_meeting()
    with django_assert_num_queries(10):
        data = monitoring_data(as_of=AS_OF)
    assert len(data.projects) == 3 + extra
    helsinki = City.objects.get(slug="helsinki")
    with django_assert_num_queries(10):
        city = monitoring_data(as_of=AS_OF, city=helsinki)
    assert {p.name for p in city.projects} == {"Älykäs satama", "Kiertotalouskampus"}


@pytest.mark.parametrize("extra", [0, 12])
def test_meeting_pack_and_fact_sheet_queries_are_fixed(org_6aika, django_assert_num_queries, extra):
    projects = reports_data.portfolio(extra=extra)
    meeting = reports_data.board_meeting(
        starts_at=dt.datetime(2026, 3, 20, 13, 0, tzinfo=timezone.get_current_timezone()),
        decided=False,
    )
    # agenda 7 (its minutes' checkers too: the meeting's time has passed), monitoring 10
    with django_assert_num_queries(17):
        pack = meeting_pack_data(meeting=meeting, as_of=AS_OF)
    assert [item.title for item in pack.items] == ["Hankerahoitus: Datasilta"]
    with django_assert_num_queries(9):  # the project's public page
        sheet = fact_sheet_data(project_id=projects["a"].pk, as_of=AS_OF)
    assert sheet.project.name == "Älykäs satama"


def test_status_change_missing_reports_and_decisions(org_6aika):
    reports_data.portfolio()
    reports_data.past_board_meeting()
    data = monitoring_data(as_of=AS_OF)
    assert [p.name for p in data.worsened] == ["Älykäs satama"]
    assert [p.name for p in data.improved] == ["Datasilta"]
    assert {(m.project.name, m.period.name) for m in data.overdue} == {
        ("Kiertotalouskampus", "1/2025"),
        ("Kiertotalouskampus", "2/2025"),
    }
    # Datasilta's 2/2025 report is submitted, not accepted: spending counts the accepted 1/2025.
    assert {p.name: p.spent for p in data.projects}["Datasilta"] == Decimal("30000")
    assert [d.agenda_item.title for d in data.decisions] == ["Hankerahoitus: Datasilta"]
    # A day before the period's due date the report is missing, not yet overdue.
    early = monitoring_data(as_of=dt.date(2026, 2, 27))
    assert {m.period.name for m in early.not_yet_due} == {"2/2025"}
    assert early.decisions == []  # the meeting was later


def test_plan_spreads_cost_evenly():
    start, end = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    assert planned_to_date(Decimal(365), start, end, dt.date(2024, 12, 31)) == 0
    assert planned_to_date(Decimal(365), start, end, dt.date(2025, 1, 10)) == Decimal(10)
    assert planned_to_date(Decimal(365), start, end, dt.date(2026, 1, 1)) == Decimal(365)
