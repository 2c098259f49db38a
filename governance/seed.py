"""The real 6Aika organisation, shipped with the portal (``organisation_6aika.py``, from 6Aika's
own page) and loaded by ``load_6aika`` through the services. Demo data is in ``demo.py``."""

from django.db import transaction

from . import organisation_6aika as data
from .models import Body, City, Organisation, Person, Seat
from .services import (
    SeatSpec,
    body_seats_replace,
    body_upsert,
    city_upsert,
    organisation_upsert,
    person_upsert,
)


def organisation_6aika_load(*, resync: bool = False) -> dict[str, int]:
    """Load the six cities, the organisations, people and both bodies' seats from the source page.

    By default only what is missing is created: a city, organisation or body that exists is left
    as the strategy office has edited it, and a body that has seats keeps them (``load_6aika``
    runs at every deploy, so the office's changes must survive it). ``resync=True`` makes
    everything exactly the source page again (``load_6aika --resync``).

    Idempotent either way: running it again changes nothing and creates nothing twice.
    """
    with transaction.atomic():
        cities = {
            slug: (None if resync else City.objects.filter(slug=slug).first())
            or city_upsert(slug=slug, names={"fi": fi, "sv": sv, "en": en}, order=i)
            for i, (slug, fi, sv, en) in enumerate(data.CITIES, start=1)
        }
        orgs = {
            name: (None if resync else Organisation.objects.filter(name__iexact=name).first())
            or organisation_upsert(name=name, kind=kind, city=cities.get(city or ""))
            for name, kind, city in data.ORGANISATIONS
        }

        def person(spec: data.P | None) -> Person | None:
            if spec is None:
                return None
            first, last, title, org, unit = spec
            translations = {
                language: {
                    "title": data.TITLES.get(title, ("", ""))[i],
                    "unit": data.UNITS.get(unit, ("", ""))[i],
                }
                for i, language in enumerate(("sv", "en"))
            }
            return person_upsert(
                first_name=first,
                last_name=last,
                organisation=orgs[org],
                title=title,
                unit=unit,
                translations=translations,
            )

        seat_count = 0
        for kind, seat_rows in (
            ("board", data.BOARD_SEATS),
            ("steering_group", data.STEERING_GROUP_SEATS),
        ):
            spec = data.BODIES[kind]
            existing = None if resync else Body.objects.filter(kind=kind).first()
            body = existing or body_upsert(
                kind=kind,
                names=spec["names"],
                descriptions=spec["descriptions"],
                order=spec["order"],
            )
            if existing is not None and existing.seats.exists():
                seat_count += existing.seats.count()
                continue
            seats = []
            for order, (role, member_spec, deputy_spec) in enumerate(seat_rows, start=1):
                member = person(member_spec)
                seats.append(
                    SeatSpec(
                        order=order,
                        role=role,
                        member=member,
                        organisation=member.organisation if member else None,
                        deputy=person(deputy_spec),
                    )
                )
            if kind == "steering_group":
                seats.append(
                    SeatSpec(
                        order=len(seats) + 1,
                        role=Seat.Role.MEMBER,
                        member=None,
                        organisation=None,
                        is_rotating=True,
                        labels=data.ROTATING_SEAT_LABELS,
                    )
                )
            seat_count += len(body_seats_replace(body=body, seats=seats))
        return {
            "cities": len(cities),
            "organisations": len(orgs),
            "people": Person.objects.count(),
            "seats": seat_count,
        }
