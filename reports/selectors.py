"""The data of the monitoring reports: one selector per kind, each a fixed number of queries.

``monitoring_data`` is the board monitoring report (and, with a city, the city report): nine
queries whatever the size of the portfolio, pinned by tests/reports/test_selectors.py.
Figures are summed in Python from narrow ``values_list`` rows so that 1 000 projects stay cheap.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from calls.selectors import agenda_items_applications
from governance.models import Body, City, Decision, Meeting, Minutes
from governance.permissions import decisions_public
from governance.selectors import meeting_page
from projects.models import (
    RAG,
    Grant,
    Indicator,
    Instrument,
    Project,
    ReportingPeriod,
    StatusReport,
)
from projects.selectors import planned_to_date, project_detail

from .models import Report

ZERO = Decimal(0)
# A report counts for the status colours and the spend once it has been handed in.
HANDED_IN = (
    StatusReport.State.SUBMITTED,
    StatusReport.State.RESUBMITTED,
    StatusReport.State.ACCEPTED,
)
RAG_ORDER = {RAG.GREEN: 0, RAG.AMBER: 1, RAG.RED: 2}


def ratio(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"))


@dataclass
class ProjectRow:
    pk: int
    code: str
    name: str
    status: str
    status_label: str
    programme: str
    theme: str
    start_date: dt.date | None
    end_date: dt.date | None
    total_cost: Decimal
    granted: Decimal
    spent: Decimal | None
    planned: Decimal
    cities: list[str] = field(default_factory=list)
    instruments: list[str] = field(default_factory=list)
    colour: str = ""
    previous_colour: str = ""

    @property
    def spend_rate(self) -> Decimal | None:
        return ratio(self.spent, self.planned)

    @property
    def change(self) -> int:
        """> 0 worse, < 0 better, 0 same or not comparable."""
        if not self.colour or not self.previous_colour:
            return 0
        return RAG_ORDER[self.colour] - RAG_ORDER[self.previous_colour]


@dataclass
class Breakdown:
    """One 'portfolio at a glance' table: label -> projects, cost and granted."""

    title: str
    rows: list[tuple[str, int, Decimal, Decimal]]


@dataclass
class IndicatorRow:
    code: str
    name: str
    unit: str
    projects: int
    target: Decimal
    achieved: Decimal

    @property
    def progress(self) -> Decimal | None:
        return ratio(self.achieved, self.target)


@dataclass
class MissingReport:
    project: ProjectRow
    period: ReportingPeriod
    state: str  # "" when no report was started
    overdue: bool


@dataclass
class MonitoringData:
    as_of: dt.date
    cutoff: dt.datetime
    city: City | None
    projects: list[ProjectRow]
    period: ReportingPeriod | None
    previous_period: ReportingPeriod | None
    indicators: list[IndicatorRow]
    missing: list[MissingReport]
    previous_meeting: Meeting | None
    decisions: list[Decision]
    trend: list["TrendPoint"] = field(default_factory=list)
    by_status: Breakdown | None = None
    by_programme: Breakdown | None = None
    by_instrument: Breakdown | None = None
    by_theme: Breakdown | None = None
    by_city: Breakdown | None = None

    @property
    def total_cost(self) -> Decimal:
        return sum((p.total_cost for p in self.projects), ZERO)

    @property
    def granted(self) -> Decimal:
        return sum((p.granted for p in self.projects), ZERO)

    @property
    def spent(self) -> Decimal:
        return sum((p.spent or ZERO for p in self.projects), ZERO)

    @property
    def planned(self) -> Decimal:
        return sum((p.planned for p in self.projects), ZERO)

    @property
    def spend_rate(self) -> Decimal | None:
        return ratio(self.spent, self.planned)

    @property
    def breakdowns(self) -> list[Breakdown]:
        return [
            b
            for b in (
                self.by_status,
                self.by_programme,
                self.by_instrument,
                self.by_theme,
                self.by_city,
            )
            if b is not None
        ]

    def colour_counts(self, attr: str) -> dict[str, int]:
        counts = Counter(getattr(p, attr) for p in self.projects)
        return {c.value: counts.get(c.value, 0) for c in RAG} | {"": counts.get("", 0)}

    @property
    def colours(self) -> list[tuple[str, str, int, int]]:
        """(value, label, now, previous period) for green, amber, red and no report."""
        now, before = self.colour_counts("colour"), self.colour_counts("previous_colour")
        from django.utils.translation import gettext

        rows = [(c.value, c.label, now[c.value], before[c.value]) for c in RAG]
        rows.append(("", gettext("No status reported"), now[""], before[""]))
        return rows

    @property
    def worsened(self) -> list[ProjectRow]:
        return [p for p in self.projects if p.change > 0]

    @property
    def improved(self) -> list[ProjectRow]:
        return [p for p in self.projects if p.change < 0]

    @property
    def overdue(self) -> list[MissingReport]:
        return [m for m in self.missing if m.overdue]

    @property
    def not_yet_due(self) -> list[MissingReport]:
        return [m for m in self.missing if not m.overdue]


@dataclass(frozen=True)
class TrendPoint:
    """One ended reporting period in the trend: how many handed-in reports gave each overall
    colour, their costs to date together, and those projects' plan at the period's end."""

    period: ReportingPeriod
    colours: dict[str, int]
    reports: int
    spent: Decimal
    planned: Decimal


def _trend(ended: list[ReportingPeriod], selected, projects: list[ProjectRow]) -> list[TrendPoint]:
    """One query: the handed-in reports of the ended periods. The plan of a period counts the
    projects whose report gave costs to date, so the two lines compare the same projects."""
    by_pk = {p.pk: p for p in projects}
    ends = {p.pk: p.end_date for p in ended}
    counts: dict[int, Counter] = defaultdict(Counter)
    spent: dict[int, Decimal] = defaultdict(Decimal)
    planned: dict[int, Decimal] = defaultdict(Decimal)
    for period_id, project_id, colour, costs in StatusReport.objects.filter(
        project_id__in=selected, period__in=list(ends), state__in=HANDED_IN
    ).values_list("period_id", "project_id", "overall_status", "costs_to_date"):
        counts[period_id][colour] += 1
        row = by_pk.get(project_id)
        if costs is not None and row is not None:
            spent[period_id] += costs
            planned[period_id] += planned_to_date(
                row.total_cost, row.start_date, row.end_date, ends[period_id]
            )
    return [
        TrendPoint(
            period=p,
            colours={c.value: counts[p.pk][c.value] for c in RAG} | {"": counts[p.pk][""]},
            reports=sum(counts[p.pk].values()),
            spent=spent[p.pk],
            planned=planned[p.pk],
        )
        for p in reversed(ended)
    ]


def _in_city(city: City | None) -> Q:
    if city is None:
        return Q()
    through = Project.cities.through.objects.filter(project=OuterRef("pk"), city=city)
    return Q(Exists(through))


def _breakdown(title: str, groups: dict[str, list[ProjectRow]]) -> Breakdown:
    rows = [
        (
            label,
            len(items),
            sum((p.total_cost for p in items), ZERO),
            sum((p.granted for p in items), ZERO),
        )
        for label, items in groups.items()
    ]
    return Breakdown(title=title, rows=rows)


def _overlaps(project: ProjectRow, period: ReportingPeriod) -> bool:
    if project.start_date and period.end_date < project.start_date:
        return False
    return not (project.end_date and period.start_date > project.end_date)


def monitoring_data(*, as_of: dt.date, city: City | None = None) -> MonitoringData:
    """The board monitoring report for ``as_of``, or the city report with ``city``: 10 queries."""
    from django.utils.translation import gettext

    cutoff = timezone.now()
    # 1. Projects, with the costs of the latest accepted report up to the date.
    latest_accepted = StatusReport.objects.filter(
        project=OuterRef("pk"),
        state=StatusReport.State.ACCEPTED,
        period__start_date__lte=as_of,
        costs_to_date__isnull=False,
    ).order_by("-period__start_date")
    project_qs: QuerySet[Project] = (
        Project.objects.filter(_in_city(city))
        .select_related("programme", "theme")
        .annotate(spent=Subquery(latest_accepted.values("costs_to_date")[:1]))
        .order_by("name_fi", "pk")
    )
    projects = [
        ProjectRow(
            pk=p.pk,
            code=p.code,
            name=p.name,
            status=p.status,
            status_label=p.get_status_display(),
            programme=p.programme.name,
            theme=p.theme.name if p.theme else "",
            start_date=p.start_date,
            end_date=p.end_date,
            total_cost=p.total_cost,
            granted=p.granted,
            spent=p.spent,
            planned=planned_to_date(p.total_cost, p.start_date, p.end_date, as_of),
        )
        for p in project_qs
    ]
    by_pk = {p.pk: p for p in projects}
    selected = Project.objects.filter(_in_city(city)).values("pk")
    # 2-3. Cities and the projects' cities.
    cities = {c.pk: c for c in City.objects.order_by("order", "pk")}
    for project_id, city_id in Project.cities.through.objects.filter(
        project_id__in=selected
    ).values_list("project_id", "city_id"):
        by_pk[project_id].cities.append(cities[city_id].name)
    # 4. Instruments from the grants.
    instrument_labels = dict(Instrument.choices)
    for project_id, instrument in (
        Grant.objects.filter(project_id__in=selected)
        .values_list("project_id", "instrument")
        .distinct()
        .order_by("project_id", "instrument")
    ):
        by_pk[project_id].instruments.append(str(instrument_labels.get(instrument, instrument)))
    # 5. The periods ended by the date: the one reported last, the one before it, and all of
    # them for the trend.
    ended = list(ReportingPeriod.objects.filter(end_date__lte=as_of).order_by("-start_date"))
    periods = ended[:2]
    period = periods[0] if periods else None
    previous_period = periods[1] if len(periods) > 1 else None
    # 6. Reports of those two periods.
    missing: list[MissingReport] = []
    if periods:
        reports: dict[tuple[int, int], tuple[str, str]] = {
            (project_id, period_id): (state, colour)
            for project_id, period_id, state, colour in StatusReport.objects.filter(
                project_id__in=selected, period__in=periods
            ).values_list("project_id", "period_id", "state", "overall_status")
        }
        for row in projects:
            for p, attr in ((period, "colour"), (previous_period, "previous_colour")):
                if p is None:
                    continue
                state, colour = reports.get((row.pk, p.pk), ("", ""))
                if state in HANDED_IN:
                    setattr(row, attr, colour)
                elif row.status != Project.Status.PLANNED and _overlaps(row, p):
                    missing.append(
                        MissingReport(
                            project=row, period=p, state=state, overdue=p.due_date < as_of
                        )
                    )
    # 7. Indicators against their targets, summed per indicator code, name and unit.
    indicators = [
        IndicatorRow(
            code=r["code"],
            name=r["name"],
            unit=r["unit"],
            projects=r["n"],
            target=r["target"] or ZERO,
            achieved=r["achieved"] or ZERO,
        )
        for r in Indicator.objects.filter(project_id__in=selected)
        .values("code", "name", "unit")
        .annotate(n=Count("project", distinct=True), target=Sum("target"), achieved=Sum("achieved"))
        .order_by("code", "name", "unit")
    ]
    # 10. The trend: each ended period's handed-in reports by colour, and their costs to date.
    trend = _trend(ended, selected, projects)
    # 8-9. The board's last meeting held by the report's day (the one it "met last on", whatever
    # its minutes' state), and every decision of the board from the last meeting whose minutes are
    # approved on (the steering group prepares and scores; its own decisions are not the board's
    # to report). Decisions of a meeting under way or with open minutes are not yet public: they
    # come in the first report after its minutes are approved, and the report says so. One query.
    day_end = timezone.make_aware(dt.datetime.combine(as_of, dt.time.max))
    board_meetings = Meeting.objects.filter(
        body__kind=Body.Kind.BOARD, starts_at__lte=min(day_end, cutoff)
    )
    approved = board_meetings.filter(minutes__state=Minutes.State.APPROVED)
    previous_meeting = (
        board_meetings.annotate(
            minutes_approved=Exists(approved.filter(pk=OuterRef("pk"))),
            decisions_from=Subquery(approved.order_by("-starts_at").values("starts_at")[:1]),
        )
        .order_by("-starts_at")
        .first()
    )
    # Decisions of approved minutes only: the report goes to readers who may not see a meeting
    # whose minutes are still open (governance.permissions.decisions_public).
    decisions_qs = decisions_public().filter(
        agenda_item__meeting__body__kind=Body.Kind.BOARD,
        agenda_item__meeting__starts_at__lte=day_end,
    )
    if previous_meeting is not None and previous_meeting.decisions_from is not None:
        decisions_qs = decisions_qs.filter(
            agenda_item__meeting__starts_at__gte=previous_meeting.decisions_from
        )
    decisions = list(
        decisions_qs.select_related("agenda_item__meeting__body").order_by(
            "agenda_item__meeting__starts_at", "agenda_item__order"
        )
    )

    data = MonitoringData(
        as_of=as_of,
        cutoff=cutoff,
        city=city,
        projects=projects,
        period=period,
        previous_period=previous_period,
        indicators=indicators,
        missing=missing,
        previous_meeting=previous_meeting,
        decisions=decisions,
        trend=trend,
    )
    status_groups: dict[str, list[ProjectRow]] = {
        str(label): [] for value, label in Project.Status.choices
    }
    programme_groups: dict[str, list[ProjectRow]] = defaultdict(list)
    instrument_groups: dict[str, list[ProjectRow]] = defaultdict(list)
    theme_groups: dict[str, list[ProjectRow]] = defaultdict(list)
    city_groups: dict[str, list[ProjectRow]] = {c.name: [] for c in cities.values()}
    for row in projects:
        status_groups[row.status_label].append(row)
        programme_groups[row.programme].append(row)
        theme_groups[row.theme or gettext("No theme")].append(row)
        for label in row.instruments or [gettext("No grant")]:
            instrument_groups[label].append(row)
        for name in row.cities:
            city_groups[name].append(row)
    data.by_status = _breakdown(gettext("By status"), status_groups)
    data.by_programme = _breakdown(gettext("By programme"), dict(sorted(programme_groups.items())))
    data.by_instrument = _breakdown(
        gettext("By instrument"), dict(sorted(instrument_groups.items()))
    )
    data.by_theme = _breakdown(gettext("By theme"), dict(sorted(theme_groups.items())))
    data.by_city = _breakdown(gettext("By city"), city_groups)
    return data


# --- Project fact sheet ------------------------------------------------------------------------


@dataclass
class FactSheet:
    """A project's public facts (what its public page shows): the sheet is public information,
    so it holds nothing from the status reports, which are not."""

    as_of: dt.date
    cutoff: dt.datetime
    project: Project


def fact_sheet_data(*, project_id: int, as_of: dt.date) -> FactSheet:
    """One project on a page or two: the queries of its public page."""
    cutoff = timezone.now()
    return FactSheet(as_of=as_of, cutoff=cutoff, project=project_detail(project_id))


# --- Meeting pack ------------------------------------------------------------------------------


@dataclass
class MeetingPack:
    meeting: Meeting
    items: list
    applications: dict[int, list]
    monitoring: MonitoringData


def meeting_pack_data(*, meeting: Meeting, as_of: dt.date) -> MeetingPack:
    """The agenda with proposals and evaluation summaries, and the monitoring report as of now."""
    page = meeting_page(meeting)
    applications = agenda_items_applications([item.pk for item in page.items])
    for item in page.items:
        item.application_rows = applications.get(item.pk, [])
    return MeetingPack(
        meeting=meeting,
        items=page.items,
        applications=applications,
        monitoring=monitoring_data(as_of=as_of),
    )


@dataclass
class MeetingWithPack:
    """A coming meeting and its latest meeting pack (None: none asked for yet)."""

    meeting: Meeting
    pack: Report | None


def office_home(*, reports: QuerySet, meetings: QuerySet[Meeting], count: int = 3) -> dict:
    """The monitoring part of the office's home page: the reports being made (queued or
    running) among ``reports``, and the next ``count`` planned meetings among ``meetings``
    with their latest meeting packs. Three queries at any size."""
    being_made = list(
        reports.filter(status__in=Report.PENDING)
        .select_related("city", "project", "meeting__body")
        .order_by("requested_at", "pk")[:10]
    )
    start_of_today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    coming = list(
        meetings.filter(starts_at__gte=start_of_today, status=Meeting.Status.PLANNED)
        .select_related("body")
        .order_by("starts_at", "pk")[:count]
    )
    packs: dict[int, Report] = {}
    if coming:
        for pack in reports.filter(
            kind=Report.Kind.MEETING_PACK, meeting__in=[m.pk for m in coming]
        ).order_by("-requested_at", "-pk"):
            packs.setdefault(pack.meeting_id, pack)
    return {
        "being_made": being_made,
        "meetings": [MeetingWithPack(m, packs.get(m.pk)) for m in coming],
    }
