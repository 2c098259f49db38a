"""Monitoring reports as PDF: gather the data, render the HTML, ``html -> bytes`` with WeasyPrint.

WeasyPrint lays out a table again for every page it spans, so long lists are cut into tables of
``CHUNK`` rows (one caption each) and the CSS stays plain; time then grows with the rows, not
with their square. The long lists also take a fixed table layout with their column widths set
in ``pdf/reports/_base.html`` (see docs/benchmarks-reports.md for what each costs).
"""

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from core.charts import (
    SECONDARY,
    Chart,
    Series,
    bar_chart,
    chart_figure,
    line_chart,
    stacked_bar_chart,
)
from core.pdf import html_to_pdf
from core.templatetags.sixaika_format import eur
from governance.models import City, Meeting
from projects.models import RAG, StatusReport

from .models import Report
from .selectors import (
    MonitoringData,
    fact_sheet_data,
    meeting_pack_data,
    monitoring_data,
)

CHUNK = 40
T = TypeVar("T")


@dataclass
class Table:
    caption: str
    rows: Sequence[Any]


def chunks(caption: str, rows: Sequence[T], size: int = CHUNK) -> Iterator[Table]:
    for start in range(0, len(rows), size):
        label = caption if start == 0 else gettext("%(caption)s (continued)") % {"caption": caption}
        yield Table(caption=label, rows=rows[start : start + size])


def _colour_label(value: str) -> str:
    return str(dict(RAG.choices).get(value, "–")) if value else "–"


def monitoring_charts(data: MonitoringData) -> dict[str, Chart]:
    """The portfolio at a glance and its trend over every ended reporting period, for the PDF
    and the report's page: each chart with its title, description and table."""
    by_status = [(label, count) for label, count, _c, _g in data.by_status.rows]
    by_city = [(label, n, granted) for label, n, _c, granted in data.by_city.rows]
    charts = {
        "status": chart_figure(
            key="status",
            title=gettext("Projects by status"),
            description=gettext("How many projects are in each state."),
            draw=lambda labelled_by: bar_chart(by_status, label_id=labelled_by),
            head=[gettext("Status"), gettext("Projects")],
            rows=by_status,
        ),
        "city": chart_figure(
            key="city",
            title=gettext("Granted funding by city"),
            description=gettext("A project counts in full for each of its cities."),
            draw=lambda labelled_by: bar_chart(
                [(label, granted) for label, _n, granted in by_city],
                label_id=labelled_by,
                value_format=eur,
            ),
            head=[gettext("City"), gettext("Projects"), gettext("Granted")],
            rows=[(label, n, eur(granted)) for label, n, granted in by_city],
        ),
    }
    if not data.trend:
        return charts
    no_status = gettext("No status given")
    colours = [(c.value, str(c.label)) for c in RAG] + [("", no_status)]
    periods = [t.period.name for t in data.trend]
    charts["trend_status"] = chart_figure(
        key="trend-status",
        title=gettext("Overall status by reporting period"),
        description=gettext(
            "How many of the handed-in status reports of each period gave each overall status."
        ),
        draw=lambda labelled_by: stacked_bar_chart(
            [
                (t.period.name, [(label, value, t.colours[value]) for value, label in colours])
                for t in data.trend
            ],
            label_id=labelled_by,
        ),
        head=[gettext("Period"), *(label for _v, label in colours), gettext("Reports")],
        rows=[
            (t.period.name, *(t.colours[value] for value, _l in colours), t.reports)
            for t in data.trend
        ],
    )
    charts["trend_spending"] = chart_figure(
        key="trend-spending",
        title=gettext("Costs to date against the plan by reporting period"),
        description=gettext(
            "The costs to date in each period's handed-in status reports, and the same "
            "projects' plan: the total cost spread evenly over the implementation period."
        ),
        draw=lambda labelled_by: line_chart(
            periods,
            [
                Series(gettext("Costs to date"), [t.spent for t in data.trend]),
                Series(
                    gettext("Plan"), [t.planned for t in data.trend], colour=SECONDARY, dash="6 4"
                ),
            ],
            label_id=labelled_by,
            value_format=eur,
        ),
        head=[gettext("Period"), gettext("Costs to date"), gettext("Plan")],
        rows=[(t.period.name, eur(t.spent), eur(t.planned)) for t in data.trend],
    )
    return charts


def monitoring_context(data: MonitoringData) -> dict[str, Any]:
    state_labels = dict(StatusReport.State.choices)
    colour_rows = []
    for _value, label, now, before in data.colours:
        change = now - before
        colour_rows.append((label, now, before, f"{change:+d}" if change else "0"))
    for row in data.projects:
        row.colour_label = _colour_label(row.colour)
    change_tables = []
    for title, rows in (
        (gettext("Status worsened"), data.worsened),
        (gettext("Status improved"), data.improved),
    ):
        display = [(p.name, _colour_label(p.previous_colour), p.colour_label) for p in rows]
        change_tables.extend(chunks(title, display))
    for m in data.missing:
        m.state_label = state_labels.get(m.state, gettext("Not started"))
    missing_tables = [
        *chunks(gettext("Overdue"), data.overdue),
        *chunks(gettext("Not yet due"), data.not_yet_due),
    ]
    by_programme: dict[str, list] = {}
    for row in data.projects:
        by_programme.setdefault(row.programme, []).append(row)
    project_tables = [
        table for name, rows in sorted(by_programme.items()) for table in chunks(name, rows)
    ]
    if data.period and data.previous_period:
        caption = gettext("Overall status in %(period)s and in %(previous)s") % {
            "period": data.period,
            "previous": data.previous_period,
        }
    else:
        caption = gettext("Overall status in %(period)s") % {"period": data.period}
    return {
        "data": data,
        "charts": monitoring_charts(data),
        "colour_rows": colour_rows,
        "colour_caption": caption,
        "change_tables": change_tables,
        "missing_tables": missing_tables,
        "project_tables": project_tables,
    }


def monitoring_summary(data: MonitoringData, charts: dict[str, str]) -> dict[str, Any]:
    """What the report's page shows in the browser: key figures and the same charts."""
    return {
        "projects": len(data.projects),
        "total_cost": str(data.total_cost),
        "granted": str(data.granted),
        "spent": str(data.spent),
        "spend_rate": str(data.spend_rate) if data.spend_rate is not None else None,
        "overdue": len(data.overdue),
        "charts": [str(chart.html) for chart in charts.values()],
    }


def report_title(report: Report) -> str:
    if report.kind == Report.Kind.CITY:
        return gettext("City report: %(city)s") % {"city": report.city}
    if report.kind == Report.Kind.PROJECT:
        return gettext("Project fact sheet: %(project)s") % {"project": report.project}
    if report.kind == Report.Kind.MEETING_PACK:
        return gettext("Meeting pack: %(meeting)s") % {"meeting": report.meeting}
    return gettext("Board monitoring report")


def render_html(report: Report) -> tuple[str, dict[str, Any], dt.datetime]:
    """The report's HTML in its language, the summary for the browser and the data's cut-off."""
    as_of = report.as_of
    context: dict[str, Any] = {"LANGUAGE_CODE": report.language, "as_of": as_of}
    summary: dict[str, Any] = {}
    if report.kind in (Report.Kind.BOARD, Report.Kind.CITY):
        city = City.objects.get(pk=report.city_id) if report.kind == Report.Kind.CITY else None
        data = monitoring_data(as_of=as_of, city=city)
        context.update(monitoring_context(data))
        summary = monitoring_summary(data, context["charts"])
        template, cutoff = "pdf/reports/monitoring.html", data.cutoff
    elif report.kind == Report.Kind.PROJECT:
        sheet = fact_sheet_data(project_id=report.project_id, as_of=as_of)
        context["sheet"] = sheet
        summary = {
            "total_cost": str(sheet.project.total_cost),
            "granted": str(sheet.project.granted),
        }
        template, cutoff = "pdf/reports/project.html", sheet.cutoff
    else:
        meeting = Meeting.objects.select_related("body").get(pk=report.meeting_id)
        pack = meeting_pack_data(meeting=meeting, as_of=as_of)
        context["pack"] = pack
        context.update(monitoring_context(pack.monitoring))
        summary = monitoring_summary(pack.monitoring, context["charts"])
        template, cutoff = "pdf/reports/meeting_pack.html", pack.monitoring.cutoff
    context["title"] = report_title(report)
    context["cutoff"] = cutoff
    return render_to_string(template, context), summary, cutoff


def report_pdf(report: Report) -> tuple[bytes, dict[str, Any], dt.datetime]:
    """The PDF of ``report`` (tagged PDF/UA-1, the document language set), its summary and the
    data's cut-off time. Finnish unless the report asks for English."""
    with translation.override(report.language):
        html, summary, cutoff = render_html(report)
        return html_to_pdf(html), summary, cutoff
