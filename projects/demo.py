"""Demo portfolio for ``load_demo`` (never created by migrations): a few 6Aika projects that
are clearly marked as demo, across the six cities, half-year reporting periods and reports in
every state. Run after the demo accounts exist. Idempotent."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from governance.models import City, Organisation

from . import services
from .models import Project, ReportingPeriod, StatusReport

State = StatusReport.State

DEMO_PREFIX = "Demo – "
DEMO_OPEN_DATA = DEMO_PREFIX + "Avoimet datapalvelut kaupunkilaisille"
DEMO_COMPETENCE = DEMO_PREFIX + "Osaajat töihin kuutoskaupungeissa"
DEMO_CIRCULAR = DEMO_PREFIX + "Kiertotalouden kokeilualusta"
DEMO_HISTORICAL = DEMO_PREFIX + "Avoin osallisuus (vanha tieto)"
# The draft report the access walk edits: Helsinki, Espoo and Vantaa take part in the project.
DEMO_DRAFT_PERIOD = "2026 H1"


def _org(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def _projects() -> dict[str, Project]:
    programmes = services.programmes_ensure()
    open_data = services.theme_upsert(
        slug="open-data",
        names={"fi": "Avoin data ja rajapinnat", "sv": "Öppna data", "en": "Open data"},
    )
    competence = services.theme_upsert(
        slug="competence",
        names={"fi": "Osaaminen ja työllisyys", "sv": "Kompetens", "en": "Competence and jobs"},
    )
    platforms = services.theme_upsert(
        slug="platforms",
        names={
            "fi": "Avoimet innovaatioalustat",
            "sv": "Öppna innovationsplattformar",
            "en": "Open innovation platforms",
        },
    )
    six = programmes["6aika"]
    city = {c.slug: c for c in City.objects.all()}
    p1 = services.project_upsert(
        spec=services.ProjectSpec(
            code="DEMO001",
            name_fi=DEMO_OPEN_DATA,
            name_en="Demo – Open data services for residents",
            summary_fi=(
                "Demoaineistoa: kolme kaupunkia avaa palveludataa ja kokeilee sitä "
                "yritysten kanssa."
            ),
            summary_en="Demo data: three cities open service data and try it out with companies.",
            programme=six,
            theme=open_data,
            lead=_org("Helsingin kaupunki"),
            lead_budget=Decimal("400000"),
            partners=[
                (_org("Espoon kaupunki"), Decimal("250000")),
                (_org("Vantaan kaupunki"), Decimal("200000")),
            ],
            target_groups=["Yritykset", "Tutkimus- ja oppilaitokset"],
            start_date=dt.date(2024, 1, 1),
            end_date=dt.date(2026, 12, 31),
            total_cost=Decimal("850000"),
            grants=[(_org("Uudenmaan liitto"), "EAKR", Decimal("595000"))],
            contributions=[
                (city["helsinki"], Decimal("120000")),
                (city["espoo"], Decimal("75000")),
                (city["vantaa"], Decimal("60000")),
            ],
        )
    )
    services.project_actions_replace(
        project=p1,
        actions=[
            ("Datan avaaminen", ["Palveludatan kartoitus", "Rajapintojen julkaisu"]),
            ("Yrityskokeilut", ["Kokeiluhaku", "Kokeilujen arviointi"]),
        ],
    )
    services.indicator_upsert(
        project=p1, code="R01", name="Uudet datapalvelut", unit="kpl", target=Decimal(12)
    )
    services.indicator_upsert(
        project=p1, code="R02", name="Osallistuneet yritykset", unit="kpl", target=Decimal(40)
    )
    p2 = services.project_upsert(
        spec=services.ProjectSpec(
            code="DEMO002",
            name_fi=DEMO_COMPETENCE,
            name_en="Demo – Skilled people to work in the six cities",
            summary_fi="Demoaineistoa: ESR-hanke, joka tukee nuoria ja maahanmuuttajia töihin.",
            programme=six,
            theme=competence,
            lead=_org("Tampereen kaupunki"),
            partners=[(_org("Turun kaupunki"), None), (_org("Oulun kaupunki"), None)],
            target_groups=["Nuoret", "Maahanmuuttajat", "Työttömät työnhakijat"],
            start_date=dt.date(2024, 3, 1),
            end_date=dt.date(2027, 2, 28),
            total_cost=Decimal("1200000"),
            grants=[(_org("Hämeen ELY-keskus"), "ESR", Decimal("900000"))],
        )
    )
    services.indicator_upsert(
        project=p2, code="T01", name="Työllistyneet osallistujat", unit="hlö", target=Decimal(150)
    )
    p3 = services.project_upsert(
        spec=services.ProjectSpec(
            code="DEMO003",
            name_fi=DEMO_CIRCULAR,
            name_en="Demo – Circular economy test platform",
            programme=six,
            theme=platforms,
            lead=_org("Business Tampere Oy"),
            partners=[(_org("Turku Science Park Oy"), None), (_org("BusinessOulu"), None)],
            target_groups=["Yritykset"],
            start_date=dt.date(2025, 1, 1),
            end_date=dt.date(2026, 12, 31),
            total_cost=Decimal("500000"),
            grants=[(_org("Pirkanmaan liitto"), "EAKR", Decimal("350000"))],
        )
    )
    p4 = services.project_upsert(
        spec=services.ProjectSpec(
            name_fi=DEMO_HISTORICAL,
            name_en="Demo – Open participation (old record)",
            programme=six,
            theme=platforms,
            parent=None,
            lead=_org("Helsingin kaupunki"),
            start_date=dt.date(2015, 9, 1),
            end_date=dt.date(2017, 12, 31),
            total_cost=Decimal("1000000"),
            grants=[(_org("Uudenmaan liitto"), "EAKR", Decimal("700000"))],
        ),
        enforce_programme_rule=False,  # as an import of a historical record would
    )
    return {"open_data": p1, "competence": p2, "circular": p3, "historical": p4}


def _report(project, period, by, *, content, steps) -> None:
    if StatusReport.objects.filter(project=project, period=period).exists():
        return
    report = services.status_report_start(project=project, period=period, by=by["editor"])
    report = services.status_report_update(
        report=report, content=content, expected_version=report.version, by=by["editor"]
    )
    for to_state, who, comment in steps:
        report = services.status_report_transition(
            report=report, to_state=to_state, by=by[who], comment=comment
        )


def portfolio_demo_load() -> None:
    User = get_user_model()
    with transaction.atomic():
        projects = _projects()
        services.reporting_periods_generate(
            first_start=dt.date(2025, 1, 1), months=6, count=4, due_days=30
        )
        periods = {p.name: p for p in ReportingPeriod.objects.all()}
        users = {
            u.username: u
            for u in User.objects.filter(
                username__in=["toimisto", "koordinaattori-helsinki", "koordinaattori-tampere"]
            )
        }
        if len(users) < 3:
            return  # the demo accounts are made first (sixaika.demo)
        office = users["toimisto"]
        helsinki = {"editor": users["koordinaattori-helsinki"], "office": office}
        tampere = {"editor": users["koordinaattori-tampere"], "office": office}
        p1 = projects["open_data"]
        ind = {i.code: i.pk for i in p1.indicators.all()}
        good = services.ReportContent(
            overall_status="green",
            schedule_status="green",
            budget_status="green",
            scope_status="amber",
            narrative="Palveludatan kartoitus valmistui kaikissa kolmessa kaupungissa.",
            costs_to_date=Decimal("180000"),
            risks="Rajapintojen ylläpidon vastuut ovat vielä sopimatta.",
            next_steps="Julkaistaan kolme ensimmäistä rajapintaa.",
            indicator_values={ind["R01"]: Decimal(3), ind["R02"]: Decimal(11)},
        )
        _report(
            p1,
            periods["2025 H1"],
            helsinki,
            content=good,
            steps=[(State.SUBMITTED, "editor", ""), (State.ACCEPTED, "office", "")],
        )
        _report(
            p1,
            periods["2025 H2"],
            helsinki,
            content=services.ReportContent(
                overall_status="amber",
                schedule_status="amber",
                budget_status="green",
                scope_status="green",
                narrative="Kaksi rajapintaa julkaistiin; kolmas viivästyi.",
                costs_to_date=Decimal("310000"),
                risks="Toimittajan resurssit.",
                next_steps="Kokeiluhaku avataan.",
                indicator_values={ind["R01"]: Decimal(5), ind["R02"]: Decimal(18)},
            ),
            steps=[
                (State.SUBMITTED, "editor", ""),
                (
                    State.RETURNED,
                    "office",
                    "Kustannukset eivät täsmää maksatushakemukseen; tarkistakaa luku.",
                ),
            ],
        )
        _report(
            p1,
            periods[DEMO_DRAFT_PERIOD],
            helsinki,
            content=services.ReportContent(narrative="Luonnos: kokeiluhaku on käynnissä."),
            steps=[],
        )
        _report(
            projects["competence"],
            periods["2025 H2"],
            tampere,
            content=services.ReportContent(
                overall_status="green",
                schedule_status="green",
                budget_status="amber",
                scope_status="green",
                narrative="Ensimmäiset ryhmät aloittivat kaikissa kolmessa kaupungissa.",
                costs_to_date=Decimal("420000"),
                risks="Osallistujien tavoittaminen Oulussa.",
                next_steps="Toinen hakukierros.",
            ),
            steps=[(State.SUBMITTED, "editor", "")],
        )
