"""A realistic synthetic portfolio for benchmarks and load tests (``generate_portfolio``).

Deterministic for a seed; bulk inserts throughout, so 5 000 projects take well under two
minutes. Everything it makes is marked: organisations named "… (synteettinen)", project codes
starting with "G", so it is never mistaken for 6Aika's real data.
"""

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from core import versions
from core.models import Transition
from governance.models import City, Organisation
from projects import services as project_services
from projects.models import (
    Action,
    Grant,
    Implementer,
    Indicator,
    Programme,
    Project,
    ReportingPeriod,
    StatusReport,
    StatusReportIndicatorValue,
)
from projects.portfolio_cache import portfolio_changed, reports_changed

THEMES = [
    ("open-innovation", "Avoimet innovaatioalustat", "Open innovation platforms"),
    ("open-data", "Avoin data ja rajapinnat", "Open data and interfaces"),
    ("participation", "Avoin osallisuus ja asiakkuus", "Open participation and customership"),
    ("competence", "Osaaminen ja työllisyys", "Competence and employment"),
    ("low-carbon", "Vähähiilisyys", "Low-carbon city"),
    ("industry", "Teollisuus ja kiertotalous", "Industry and circular economy"),
]
WORDS = [
    "Älykäs", "Kestävä", "Avoin", "Digitaalinen", "Yhteinen", "Vihreä", "Osaava", "Uusi",
    "Kaupunki", "Data", "Liikenne", "Energia", "Terveys", "Oppiminen", "Työ", "Kokeilu",
    "alusta", "verkosto", "palvelu", "yhteisö", "ekosysteemi", "laboratorio", "polku", "malli",
]  # fmt: skip
FUNDERS = [
    ("Uudenmaan liitto", "regional_council", "EAKR"),
    ("Pirkanmaan liitto", "regional_council", "AKKE"),
    ("Hämeen ELY-keskus", "ely_centre", "ESR"),
    ("Työ- ja elinkeinoministeriö", "ministry", "national"),
]
BATCH = 2000


@dataclass
class Generated:
    projects: int = 0
    organisations: int = 0
    reports: int = 0
    indicator_values: int = 0


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randrange(low // 1000, high // 1000) * 1000)


def _organisations(rng: random.Random, cities: list[City], count: int) -> list[Organisation]:
    kinds = ["company", "university", "city_company", "other"]
    existing = set(Organisation.objects.values_list("name", flat=True))
    new = []
    for i in range(count):
        city = cities[i % len(cities)]
        name = f"{rng.choice(WORDS).capitalize()} {city.name_fi} {i + 1} Oy (synteettinen)"
        if name not in existing:
            new.append(Organisation(name=name, kind=rng.choice(kinds), city=city))
    Organisation.objects.bulk_create(new, batch_size=BATCH)
    return list(Organisation.objects.filter(name__endswith="(synteettinen)").order_by("pk"))


def generate_portfolio(*, projects: int, seed: int = 1, today: dt.date | None = None) -> Generated:
    """Add ``projects`` synthetic projects with funding, implementers across the six cities,
    indicators, actions and eight reporting periods of status reports."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    today = today or timezone.localdate()
    result = Generated()
    with transaction.atomic():
        programmes = project_services.programmes_ensure()
        themes = [
            project_services.theme_upsert(slug=slug, names={"fi": fi, "en": en})
            for slug, fi, en in THEMES
        ]
        cities = list(City.objects.order_by("order"))
        orgs_by_city: dict[int, list[Organisation]] = {c.pk: [] for c in cities}
        for org in _organisations(rng, cities, max(30, projects // 4)):
            orgs_by_city[org.city_id].append(org)
        funders = [
            project_services.organisation_find_or_create(name=name) for name, _k, _i in FUNDERS
        ]
        # Eight half-years, the last one the current half-year.
        current = dt.date(today.year, 1 if today.month <= 6 else 7, 1)
        first = dt.date(
            current.year - 4 + (1 if current.month == 7 else 0), 7 if current.month == 1 else 1, 1
        )
        periods = project_services.reporting_periods_generate(first_start=first, months=6, count=8)

        start_code = Project.objects.filter(code__startswith="G").count()
        new_projects = []
        plans = []
        for i in range(projects):
            programme = programmes["6aika"] if rng.random() < 0.85 else programmes["other"]
            start = first + dt.timedelta(days=rng.randrange(0, 4 * 365))
            end = start + dt.timedelta(days=rng.randrange(365, 3 * 365))
            status = (
                Project.Status.PLANNED
                if start > today
                else Project.Status.CLOSED
                if end < today
                else Project.Status.RUNNING
            )
            n_cities = rng.randint(2, 4) if programme.kind == Programme.Kind.SIX_AIKA else 1
            project_cities = rng.sample(cities, n_cities)
            implementers = [rng.choice(orgs_by_city[c.pk]) for c in project_cities]
            total = _money(rng, 200_000, 4_000_000)
            rate = Decimal(rng.choice([60, 70, 75, 80])) / 100
            n_funders = rng.randint(1, 2)
            granted_parts = [
                (total * rate / n_funders).quantize(Decimal(1)) for _ in range(n_funders)
            ]
            words = rng.sample(WORDS, 3)
            new_projects.append(
                Project(
                    code=f"G{start_code + i + 1:06d}",
                    name_fi=f"{words[0]} {words[1].lower()}{words[2]} {i + 1}",
                    name_en=f"Synthetic project {i + 1}",
                    summary_fi="Synteettinen hanke suorituskykymittauksia varten.",
                    programme=programme,
                    theme=rng.choice(themes),
                    start_date=start,
                    end_date=end,
                    status=status,
                    total_cost=total,
                    granted=sum(granted_parts),
                )
            )
            plans.append(
                (project_cities, implementers, granted_parts, rng.sample(funders, n_funders))
            )
        Project.objects.bulk_create(new_projects, batch_size=BATCH)
        created = list(Project.objects.filter(code__startswith="G").order_by("-pk")[:projects])[
            ::-1
        ]

        implementers, city_links, grants, indicators, actions = [], [], [], [], []
        CityLink = Project.cities.through
        for project, (pcities, porgs, parts, pfunders) in zip(created, plans, strict=True):
            seen = set()
            for j, org in enumerate(porgs):
                if org.pk in seen:
                    continue
                seen.add(org.pk)
                implementers.append(
                    Implementer(
                        project=project,
                        organisation=org,
                        is_lead=j == 0,
                        budget=(project.total_cost / len(porgs)).quantize(Decimal(1)),
                    )
                )
            city_links += [CityLink(project_id=project.pk, city_id=c.pk) for c in pcities]
            grants += [
                Grant(project=project, funder=f, instrument=FUNDERS[funders.index(f)][2], amount=a)
                for f, a in zip(pfunders, parts, strict=True)
            ]
            for k in range(rng.randint(2, 3)):
                indicators.append(
                    Indicator(
                        project=project,
                        code=f"I{k + 1}",
                        name=["Yrityksiä mukana", "Kokeiluja", "Osallistujia"][k],
                        unit=["kpl", "kpl", "henkeä"][k],
                        target=Decimal(rng.randrange(10, 500)),
                    )
                )
            for k in range(3):
                actions.append(Action(project=project, order=k + 1, title=f"Toimenpide {k + 1}"))
        Implementer.objects.bulk_create(implementers, batch_size=BATCH)
        CityLink.objects.bulk_create(city_links, batch_size=BATCH)
        Grant.objects.bulk_create(grants, batch_size=BATCH)
        Indicator.objects.bulk_create(indicators, batch_size=BATCH)
        Action.objects.bulk_create(actions, batch_size=BATCH)

        result.projects = len(created)
        result.organisations = sum(len(v) for v in orgs_by_city.values())
        _status_reports(rng, created, periods, today, result)
        portfolio_changed()  # bulk inserts send no signals: the cached totals are stale
        versions.changed("projects", "governance")  # and the pages kept (core/page_cache.py)
    return result


def _status_reports(
    rng: random.Random,
    projects: list[Project],
    periods: list[ReportingPeriod],
    today: dt.date,
    result: Generated,
) -> None:
    office = get_user_model().objects.filter(username="toimisto").first()
    reports = []
    for project in projects:
        for period in periods:
            if project.start_date > period.end_date or project.end_date < period.start_date:
                continue
            if period.start_date > today:
                continue
            if period.end_date >= today:  # the current period: being written
                state = rng.choice(["draft", "draft", "submitted"])
            elif period.due_date >= today - dt.timedelta(days=200):  # the previous one
                state = rng.choice(["draft", "submitted", "returned", "accepted", "accepted"])
            else:
                state = "accepted"
            reports.append(
                StatusReport(
                    project=project,
                    period=period,
                    state=state,
                    overall_status=rng.choice(["green", "green", "green", "amber", "red"]),
                    schedule_status=rng.choice(["green", "amber"]),
                    budget_status=rng.choice(["green", "amber"]),
                    scope_status="green",
                    narrative="Hanke on edennyt suunnitelman mukaisesti. " * 3,
                    costs_to_date=(project.total_cost * Decimal(rng.randint(5, 95)) / 100).quantize(
                        Decimal(1)
                    ),
                    risks="Henkilöstövaihdokset.",
                    next_steps="Seuraavan kauden kokeilut.",
                    updated_by=office,
                )
            )
    StatusReport.objects.bulk_create(reports, batch_size=BATCH)
    reports_changed()  # bulk inserts send no signals: cached report counts are stale
    project_ids = [p.pk for p in projects]
    saved = list(
        StatusReport.objects.filter(project_id__in=project_ids).only("pk", "project_id", "state")
    )
    indicators_by_project: dict[int, list[Indicator]] = {}
    for ind in Indicator.objects.filter(project_id__in=project_ids).only(
        "pk", "project_id", "target"
    ):
        indicators_by_project.setdefault(ind.project_id, []).append(ind)
    values, transitions = [], []
    kind = ContentType.objects.get_for_model(StatusReport)

    def moved(report, source: str, target: str, name: str, comment: str = "") -> Transition:
        return Transition(
            content_type=kind,
            object_id=report.pk,
            workflow=project_services.STATUS_REPORTS.name,
            name=name,
            from_state=source,
            to_state=target,
            by=office,
            comment=comment,
        )

    for report in saved:
        if report.state == "draft":
            continue
        transitions.append(moved(report, "draft", "submitted", "submit"))
        if report.state == "returned":
            transitions.append(
                moved(report, "submitted", "returned", "return", "Täydennä kustannukset.")
            )
        if report.state == "accepted":
            transitions.append(moved(report, "submitted", "accepted", "accept"))
            for ind in indicators_by_project.get(report.project_id, []):
                values.append(
                    StatusReportIndicatorValue(
                        report=report,
                        indicator=ind,
                        achieved=(ind.target * Decimal(rng.randint(0, 100)) / 100).quantize(
                            Decimal(1)
                        ),
                    )
                )
    Transition.objects.bulk_create(transitions, batch_size=BATCH)
    StatusReportIndicatorValue.objects.bulk_create(values, batch_size=BATCH)
    result.reports = len(saved)
    result.indicator_values = len(values)
