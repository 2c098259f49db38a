"""Test data for the open-data API: a portfolio of ``n`` projects with every relation the API
shows, status reports in every state, and meetings with approved and draft minutes.

Built with the ORM directly (the values obey the models' constraints), so that the tests pin
the API's behaviour rather than the import services' rules."""

import datetime as dt
from decimal import Decimal
from itertools import count

from django.utils import timezone

from governance.models import (
    AgendaItem,
    Body,
    City,
    Decision,
    Meeting,
    Minutes,
    Organisation,
)
from projects.models import (
    CityContribution,
    Grant,
    Implementer,
    Indicator,
    Programme,
    Project,
    ReportingPeriod,
    StatusReport,
    StatusReportIndicatorValue,
    Theme,
)

_seq = count(1)

SECRET_NARRATIVE = "SALAINEN-KERTOMUS"  # a status narrative must never leave through the API
SECRET_RISKS = "SALAISET-RISKIT"
SECRET_DRAFT_DECISION = "LUONNOS-PÄÄTÖSEHDOTUS"
DRAFT_MINUTES_TEXT = "LUONNOSPÖYTÄKIRJAN-PÄÄTÖS"


def periods() -> tuple[ReportingPeriod, ReportingPeriod]:
    h1, _ = ReportingPeriod.objects.get_or_create(
        name="2025 H1",
        defaults={
            "start_date": dt.date(2025, 1, 1),
            "end_date": dt.date(2025, 6, 30),
            "due_date": dt.date(2025, 8, 15),
        },
    )
    h2, _ = ReportingPeriod.objects.get_or_create(
        name="2025 H2",
        defaults={
            "start_date": dt.date(2025, 7, 1),
            "end_date": dt.date(2025, 12, 31),
            "due_date": dt.date(2026, 2, 15),
        },
    )
    return h1, h2


def project(
    *,
    code: str | None = None,
    cities: tuple[str, ...] = ("helsinki", "espoo"),
    programme_slug: str = "api-6aika",
    theme_slug: str = "api-open-data",
    instrument: str = "EAKR",
    status: str = Project.Status.RUNNING,
    start: dt.date = dt.date(2024, 1, 1),
    end: dt.date = dt.date(2026, 12, 31),
) -> Project:
    """A project with a lead and a partner, a grant, a city contribution, two indicators, an
    accepted report (2025 H1) and a submitted one (2025 H2) with larger values."""
    n = next(_seq)
    programme, _ = Programme.objects.get_or_create(
        slug=programme_slug, defaults={"name_fi": f"Ohjelma {programme_slug}", "kind": "6aika"}
    )
    theme, _ = Theme.objects.get_or_create(
        slug=theme_slug, defaults={"name_fi": "Avoin data", "name_en": "Open data"}
    )
    city_objs = [City.objects.get(slug=slug) for slug in cities]
    project = Project.objects.create(
        code=f"T{n:05d}" if code is None else code,
        name_fi=f"Rajapintahanke {n}",
        name_en=f"API project {n}",
        summary_fi="Julkinen tiivistelmä.",
        programme=programme,
        theme=theme,
        start_date=start,
        end_date=end,
        status=status,
        total_cost=Decimal("100000"),
        granted=Decimal("70000"),
        completion_notes="SISÄINEN-HUOMIO",
    )
    project.cities.set(city_objs)
    lead = Organisation.objects.create(name=f"Toteuttaja {n}", city=city_objs[0])
    partner = Organisation.objects.create(name=f"Kumppani {n}")
    funder, _ = Organisation.objects.get_or_create(
        name="API Rahoittaja", defaults={"kind": "regional_council"}
    )
    Implementer.objects.create(project=project, organisation=lead, is_lead=True, budget=60000)
    Implementer.objects.create(project=project, organisation=partner, budget=40000)
    Grant.objects.create(project=project, funder=funder, instrument=instrument, amount=70000)
    CityContribution.objects.create(project=project, city=city_objs[0], amount=Decimal("30000"))
    visitors = Indicator.objects.create(
        project=project, code="V1", name_fi="Kävijät", unit="hlö", target=Decimal("100")
    )
    companies = Indicator.objects.create(
        project=project, code="Y1", name_fi="Yritykset", unit="kpl", target=Decimal("10")
    )
    h1, h2 = periods()
    accepted = StatusReport.objects.create(
        project=project,
        period=h1,
        state=StatusReport.State.ACCEPTED,
        narrative=SECRET_NARRATIVE,
        risks=SECRET_RISKS,
    )
    StatusReportIndicatorValue.objects.create(report=accepted, indicator=visitors, achieved=40)
    submitted = StatusReport.objects.create(
        project=project,
        period=h2,
        state=StatusReport.State.SUBMITTED,
        narrative=SECRET_NARRATIVE,
    )
    StatusReportIndicatorValue.objects.create(report=submitted, indicator=visitors, achieved=90)
    StatusReportIndicatorValue.objects.create(report=submitted, indicator=companies, achieved=7)
    return project


def meeting(*, approved: bool, day: int = 1, items: int = 2) -> Meeting:
    """A board meeting with ``items`` decided items; minutes approved or still a draft."""
    board = Body.objects.get(kind=Body.Kind.BOARD)
    starts = dt.datetime(2025, 3, day, 9, 0, tzinfo=timezone.get_current_timezone())
    meeting = Meeting.objects.create(
        body=board,
        starts_at=starts,
        place="Kokoushuone",
        status=Meeting.Status.MINUTES_APPROVED if approved else Meeting.Status.HELD,
    )
    for order in range(1, items + 1):
        item = AgendaItem.objects.create(
            meeting=meeting,
            order=order,
            title_fi=f"Asia {order}",
            description="Valmistelu",
            draft_decision=SECRET_DRAFT_DECISION,
        )
        Decision.objects.create(
            agenda_item=item,
            outcome=Decision.Outcome.APPROVED,
            text=f"Päätös {order}" if approved else DRAFT_MINUTES_TEXT,
            seats_present=5,
            seat_count=7,
            recorded_at=starts,
        )
    Minutes.objects.create(
        meeting=meeting,
        state=Minutes.State.APPROVED if approved else Minutes.State.DRAFT,
        drafted_at=starts,
        approved_at=starts + dt.timedelta(days=7) if approved else None,
    )
    return meeting
