"""generate_portfolio: realistic, consistent and deterministic for a seed."""

import datetime as dt

import pytest
from django.db import transaction
from django.db.models import Count

from projects.models import Programme, Project, ReportingPeriod, StatusReport
from sixaika.generator import generate_portfolio

TODAY = dt.date(2026, 11, 23)


def _snapshot():
    generated = Project.objects.filter(code__startswith="G").prefetch_related("cities")
    return [
        (p.code, p.name_fi, p.total_cost, p.granted, p.start_date,
         sorted(c.slug for c in p.cities.all()))
        for p in generated.order_by("code")
    ]  # fmt: skip


@pytest.mark.django_db
def test_same_seed_same_portfolio(org_6aika):
    with transaction.atomic():
        generate_portfolio(projects=25, seed=7, today=TODAY)
        first = _snapshot()
        transaction.set_rollback(True)
    generate_portfolio(projects=25, seed=7, today=TODAY)
    assert _snapshot() == first
    assert len(first) == 25


@pytest.mark.django_db
def test_generated_portfolio_is_consistent(org_6aika):
    result = generate_portfolio(projects=60, seed=3, today=TODAY)
    assert result.projects == 60
    generated = Project.objects.filter(code__startswith="G")
    six_aika = generated.filter(programme__kind=Programme.Kind.SIX_AIKA).annotate(
        n_cities=Count("implementers__organisation__city", distinct=True)
    )
    assert six_aika.exists()
    assert all(p.n_cities >= 2 for p in six_aika), "two-city rule"
    for project in generated.prefetch_related("grants", "implementers"):
        assert project.granted == sum(g.amount for g in project.grants.all())
        assert project.granted <= project.total_cost
        assert sum(1 for i in project.implementers.all() if i.is_lead) == 1
    periods = list(ReportingPeriod.objects.order_by("start_date"))
    assert len(periods) == 8
    assert periods[-1].start_date <= TODAY <= periods[-1].end_date
    reports = StatusReport.objects.filter(project__in=generated).select_related("project", "period")
    assert reports.exists()
    for report in reports:
        assert report.period.start_date <= report.project.end_date
        assert report.period.end_date >= report.project.start_date
    states = set(reports.values_list("state", flat=True))
    assert {"accepted", "draft"} <= states


@pytest.mark.django_db
def test_command_today_makes_the_same_portfolio(org_6aika):
    from io import StringIO

    from django.core.management import CommandError, call_command

    args = ["generate_portfolio", "--projects", "12", "--seed", "5", "--today", "2024-03-15"]
    with transaction.atomic():
        call_command(*args, stdout=StringIO())
        first = _snapshot()
        first_periods = list(ReportingPeriod.objects.values_list("start_date", flat=True))
        transaction.set_rollback(True)
    out = StringIO()
    call_command(*args, stdout=out)
    assert "Generated 12 projects" in out.getvalue()
    assert _snapshot() == first
    assert list(ReportingPeriod.objects.values_list("start_date", flat=True)) == first_periods
    # The current half-year of the given day is the last period.
    assert max(first_periods) == dt.date(2024, 1, 1)
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("generate_portfolio", "--projects", "1", "--today", "15.3.2024")
