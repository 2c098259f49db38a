"""The portfolio's and a project's charts (core/charts.py draws them): funding by city, theme
and year; a project's costs against its plan over the reporting periods; its indicators
against their targets."""

from collections.abc import Sequence
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext

from core.charts import SECONDARY, Chart, Series, bar_chart, chart_figure, line_chart
from core.templatetags.sixaika_format import eur, percent

from .models import Indicator, Project, StatusReport
from .selectors import HANDED_IN_STATES, FundingRow, planned_to_date


def _funding_chart(key: str, title: str, description: str, label: str, rows: list[FundingRow]):
    return chart_figure(
        key=key,
        title=title,
        description=description,
        draw=lambda labelled_by: bar_chart(
            [(r.label, r.granted) for r in rows], label_id=labelled_by, value_format=eur
        ),
        head=[label, gettext("Projects"), gettext("Granted")],
        rows=[(r.label, r.projects, eur(r.granted)) for r in rows],
    )


def portfolio_charts(funding: dict[str, list[FundingRow]]) -> list[Chart]:
    return [
        _funding_chart(
            "city",
            gettext("Granted funding by city"),
            gettext("A project counts in full for each of its cities."),
            gettext("City"),
            funding["city"],
        ),
        _funding_chart(
            "theme",
            gettext("Granted funding by theme"),
            gettext("Each project counts once, under its theme."),
            gettext("Theme"),
            funding["theme"],
        ),
        _funding_chart(
            "year",
            gettext("Granted funding by starting year"),
            gettext("Each project counts once, in the year it starts."),
            gettext("Year"),
            funding["year"],
        ),
    ]


def spending_chart(project: Project, reports: Sequence[StatusReport]) -> Chart | None:
    """Costs to date in each handed-in report against the plan at the end of its period (the
    total cost spread evenly over the implementation period); None without such a report."""
    points = sorted(
        (r for r in reports if r.state in HANDED_IN_STATES and r.costs_to_date is not None),
        key=lambda r: r.period.start_date,
    )
    if not points:
        return None
    labels = [r.period.name for r in points]
    spent = [r.costs_to_date for r in points]
    planned = [
        planned_to_date(project.total_cost, project.start_date, project.end_date, r.period.end_date)
        for r in points
    ]
    return chart_figure(
        key="spending",
        title=gettext("Costs to date against the plan"),
        description=gettext(
            "Costs to date as each handed-in status report gives them, and the plan: the total "
            "cost spread evenly over the implementation period."
        ),
        draw=lambda labelled_by: line_chart(
            labels,
            [
                Series(gettext("Costs to date"), spent),
                Series(gettext("Plan"), planned, colour=SECONDARY, dash="6 4"),
            ],
            label_id=labelled_by,
            value_format=eur,
        ),
        head=[gettext("Period"), gettext("Costs to date"), gettext("Plan")],
        rows=[(label, eur(s), eur(p)) for label, s, p in zip(labels, spent, planned, strict=True)],
    )


def _amount(value: Decimal, unit: str) -> str:
    return f"{number_format(value.normalize(), use_l10n=True, force_grouping=True)} {unit}"


def indicator_chart(indicators: Sequence[Indicator]) -> Chart | None:
    """Each indicator's achievement as a share of its target; None without targets."""
    rows = [i for i in indicators if i.target]
    if not rows:
        return None
    shares = [(f"{i.code} {i.name}", Decimal(i.achieved or 0) / Decimal(i.target)) for i in rows]
    return chart_figure(
        key="indicators",
        title=gettext("Indicators against their targets"),
        description=gettext("How much of each target has been achieved, as a percentage."),
        draw=lambda labelled_by: bar_chart(shares, label_id=labelled_by, value_format=percent),
        head=[gettext("Indicator"), gettext("Target"), gettext("Achieved"), gettext("Progress")],
        rows=[
            (
                label,
                _amount(i.target, i.unit),
                _amount(i.achieved or Decimal(0), i.unit),
                percent(s),
            )
            for (label, s), i in zip(shares, rows, strict=True)
        ],
    )
