"""The API's reads: each function is the whole query plan of an endpoint, pinned by tests.

Public data only. Indicators' achieved values come from the latest *accepted* status report
that states them, never from a draft, submitted or returned one, and never from the indicator
row itself (which a service keeps in step, but which the API does not trust).
"""

import datetime as dt

from django.db import connection
from django.db.models import Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery

from governance.models import Body, City, Correction, Minutes, Organisation, Seat
from governance.permissions import decisions_public
from governance.selectors import bodies_with_seats, decision_register

from .. import portfolio_cache
from ..models import (
    CityContribution,
    Grant,
    Implementer,
    Indicator,
    Programme,
    Project,
    StatusReport,
    StatusReportIndicatorValue,
    Theme,
)

ACCEPTED = StatusReport.State.ACCEPTED


def indicators_accepted() -> QuerySet[Indicator]:
    """Indicators with ``accepted_achieved`` and ``accepted_period`` from the latest accepted
    report that gives a value (None when no accepted report does)."""
    values = StatusReportIndicatorValue.objects.filter(
        indicator=OuterRef("pk"), report__state=ACCEPTED
    ).order_by("-report__period__start_date")
    return Indicator.objects.annotate(
        accepted_achieved=Subquery(values.values("achieved")[:1]),
        accepted_period=Subquery(values.values("report__period__name")[:1]),
    ).order_by("code")


def projects_public() -> QuerySet[Project]:
    """Projects with programme, theme, implementers, funding, cities and indicators:
    six queries for any number of projects (one more for the page count)."""
    return (
        Project.objects.select_related("programme", "theme", "parent")
        .prefetch_related(
            Prefetch(
                "implementers",
                queryset=Implementer.objects.select_related("organisation").order_by(
                    "-is_lead", "organisation__name"
                ),
            ),
            Prefetch(
                "grants",
                queryset=Grant.objects.select_related("funder").order_by("-amount", "pk"),
            ),
            Prefetch(
                "city_contributions",
                queryset=CityContribution.objects.select_related("city").order_by("city__order"),
            ),
            "cities",
            Prefetch("indicators", queryset=indicators_accepted()),
        )
        .order_by("pk")
    )


def cities_public() -> QuerySet[City]:
    return City.objects.order_by("order", "slug")


def programmes_public() -> QuerySet[Programme]:
    return Programme.objects.order_by("slug")


def themes_public() -> QuerySet[Theme]:
    return Theme.objects.order_by("slug")


def organisations_public() -> QuerySet[Organisation]:
    """Organisations that public data names: implementers, funders, and organisations in the
    bodies' seats. An organisation known only from an application (not public) stays out."""
    named = (
        Exists(Implementer.objects.filter(organisation=OuterRef("pk")))
        | Exists(Grant.objects.filter(funder=OuterRef("pk")))
        | Exists(Seat.objects.filter(organisation=OuterRef("pk")))
        | Exists(Seat.objects.filter(member__organisation=OuterRef("pk")))
        | Exists(Seat.objects.filter(deputy__organisation=OuterRef("pk")))
    )
    return Organisation.objects.filter(named).select_related("city").order_by("pk")


def bodies_public() -> QuerySet[Body]:
    """The bodies with their seats (the public governance page's own selector)."""
    return bodies_with_seats().order_by("order", "pk")


def decisions_register(*, within: QuerySet | None = None, **filters) -> QuerySet:
    """The public decision register (decisions of approved minutes), filtered as the register
    page filters it, oldest first so that pages stay put while new decisions are added.
    ``within`` narrows an already public queryset further; it never widens the register."""
    public = decisions_public()
    if within is not None:
        public = public.filter(pk__in=within.values("pk"))
    return decision_register(public, **filters).order_by(
        "agenda_item__meeting__starts_at", "agenda_item__order", "pk"
    )


def data_updated() -> dt.datetime | None:
    """When the public data last changed, as far as the database records it: a project saved,
    a status report accepted, minutes approved, or approved minutes corrected. Four queries."""
    times = [
        Project.objects.aggregate(t=Max("updated_at"))["t"],
        StatusReport.objects.filter(state=ACCEPTED).aggregate(t=Max("updated_at"))["t"],
        Minutes.objects.filter(state=Minutes.State.APPROVED).aggregate(t=Max("approved_at"))["t"],
        Correction.objects.filter(minutes__state=Minutes.State.APPROVED).aggregate(
            t=Max("made_at")
        )["t"],
    ]
    known = [t for t in times if t is not None]
    return max(known) if known else None


# The list's plain-value reads (``rows.project_rows`` turns them into the representation of
# ``serializers.ProjectSerializer``): no model objects, the same seven queries as the
# prefetching queryset above (count, page, five related tables), linear in the page's size.
PROJECT_COLUMNS = (
    "id", "code", "name_fi", "name_sv", "name_en", "summary_fi", "summary_sv", "summary_en",
    "programme__slug", "programme__name_fi", "programme__name_sv", "programme__name_en",
    "programme__kind", "theme__slug", "theme__name_fi", "theme__name_sv", "theme__name_en",
    "parent_id", "status", "start_date", "end_date", "total_cost", "granted",
)  # fmt: skip
CITY_COLUMNS = ("slug", "name_fi", "name_sv", "name_en")


def projects_public_values(queryset: QuerySet[Project]) -> QuerySet:
    """A (filtered) project queryset as plain rows of ``PROJECT_COLUMNS``, ordered by id."""
    return (
        queryset.select_related(None).prefetch_related(None).order_by("pk").values(*PROJECT_COLUMNS)
    )


def projects_count(queryset: QuerySet[Project]) -> int:
    """The (filtered) projects' count for the page links, kept under the portfolio's version:
    what the filters read (projects, grants, implementers, organisations, cities) bumps it."""
    return portfolio_cache.cached_count(queryset)


def project_relations_values(ids: list[int] | None) -> dict[str, list[dict]]:
    """The page's implementers, grants, city contributions, cities and indicators as plain
    rows, each list in the order the API shows them within a project. Five queries.
    ``ids`` None: every project's (the bulk download, which holds them all).
    """
    if ids is not None and not ids:
        return {"implementers": [], "grants": [], "city_contributions": [], "cities": [],
                "indicators": []}  # fmt: skip
    city = [f"city__{c}" for c in CITY_COLUMNS]
    return {
        "implementers": list(
            Implementer.objects.filter(*_of(ids))
            .order_by("-is_lead", "organisation__name", "pk")
            .values("project_id", "organisation_id", "organisation__name", "is_lead", "budget")
        ),
        "grants": list(
            Grant.objects.filter(*_of(ids))
            .order_by("-amount", "pk")
            .values("project_id", "funder_id", "funder__name", "instrument", "amount")
        ),
        "city_contributions": list(
            CityContribution.objects.filter(*_of(ids))
            .order_by("city__order", "pk")
            .values("project_id", "amount", *city)
        ),
        "cities": list(
            Project.cities.through.objects.filter(*_of(ids))
            .order_by("city__order", "city__slug")
            .values("project_id", *city)
        ),
        "indicators": indicators_accepted_values(ids),
    }


def _of(ids: list[int] | None) -> list[Q]:
    return [] if ids is None else [Q(project_id__in=ids)]


def indicators_accepted_values(ids: list[int] | None) -> list[dict]:
    """The projects' indicators as plain rows, by code, with ``accepted_achieved`` and
    ``accepted_period`` as ``indicators_accepted`` gives them. One statement: the accepted
    values are numbered newest period first and the first joined to its indicator (the two
    correlated subqueries per indicator cost 9 ms of the 10 at a page of 50)."""
    indicator = Indicator._meta.db_table
    value = StatusReportIndicatorValue._meta.db_table
    report = StatusReport._meta.db_table
    period = StatusReport._meta.get_field("period").related_model._meta.db_table
    if ids is None:
        within, params = "", []
    else:
        marks = ", ".join(["%s"] * len(ids))
        within, params = f"own.project_id IN ({marks})", list(ids)
    sql = f"""
        SELECT i.project_id, i.code, i.name_fi, i.name_sv, i.name_en, i.unit, i.target,
               v.achieved, v.period_name
        FROM {indicator} i
        LEFT JOIN (
            SELECT sv.indicator_id, sv.achieved, p.name AS period_name,
                   ROW_NUMBER() OVER (
                       PARTITION BY sv.indicator_id ORDER BY p.start_date DESC, sv.id DESC
                   ) AS newest
            FROM {value} sv
            JOIN {report} r ON r.id = sv.report_id
            JOIN {period} p ON p.id = r.period_id
            JOIN {indicator} own ON own.id = sv.indicator_id
            WHERE r.state = %s {"AND " + within if within else ""}
        ) v ON v.indicator_id = i.id AND v.newest = 1
        {"WHERE " + within.replace("own.", "i.") if within else ""}
        ORDER BY i.code, i.id
    """  # noqa: S608 (table names from the models, values as parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, [ACCEPTED, *params, *params])
        columns = ["project_id", "code", "name_fi", "name_sv", "name_en", "unit", "target",
                   "accepted_achieved", "accepted_period"]  # fmt: skip
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
