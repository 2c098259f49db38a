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
