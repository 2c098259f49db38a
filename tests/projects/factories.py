"""Test data for projects, made through the services so it obeys the same rules as real data."""

import datetime as dt
from decimal import Decimal
from itertools import count

from governance.models import City, Organisation
from projects import services
from projects.models import Programme, Project

_seq = count(1)


def org(name: str, city_slug: str | None = None) -> Organisation:
    city = City.objects.get(slug=city_slug) if city_slug else None
    found = Organisation.objects.filter(name=name).first()
    if found:
        return found
    return Organisation.objects.create(name=name, kind="other", city=city)


def project(
    *,
    name: str | None = None,
    cities: tuple[str, ...] = ("helsinki", "espoo"),
    programme: str = "6aika",
    total: str = "100000",
    granted: str = "70000",
    instrument: str = "EAKR",
    start: dt.date = dt.date(2024, 1, 1),
    end: dt.date = dt.date(2027, 12, 31),
    status: str | None = Project.Status.RUNNING,
    code: str = "",
) -> Project:
    n = next(_seq)
    programmes = services.programmes_ensure()
    orgs = [org(f"Toteuttaja {c} {n}", c) for c in cities]
    funder = org("Uudenmaan liitto")
    return services.project_upsert(
        spec=services.ProjectSpec(
            code=code,
            name_fi=name or f"Testihanke {n}",
            programme=programmes[programme]
            if programme in programmes
            else Programme.objects.get(slug=programme),
            lead=orgs[0] if orgs else None,
            partners=[(o, Decimal("1000")) for o in orgs[1:]],
            start_date=start,
            end_date=end,
            status=status,
            total_cost=Decimal(total),
            grants=[(funder, instrument, Decimal(granted))] if Decimal(granted) else [],
        ),
        enforce_programme_rule=programme == "6aika" and len(set(cities)) >= 2,
    )


def full_project() -> Project:
    """A project with everything filled in, as the strategy office completes one."""
    programmes = services.programmes_ensure()
    parent = project(name="Kärkihanke")
    helsinki = org("Helsingin kaupunki", "helsinki")
    espoo = org("Espoon kaupunki", "espoo")
    return services.project_upsert(
        spec=services.ProjectSpec(
            code="A70099",
            name_fi="Täysi hanke",
            name_en="Full project",
            summary_fi="Tiivistelmä",
            summary_en="Summary",
            programme=programmes["6aika"],
            parent=parent,
            lead=helsinki,
            lead_budget=Decimal("300000"),
            partners=[(espoo, Decimal("200000"))],
            declared_cities=[City.objects.get(slug="oulu")],
            target_groups=["Yritykset", "Nuoret"],
            start_date=dt.date(2024, 1, 1),
            end_date=dt.date(2026, 12, 31),
            status=Project.Status.CLOSED,  # closed early, whatever the dates say
            total_cost=Decimal("500000"),
            grants=[(org("Uudenmaan liitto"), "EAKR", Decimal("350000"))],
            contributions=[
                (City.objects.get(slug="helsinki"), Decimal("90000")),
                (City.objects.get(slug="espoo"), Decimal("60000")),
            ],
        )
    )


def project_state(project: Project) -> dict[str, object]:
    project = Project.objects.get(pk=project.pk)
    return {
        "code": project.code,
        "name_en": project.name_en,
        "summary_fi": project.summary_fi,
        "summary_en": project.summary_en,
        "parent": project.parent.name_fi if project.parent else None,
        "status": project.status,
        "total_cost": project.total_cost,
        "granted": project.granted,
        "period": (project.start_date, project.end_date),
        "implementers": sorted(
            (i.organisation.name, i.is_lead, i.budget) for i in project.implementers.all()
        ),
        "cities": sorted(c.slug for c in project.cities.all()),
        "target_groups": sorted(t.name for t in project.target_groups.all()),
        "grants": sorted((g.funder.name, g.instrument, g.amount) for g in project.grants.all()),
        "contributions": sorted((c.city.slug, c.amount) for c in project.city_contributions.all()),
    }
