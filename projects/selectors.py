"""Reads for the portfolio pages, each function the whole query plan of a page or a section."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet, Sum
from guardian.models import UserObjectPermission

from governance.models import City

from .models import (
    Action,
    Grant,
    Implementer,
    Project,
    ReportingPeriod,
    StatusReport,
    StatusReportTransition,
)


def portfolio() -> QuerySet[Project]:
    """The list's rows: programme, theme, lead implementer and cities in three queries."""
    leads = Implementer.objects.filter(is_lead=True).select_related("organisation")
    return Project.objects.select_related("programme", "theme").prefetch_related(
        Prefetch("implementers", queryset=leads, to_attr="leads"),
        "cities",
    )


def portfolio_totals(queryset: QuerySet[Project]) -> dict[str, object]:
    """Count, total cost and granted of a (filtered) portfolio: one query."""
    return queryset.order_by().aggregate(
        count=Count("pk"), total_cost=Sum("total_cost"), granted=Sum("granted")
    )


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
    transitions = StatusReportTransition.objects.select_related("by")
    return list(
        project.status_reports.select_related("period", "updated_by")
        .prefetch_related(Prefetch("transitions", queryset=transitions))
        .order_by("-period__start_date")
    )


def report_detail(report: StatusReport) -> StatusReport:
    transitions = StatusReportTransition.objects.select_related("by")
    return (
        StatusReport.objects.select_related("project", "period", "updated_by")
        .prefetch_related(
            Prefetch("transitions", queryset=transitions),
            "indicator_values__indicator",
            "project__indicators",
        )
        .get(pk=report.pk)
    )


def open_periods(*, today: dt.date) -> QuerySet[ReportingPeriod]:
    """Periods a report can be started for: begun already."""
    return ReportingPeriod.objects.filter(start_date__lte=today).order_by("-start_date")


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


def report_obligations(
    *, city_ids: list[int], today: dt.date, window_days: int = 14
) -> list[Obligation]:
    """Reports of the cities' running projects that are due within ``window_days``, overdue,
    or returned, and not yet (re)submitted: three queries whatever the numbers."""
    horizon = today + dt.timedelta(days=window_days)
    periods = list(ReportingPeriod.objects.filter(due_date__lte=horizon).order_by("start_date"))
    if not periods or not city_ids:
        return []
    in_cities = Project.cities.through.objects.filter(project=OuterRef("pk"), city_id__in=city_ids)
    projects = list(
        Project.objects.filter(Exists(in_cities), status=Project.Status.RUNNING).order_by("name_fi")
    )
    reports = {
        (r.project_id, r.period_id): r
        for r in StatusReport.objects.filter(project__in=projects, period__in=periods).only(
            "pk", "project_id", "period_id", "state", "version"
        )
    }
    open_states = {StatusReport.State.DRAFT, StatusReport.State.RETURNED}
    result = []
    for period in periods:
        for project in projects:
            if project.start_date and period.end_date < project.start_date:
                continue
            if project.end_date and period.start_date > project.end_date:
                continue
            report = reports.get((project.pk, period.pk))
            if report is not None and report.state not in open_states:
                continue
            result.append(Obligation(project=project, period=period, report=report, today=today))
    return result


HOME_LIST_LIMIT = 25


def coordinator_home(*, city_ids: list[int], today: dt.date) -> dict[str, object]:
    """The coordinator's section of the home page: their cities' projects and open reports."""
    in_cities = Project.cities.through.objects.filter(project=OuterRef("pk"), city_id__in=city_ids)
    projects = list(portfolio().filter(Exists(in_cities)).order_by("status", "name_fi")[:50])
    obligations = report_obligations(city_ids=city_ids, today=today)
    overdue = [o for o in obligations if o.overdue and not o.returned]
    due_soon = [o for o in obligations if o.due_soon and not o.returned]
    returned = [o for o in obligations if o.returned]
    # The page shows the first HOME_LIST_LIMIT of each list and says how many more there are:
    # a large portfolio must not make the home page a list of thousands.
    return {
        "city_projects": projects,
        "overdue": overdue[:HOME_LIST_LIMIT],
        "due_soon": due_soon[:HOME_LIST_LIMIT],
        "returned": returned[:HOME_LIST_LIMIT],
        "more": {
            "overdue": max(0, len(overdue) - HOME_LIST_LIMIT),
            "due_soon": max(0, len(due_soon) - HOME_LIST_LIMIT),
            "returned": max(0, len(returned) - HOME_LIST_LIMIT),
        },
    }


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


def report_list(reports: QuerySet[StatusReport], *, state: str = "") -> QuerySet[StatusReport]:
    """A page of reports with project and period: one query (plus the paginator's count)."""
    if state in StatusReport.State.values:
        reports = reports.filter(state=state)
    return reports.select_related("project", "period").order_by(
        "-period__start_date", "project__name_fi", "pk"
    )
