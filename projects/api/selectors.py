"""The API's reads: each function is the whole query plan of an endpoint, pinned by tests.

Public data only. Indicators' achieved values come from the latest *accepted* status report
that states them, never from a draft, submitted or returned one, and never from the indicator
row itself (which a service keeps in step, but which the API does not trust).
"""

import datetime as dt

from django.db.models import Exists, Max, OuterRef, Prefetch, QuerySet, Subquery

from governance.models import Body, City, Correction, Minutes, Organisation, Seat
from governance.permissions import decisions_public
from governance.selectors import bodies_with_seats, decision_register

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
