"""Reads for the portfolio pages, each function the whole query plan of a page or a section."""

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import (
    Count,
    Exists,
    Model,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Window,
)
from django.db.models.functions import ExtractYear
from django.utils.translation import get_language, gettext
from guardian.models import UserObjectPermission

from core.models import Transition
from core.translated import Translated
from governance.models import City

from . import portfolio_cache
from .models import (
    Action,
    Grant,
    Implementer,
    Indicator,
    Project,
    ReportingPeriod,
    StatusReport,
    StatusReportIndicatorValue,
)


def report_form_indicators(report: StatusReport, *, stated: bool) -> list[Indicator]:
    """The project's indicators, as the report form lists them; with ``stated``, each with the
    value the report states for it (``indicator.stated``, None for none) in the same query."""
    indicators = Indicator.objects.filter(project_id=report.project_id)
    if stated:
        value = StatusReportIndicatorValue.objects.filter(report=report, indicator=OuterRef("pk"))
        indicators = indicators.annotate(stated=Subquery(value.values("achieved")[:1]))
    return list(indicators)


def portfolio() -> QuerySet[Project]:
    """The list's rows: programme, theme, lead implementer and cities in three queries."""
    leads = Implementer.objects.filter(is_lead=True).select_related("organisation")
    return Project.objects.select_related("programme", "theme").prefetch_related(
        Prefetch("implementers", queryset=leads, to_attr="leads"),
        "cities",
    )


def portfolio_list() -> QuerySet[Project]:
    """The public list's rows: the columns a row shows, with its programme, lead implementers
    (``leads``) and cities (``city_list``) in three queries. The rest of a project's columns
    (summaries, notes) are left unread: reading and building them was most of the query's cost."""
    leads = (
        Implementer.objects.filter(is_lead=True)
        .select_related("organisation")
        .only("project", "organisation__name")
    )
    cities = City.objects.only("name", "name_fi", "name_sv", "name_en")
    return (
        Project.objects.select_related("programme")
        .only(
            "code",
            "name",
            "name_fi",
            "name_sv",
            "name_en",
            "programme__name",
            "programme__name_fi",
            "programme__name_sv",
            "programme__name_en",
            "needs_completion",
            "start_date",
            "end_date",
            "total_cost",
            "granted",
            "status",
        )
        .prefetch_related(
            Prefetch("implementers", queryset=leads, to_attr="leads"),
            Prefetch("cities", queryset=cities, to_attr="city_list"),
        )
    )


class PortfolioRow(NamedTuple):
    """What a row of the public list shows, in the active language: the row's template renders
    this and nothing else, once per value (core.fragments)."""

    pk: int
    name: str
    code: str
    programme: str
    needs_completion: bool
    leads: tuple[str, ...]
    cities: tuple[str, ...]
    start_date: dt.date | None
    end_date: dt.date | None
    total_cost: Decimal
    granted: Decimal
    status: str


def portfolio_rows(projects: Iterable[Project]) -> list[PortfolioRow]:
    """The rows of a page of ``portfolio_list()``: no query of their own."""
    statuses = dict(Project.Status.choices)
    return [
        PortfolioRow(
            pk=project.pk,
            name=project.name,
            code=project.code,
            programme=project.programme.name,
            needs_completion=project.needs_completion,
            leads=tuple(lead.organisation.name for lead in project.leads),
            cities=tuple(city.name for city in project.city_list),
            start_date=project.start_date,
            end_date=project.end_date,
            total_cost=project.total_cost,
            granted=project.granted,
            status=str(statuses.get(project.status, project.status)),
        )
        for project in projects
    ]


def portfolio_totals(queryset: QuerySet[Project], *, whole: bool = False) -> dict[str, object]:
    """Count, total cost and granted of a (filtered) portfolio: one query, or none when cached.
    Totals are cached under the portfolio's version (bumped when a project, its funding, its
    implementers, its cities or an organisation change) and the statement that counts them,
    so a search or filter asked again costs no scan of the portfolio (issue 19: the search's
    count and totals were an ILIKE over every project on every request)."""
    counted = queryset.order_by()
    if whole:
        what = "whole"
    else:
        sql, params = counted.query.sql_with_params()
        what = hashlib.sha256(f"{sql}|{params!r}".encode()).hexdigest()
    key = f"projects:portfolio-totals:{portfolio_cache.portfolio_version()}:{what}"
    totals = cache.get(key)
    if totals is None:
        totals = counted.aggregate(
            count=Count("pk"), total_cost=Sum("total_cost"), granted=Sum("granted")
        )
        cache.set(key, totals, portfolio_cache.TIMEOUT)
    return totals


def portfolio_list_version() -> str:
    """What the portfolio list's pages are kept under (core.pagination): its order and filters
    read projects, their funding, implementers, organisations and cities."""
    return portfolio_cache.portfolio_version()


def report_list_version() -> str:
    """What the status report list's pages are kept under (core.pagination): its order reads
    the periods and the projects' names, its rows the reports' states and the projects' cities
    (who may read a draft)."""
    return portfolio_cache.portfolio_and_reports_version()


def planned_to_date(
    total_cost: Decimal, start: dt.date | None, end: dt.date | None, as_of: dt.date
) -> Decimal:
    """The plan: the total cost spread evenly over the implementation period."""
    if not start or not end or as_of < start:
        return Decimal(0)
    if as_of >= end:
        return total_cost
    elapsed = (as_of - start).days + 1
    length = (end - start).days + 1
    return (total_cost * elapsed / length).quantize(Decimal("0.01"))


# A status report counts for the charts once it has been handed in.
HANDED_IN_STATES = (
    StatusReport.State.SUBMITTED,
    StatusReport.State.RESUBMITTED,
    StatusReport.State.ACCEPTED,
)


class FundingRow(NamedTuple):
    label: str
    projects: int
    granted: Decimal


def portfolio_funding() -> dict[str, list[FundingRow]]:
    """The whole portfolio's granted funding by city (a project counts for each of its cities),
    by theme and by the year the project starts: three queries, cached until the portfolio
    changes."""
    key = f"projects:portfolio-funding:{portfolio_cache.portfolio_version()}"
    funding = cache.get(key)
    if funding is not None:
        return funding
    by_city = [
        FundingRow(c.name, c.n, c.granted or Decimal(0))
        for c in City.objects.annotate(
            n=Count("projects", distinct=True), granted=Sum("projects__granted")
        ).order_by("order", "pk")
    ]
    by_theme = [
        FundingRow(r["theme__name"] or gettext("No theme"), r["n"], r["granted"] or Decimal(0))
        for r in Project.objects.values("theme__name")
        .annotate(n=Count("pk"), granted=Sum("granted"))
        .order_by("-granted", "theme__name")
    ]
    by_year = [
        FundingRow(str(r["year"]) if r["year"] else gettext("No start date"), r["n"], r["granted"])
        for r in Project.objects.annotate(year=ExtractYear("start_date"))
        .values("year")
        .annotate(n=Count("pk"), granted=Sum("granted"))
        .order_by("year")
    ]
    funding = {"city": by_city, "theme": by_theme, "year": by_year}
    cache.set(key, funding, portfolio_cache.TIMEOUT)
    return funding


def portfolio_export_rows(queryset: QuerySet[Project]) -> QuerySet[Project]:
    """The export's rows: everything an import column needs."""
    return queryset.select_related("programme", "theme").prefetch_related(
        Prefetch(
            "implementers",
            queryset=Implementer.objects.select_related("organisation"),
        ),
        Prefetch("grants", queryset=Grant.objects.select_related("funder")),
        "cities",
        "target_groups",
    )


def project_detail(pk: int) -> Project:
    """A project's public page."""
    top_actions = Action.objects.filter(parent__isnull=True).prefetch_related("sub_actions")
    return (
        Project.objects.select_related("programme", "theme", "parent")
        .prefetch_related(
            Prefetch(
                "implementers",
                queryset=Implementer.objects.select_related("organisation__city"),
            ),
            Prefetch("grants", queryset=Grant.objects.select_related("funder")),
            "city_contributions__city",
            "cities",
            "target_groups",
            Prefetch("actions", queryset=top_actions, to_attr="top_actions"),
            "indicators",
            "children",
        )
        .get(pk=pk)
    )


def project_reports(project: Project) -> list[StatusReport]:
    """The project's status reports with their timeline of transitions: two queries."""
    transitions = Transition.objects.select_related("by")
    return list(
        project.status_reports.select_related("period", "updated_by")
        .prefetch_related(Prefetch("transitions", queryset=transitions))
        .order_by("-period__start_date")
    )


def report_detail(report: StatusReport) -> StatusReport:
    transitions = Transition.objects.select_related("by")
    return (
        StatusReport.objects.select_related("project", "period", "updated_by")
        .prefetch_related(
            Prefetch("transitions", queryset=transitions),
            "indicator_values__indicator",
            "project__indicators",
        )
        .get(pk=report.pk)
    )


def open_periods(*, project: Project, today: dt.date) -> QuerySet[ReportingPeriod]:
    """Periods the project's report can be started (or reopened) for: begun already, within
    the project's implementation, and without a report of the project that is submitted or
    accepted (a draft or a returned one is still open). One query."""
    periods = ReportingPeriod.objects.filter(start_date__lte=today)
    if project.start_date:
        periods = periods.filter(end_date__gte=project.start_date)
    if project.end_date:
        periods = periods.filter(start_date__lte=project.end_date)
    closed = StatusReport.objects.filter(
        project=project, period=OuterRef("pk"), state__in=CLOSED_STATES
    )
    return periods.exclude(Exists(closed)).order_by("-start_date")


def flagged_projects() -> QuerySet[Project]:
    """Projects imported without all the data their programme requires."""
    return portfolio().filter(needs_completion=True).order_by("name_fi")


@dataclass
class Obligation:
    """A report a running project owes for a period, if it is not yet submitted."""

    project: Project
    period: ReportingPeriod
    report: StatusReport | None
    today: dt.date

    @property
    def returned(self) -> bool:
        return self.report is not None and self.report.state == StatusReport.State.RETURNED

    @property
    def overdue(self) -> bool:
        return self.period.due_date < self.today

    @property
    def due_soon(self) -> bool:
        return not self.overdue


# The obligations as one SQL statement of two parts, each of which an index can start from:
# (1) the cities' running projects x the periods due by the horizon that overlap the project's
# implementation, left-joined to the pair's report (one at most: report_once_per_period) and kept
# when there is none or it is a draft; (2) every returned report of the cities' projects, whatever
# the project's status or the period (a project that has ended still owes its corrected report).
# A returned report is only in (2) and a closed one (submitted, resubmitted, accepted) in
# neither, so the parts never overlap. The one statement of an OR over both used to start from
# every project in the cities x every period and probe the reports twice for each pair (issue
# 19: 50 ms at 5 000 projects): split, part (1) reads only running projects
# (project_status_name_idx) and part (2) only returned reports (report_state_period_idx).
# Each row says which list it belongs to; with a limit, ROW_NUMBER keeps the first rows of each
# list (by period, then project name) and COUNT counts them all. The rows carry the project's
# names, all the lists show of it.
# Portable to SQLite (the embedded default): no ANY(), window functions from SQLite 3.25.
_OBLIGATIONS_SQL = """
SELECT p.id AS obligation_project_id, p.name AS obligation_name_shown, p.name_fi AS obligation_name,
       p.name_sv AS obligation_name_sv, p.name_en AS obligation_name_en,
       per.id AS obligation_period_id, per.start_date AS obligation_start,
       r.id AS obligation_report_id, r.state AS obligation_report_state,
       r.version AS obligation_report_version,
       CASE WHEN per.due_date < %s THEN 'overdue' ELSE 'due_soon' END AS obligation_kind
FROM {project} p
JOIN {period} per
  ON per.due_date <= %s
 AND (p.start_date IS NULL OR per.end_date >= p.start_date)
 AND (p.end_date IS NULL OR per.start_date <= p.end_date)
LEFT JOIN {report} r ON r.project_id = p.id AND r.period_id = per.id
WHERE p.status = %s
  AND (r.id IS NULL OR r.state = %s)
  AND EXISTS (SELECT 1 FROM {cities} pc WHERE pc.project_id = p.id AND pc.city_id IN ({ids}))
UNION ALL
SELECT p.id, p.name, p.name_fi, p.name_sv, p.name_en, per.id, per.start_date,
       r.id, r.state, r.version, 'returned'
FROM {report} r
JOIN {project} p ON p.id = r.project_id
JOIN {period} per ON per.id = r.period_id
WHERE r.state = %s
  AND EXISTS (SELECT 1 FROM {cities} pc WHERE pc.project_id = p.id AND pc.city_id IN ({ids}))
"""

_OBLIGATIONS_ALL_SQL = """
SELECT p.*, o.* FROM ({inner}) o JOIN {project} p ON p.id = o.obligation_project_id
ORDER BY o.obligation_start, o.obligation_name, o.obligation_project_id
"""

# The paged statement (the home page's lists) reads the project's names in the parts: all the
# lists show of it, so the rows are not joined to the projects again.
_OBLIGATIONS_PAGED_SQL = """
SELECT ranked.obligation_project_id AS id, ranked.obligation_name_shown AS name,
       ranked.obligation_name AS name_fi, ranked.obligation_name_sv AS name_sv,
       ranked.obligation_name_en AS name_en, ranked.* FROM (
    SELECT o.*,
           ROW_NUMBER() OVER (PARTITION BY o.obligation_kind ORDER BY o.obligation_start,
                              o.obligation_name, o.obligation_project_id) AS obligation_rank,
           COUNT(*) OVER (PARTITION BY o.obligation_kind) AS obligation_total
    FROM ({inner}) o
) ranked
WHERE ranked.obligation_rank <= %s
ORDER BY ranked.obligation_start, ranked.obligation_name, ranked.obligation_project_id
"""

OPEN_STATES = (StatusReport.State.DRAFT, StatusReport.State.RETURNED)
CLOSED_STATES = tuple(s for s in StatusReport.State if s not in OPEN_STATES)


def obligations_sql(
    *, city_ids: list[int], today: dt.date, horizon: dt.date, limit: int | None
) -> tuple[str, list[object]]:
    """The obligations statement and its parameters (bench/explain.py shows its plan)."""
    project = Project._meta.db_table
    inner = _OBLIGATIONS_SQL.format(
        project=project,
        period=ReportingPeriod._meta.db_table,
        report=StatusReport._meta.db_table,
        cities=Project.cities.through._meta.db_table,
        ids=", ".join(["%s"] * len(city_ids)),
    )
    params: list[object] = [
        today,
        horizon,
        Project.Status.RUNNING.value,
        StatusReport.State.DRAFT.value,
        *city_ids,
        StatusReport.State.RETURNED.value,
        *city_ids,
    ]
    if limit is None:
        return _OBLIGATIONS_ALL_SQL.format(inner=inner, project=project), params
    return _OBLIGATIONS_PAGED_SQL.format(inner=inner, project=project), [*params, limit]


def _obligation_rows(
    *, city_ids: list[int], today: dt.date, horizon: dt.date, limit: int | None
) -> list[Project]:
    """Projects (one per obligation) annotated with ``obligation_*`` columns: one query."""
    sql, params = obligations_sql(city_ids=city_ids, today=today, horizon=horizon, limit=limit)
    return list(Project.objects.raw(sql, params))


def _obligation(row: Project, periods: dict[int, ReportingPeriod], today: dt.date) -> Obligation:
    report = None
    if row.obligation_report_id is not None:
        # The columns the lists need, read with the row: no query per report.
        report = StatusReport(
            pk=row.obligation_report_id,
            project_id=row.pk,
            period_id=row.obligation_period_id,
            state=row.obligation_report_state,
            version=row.obligation_report_version,
        )
    return Obligation(
        project=row, period=periods[row.obligation_period_id], report=report, today=today
    )


def report_obligations(
    *, city_ids: list[int], today: dt.date, window_days: int = 14
) -> list[Obligation]:
    """Reports of the cities' running projects that are due within ``window_days``, overdue,
    or returned, and not yet (re)submitted, by period and project name: two queries whatever
    the numbers."""
    horizon = today + dt.timedelta(days=window_days)
    periods = ReportingPeriod.objects.in_bulk()  # a returned report's period may be any
    if not periods or not city_ids:
        return []
    rows = _obligation_rows(city_ids=city_ids, today=today, horizon=horizon, limit=None)
    return [_obligation(row, periods, today) for row in rows]


HOME_LIST_LIMIT = 25


class ProjectRef(NamedTuple):
    pk: int
    name: str


class PeriodRef(NamedTuple):
    name: str
    due_date: dt.date


class ReportRef(NamedTuple):
    pk: int
    state: str  # the label, in the active language


class ObligationRow(NamedTuple):
    """A line of the coordinator's lists (``kind``: returned, overdue, due_soon): plain values
    in the active language, so that its template renders this and nothing else, once per value
    (core.fragments)."""

    kind: str
    project: ProjectRef
    period: PeriodRef
    report: ReportRef | None


class ProjectLinkRow(NamedTuple):
    """A project as a link with its status, in the active language (core.fragments)."""

    pk: int
    name: str
    status: str


def coordinator_home(*, city_ids: list[int], today: dt.date) -> dict[str, object]:
    """The coordinator's section of the home page: their cities' projects and open reports.

    Three queries at any size: the projects (names and statuses: that is all the section
    shows), the periods due, and the first HOME_LIST_LIMIT obligations of each list with each
    list's total; two when the lists are kept (the projects, and the listed projects' names).
    The lists are of ObligationRow, the projects' lines (ProjectLinkRow) in ``project_rows``
    and ``city_projects`` alike.
    """
    in_cities = Project.cities.through.objects.filter(project=OuterRef("pk"), city_id__in=city_ids)
    # Plain values, not model instances: the name in the active language (modeltranslation's
    # values_list falls back as the attribute does) and the status are all the lines show.
    # (core.translated: the name's columns, picked in Python, a third of the section's CPU
    # less than modeltranslation's values_list("name"))
    # The columns are named as stored (rewrite(False)): Django's plain rows, without
    # modeltranslation's per-row fallback pass, which Translated does once per query.
    name = Translated(Project, "name")
    projects = list(
        Project.objects.rewrite(False)
        .filter(Exists(in_cities))
        .order_by("status", "name_fi")
        .values_list("pk", "status", *name.columns())[:50]
    )
    lists, totals = _home_obligations(city_ids=city_ids, today=today)
    # The page shows the first HOME_LIST_LIMIT of each list and says how many more there are:
    # a large portfolio must not make the home page a list of thousands.
    statuses = _labels(Project, "status")
    rows = [
        ProjectLinkRow(pk, name.value(names), statuses.get(status, status))
        for pk, status, *names in projects
    ]
    return {
        "city_projects": rows,
        "project_rows": rows,
        **lists,
        "more": {kind: max(0, totals[kind] - HOME_LIST_LIMIT) for kind in lists},
    }


def _home_obligations(
    *, city_ids: list[int], today: dt.date
) -> tuple[dict[str, list[ObligationRow]], dict[str, int]]:
    """The coordinator's three lists (their first HOME_LIST_LIMIT rows) and their totals, in the
    active language: two queries, or one when the lists are kept.

    Finding what is owed goes through every running project of the cities and its periods
    (10 ms of SQL at 5 000 projects, issue 19), while what is owed changes only when a report, a
    project or a period does: which rows the lists hold and the totals are kept under the
    reports' version (bumped by a report or a period saved or deleted) and the portfolio's (a
    project, its cities), the day, the cities and the language. The projects' names are read
    anew for the rows kept (one query by primary key), so a renamed project shows its new name
    at once. Who may see which cities is decided anew on every request, by the caller."""
    lists: dict[str, list[ObligationRow]] = {"overdue": [], "due_soon": [], "returned": []}
    totals = dict.fromkeys(lists, 0)
    if not city_ids:
        return lists, totals
    key = ":".join(
        [
            "projects:home-obligations",
            portfolio_cache.portfolio_and_reports_version(),
            today.isoformat(),
            get_language() or "",
            ",".join(str(pk) for pk in sorted(set(city_ids))),
        ]
    )
    kept = cache.get(key)
    if kept is not None:
        lines, totals = kept
        name = Translated(Project, "name")
        names = {
            pk: name.value(values)
            for pk, *values in Project.objects.rewrite(False)
            .filter(pk__in={pk for _, pk, _, _ in lines})
            .values_list("pk", *name.columns())
        }
        for kind, pk, period, report in lines:
            if pk in names:  # a project deleted since is no longer owed anything
                lists[kind].append(ObligationRow(kind, ProjectRef(pk, names[pk]), period, report))
        return lists, totals
    horizon = today + dt.timedelta(days=14)
    periods = ReportingPeriod.objects.in_bulk()  # a returned report's period may be any
    if periods:
        states = dict(StatusReport.State.choices)
        period_refs = {pk: PeriodRef(p.name, p.due_date) for pk, p in periods.items()}
        for row in _obligation_rows(
            city_ids=city_ids, today=today, horizon=horizon, limit=HOME_LIST_LIMIT
        ):
            state = row.obligation_report_state
            lists[row.obligation_kind].append(
                ObligationRow(
                    kind=row.obligation_kind,
                    project=ProjectRef(row.pk, row.name),
                    period=period_refs[row.obligation_period_id],
                    report=ReportRef(row.obligation_report_id, str(states.get(state, state)))
                    if row.obligation_report_id is not None
                    else None,
                )
            )
            totals[row.obligation_kind] = row.obligation_total
    lines = [(o.kind, o.project.pk, o.period, o.report) for rows in lists.values() for o in rows]
    cache.set(key, (lines, totals), portfolio_cache.TIMEOUT)
    return lists, totals


def coordinators_with_cities() -> list[tuple[object, list[City]]]:
    """Every active coordinator with the cities they coordinate: two queries."""
    city_type = ContentType.objects.get_for_model(City)
    grants = UserObjectPermission.objects.filter(
        content_type=city_type,
        permission__codename="coordinate_city",
        user__is_active=True,
    ).values_list("user_id", "object_pk")
    by_user: dict[int, list[int]] = {}
    for user_id, object_pk in grants:
        by_user.setdefault(user_id, []).append(int(object_pk))
    if not by_user:
        return []
    cities = {c.pk: c for c in City.objects.all()}
    users = get_user_model().objects.filter(pk__in=by_user).order_by("pk")
    return [(user, [cities[pk] for pk in by_user[user.pk] if pk in cities]) for user in users]


def report_list(reports: QuerySet[StatusReport], *, state: str = "") -> QuerySet:
    """A page of reports with project and period: one query (plus the paginator's count). Only
    the columns the list shows are read (the reports' texts and the projects' summaries were
    most of each row), as named rows with ``pk``, not model instances (issue 19: building a
    report, its project and its period for each row was a tenth of the page's CPU); the
    project's name in the active language's columns (``report_list_rows`` picks it)."""
    if state in StatusReport.State.values:
        reports = reports.filter(state=state)
    return reports.order_by("-period__start_date", "project__name_fi", "pk").values_list(
        "pk",
        "state",
        "overall_status",
        "period__name",
        *(f"project__{column}" for column in Translated(Project, "name").columns()),
        named=True,
    )


class ReportListRow(NamedTuple):
    """A line of the status report list: plain values in the active language, so that its
    template renders this and nothing else, once per value (core.fragments)."""

    pk: int
    project: str
    period: str
    state: str  # the label
    overall_status: str  # the value, "" when not given
    overall_label: str


def report_list_rows(reports: Iterable[Any]) -> list[ReportListRow]:
    """The lines of a page of ``report_list``: no query. The labels are looked up in the
    choices once per page, as ``get_FOO_display`` would each time (it rebuilds the field's
    whole table of choices on every call: a sixth of the page's CPU, issue 19)."""
    states = _labels(StatusReport, "state")
    statuses = _labels(StatusReport, "overall_status")
    name = Translated(Project, "name")
    name_columns = [f"project__{column}" for column in name.columns()]
    return [
        ReportListRow(
            pk=report.pk,
            project=name.value([getattr(report, column) for column in name_columns]),
            period=report.period__name,
            state=states.get(report.state, report.state),
            overall_status=report.overall_status or "",
            overall_label=statuses.get(report.overall_status, report.overall_status)
            if report.overall_status
            else "",
        )
        for report in reports
    ]


def _labels(model: type[Model], field: str) -> dict[object, str]:
    """A field's choices' labels by value, in the active language (``get_FOO_display``'s)."""
    return {value: str(label) for value, label in model._meta.get_field(field).flatchoices}


class ReviewRow(NamedTuple):
    """A report waiting for the office's review, as the home page lists it."""

    pk: int
    project: str
    period: str
    due_date: dt.date
    state: str  # the label, in the active language


class CompletionRow(NamedTuple):
    """A project flagged to complete, with what is missing."""

    pk: int
    name: str
    missing: str


class CityOverdue(NamedTuple):
    city: City
    overdue: int


# Per city, the reports its running projects owe for periods already past due (missing, a
# draft or returned: not submitted or accepted), as the obligations statement counts them.
_OVERDUE_BY_CITY_SQL = """
SELECT c.*, o.overdue_count FROM {city} c JOIN (
    SELECT pc.city_id, COUNT(*) AS overdue_count
    FROM {project} p
    JOIN {cities} pc ON pc.project_id = p.id
    CROSS JOIN {period} per
    WHERE p.status = %s
      AND per.due_date < %s
      AND (p.start_date IS NULL OR per.end_date >= p.start_date)
      AND (p.end_date IS NULL OR per.start_date <= p.end_date)
      AND NOT EXISTS (
          SELECT 1 FROM {report} r
          WHERE r.project_id = p.id AND r.period_id = per.id AND r.state IN ({closed})
      )
    GROUP BY pc.city_id
) o ON o.city_id = c.id
ORDER BY c."order", c.slug
"""


def overdue_by_city(*, today: dt.date) -> list[CityOverdue]:
    """The cities with overdue reports and how many each: one query."""
    sql = _OVERDUE_BY_CITY_SQL.format(
        city=City._meta.db_table,
        project=Project._meta.db_table,
        cities=Project.cities.through._meta.db_table,
        period=ReportingPeriod._meta.db_table,
        report=StatusReport._meta.db_table,
        closed=", ".join(["%s"] * len(CLOSED_STATES)),
    )
    params = [Project.Status.RUNNING.value, today, *(s.value for s in CLOSED_STATES)]
    return [CityOverdue(city, city.overdue_count) for city in City.objects.raw(sql, params)]


def office_home(*, today: dt.date) -> dict[str, object]:
    """The strategy office's work on the home page: reports waiting for review (oldest period
    first), projects flagged to complete, and overdue reports by city. Three queries at any
    size: each list is its first HOME_LIST_LIMIT rows with the list's total beside them."""
    waiting = list(
        StatusReport.objects.filter(
            state__in=[StatusReport.State.SUBMITTED, StatusReport.State.RESUBMITTED]
        )
        .select_related("project", "period")
        .only(
            "state",
            "project__name",
            "project__name_fi",
            "project__name_sv",
            "project__name_en",
            "period__name",
            "period__due_date",
        )
        .annotate(total=Window(Count("pk")))
        .order_by("period__start_date", "project__name_fi", "pk")[:HOME_LIST_LIMIT]
    )
    flagged = list(
        Project.objects.filter(needs_completion=True)
        .only("name", "name_fi", "name_sv", "name_en", "completion_notes", "completion")
        .annotate(total=Window(Count("pk")))
        .order_by("name_fi", "pk")[:HOME_LIST_LIMIT]
    )
    states = dict(StatusReport.State.choices)
    return {
        "review": [
            ReviewRow(r.pk, r.project.name, r.period.name, r.period.due_date, str(states[r.state]))
            for r in waiting
        ],
        "review_total": waiting[0].total if waiting else 0,
        "to_complete": [
            CompletionRow(p.pk, p.name, "\n".join(p.completion_texts)) for p in flagged
        ],
        "to_complete_total": flagged[0].total if flagged else 0,
        "overdue_by_city": overdue_by_city(today=today),
    }
