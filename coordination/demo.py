"""Demo data for coordination (``make run`` only, called from ``sixaika.demo``).

The source page names no city coordinators, so the demo coordinators are demo people, named as
such. Everything here is idempotent: running it again creates nothing twice.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from governance.models import City, Organisation, Person, Seat
from governance.services import person_upsert
from projects import sixnet
from projects.demo import DEMO_OPEN_DATA
from projects.models import Project

from . import services
from .models import AnnualClockEvent, CityCoordinator, Event, ResultAdoption, VisitorGroup

# city slug -> the city's own organisation, where its demo coordinator works
CITY_ORGANISATIONS = {
    "helsinki": "Helsingin kaupunki",
    "espoo": "Espoon kaupunki",
    "vantaa": "Vantaan kaupunki",
    "tampere": "Tampereen kaupunki",
    "turku": "Turun kaupunki",
    "oulu": "Oulun kaupunki",
}

DEMO_VISITOR_GROUP = "Smart City -delegaatio, Tallinna"
DEMO_EVENT = "6Aika-koordinaattoreiden verkostopäivä"
DEMO_ROADSHOW = "SIXNET-roadshow: Älykäs valmistus 2030"
DEMO_RESULT = "Demo – avoimen datan rajapintamalli"

# title fi, sv, en; kind; month, day; start time
DEMO_CLOCK = [
    (
        (
            "Hankkeiden seurantaraportit",
            "Projektens uppföljningsrapporter",
            "Projects' monitoring reports",
        ),
        AnnualClockEvent.Kind.REPORTING_DEADLINE,
        (2, 28),
        None,
    ),
    (
        (
            "Hankkeiden seurantaraportit",
            "Projektens uppföljningsrapporter",
            "Projects' monitoring reports",
        ),
        AnnualClockEvent.Kind.REPORTING_DEADLINE,
        (8, 31),
        None,
    ),
    (
        ("Strategian vuosiraportin ajo", "Strategins årsrapport", "Strategy annual report run"),
        AnnualClockEvent.Kind.REPORT_RUN,
        (3, 15),
        None,
    ),
    (
        (
            "Koordinaattoreiden vuosisuunnittelu",
            "Koordinatorernas årsplanering",
            "Coordinators' annual planning",
        ),
        AnnualClockEvent.Kind.OTHER,
        (11, 20),
        datetime.time(9, 0),
    ),
]


def coordination_demo_load() -> None:
    """Demo coordinators for the koordinaattori-<city> accounts, a turn in the rotating seat,
    annual clock entries, a visitor group and an event."""
    User = get_user_model()
    today = timezone.localdate()
    start_of_year = datetime.date(today.year, 1, 1)
    with transaction.atomic():
        cities = {c.slug: c for c in City.objects.all()}
        for slug, org_name in CITY_ORGANISATIONS.items():
            city = cities.get(slug)
            user = User.objects.filter(username=f"koordinaattori-{slug}").first()
            if city is None or user is None:
                continue
            person = person_upsert(
                first_name="Demo",
                last_name=f"Koordinaattori {city.name_fi}",
                organisation=Organisation.objects.get(name=org_name),
                title="kaupunkikoordinaattori",
            )
            Person.objects.filter(pk=person.pk, user__isnull=True).update(
                user=user, email=f"koordinaattori.{slug}@example.invalid"
            )
            person.refresh_from_db()
            if not CityCoordinator.objects.filter(city=city, until__isnull=True).exists():
                services.city_coordinator_assign(
                    city=city, person=person, since=datetime.date(today.year - 1, 8, 1)
                )

        seat = Seat.objects.filter(is_rotating=True).first()
        if seat is not None and "tampere" in cities and not seat.turns.exists():
            services.rotating_seat_turn_add(
                seat=seat,
                city=cities["turku"],
                starts_on=datetime.date(today.year - 1, 1, 1),
                ends_on=datetime.date(today.year - 1, 12, 31),
            )
            services.rotating_seat_turn_add(
                seat=seat,
                city=cities["tampere"],
                starts_on=start_of_year,
                ends_on=datetime.date(today.year, 12, 31),
            )

        for titles, kind, (month, day), time in DEMO_CLOCK:
            when = datetime.date(today.year - 1, month, day)
            if AnnualClockEvent.objects.filter(title_fi=titles[0], starts_on=when).exists():
                continue
            services.annual_clock_event_save(
                event=None,
                data={
                    "title_fi": titles[0],
                    "title_sv": titles[1],
                    "title_en": titles[2],
                    "kind": kind,
                    "starts_on": when,
                    "start_time": time,
                    "recurrence": AnnualClockEvent.Recurrence.YEARLY,
                },
                by=None,
                allowed_cities=None,
            )

        if (
            "tampere" in cities
            and not VisitorGroup.objects.filter(name=DEMO_VISITOR_GROUP).exists()
        ):
            services.visitor_group_save(
                group=None,
                data={
                    "name": DEMO_VISITOR_GROUP,
                    "origin": VisitorGroup.Origin.INTERNATIONAL,
                    "country": "Viro",
                    "requested_on": start_of_year,
                    "visit_starts": start_of_year + datetime.timedelta(days=60),
                    "visit_ends": start_of_year + datetime.timedelta(days=61),
                    "topics": "Avoin data, älykäs liikenne",
                    "host_cities": [cities["tampere"], cities["helsinki"]],
                    "hosts": list(
                        CityCoordinator.objects.filter(
                            city__slug__in=["tampere", "helsinki"], until__isnull=True
                        ).values_list("person", flat=True)
                    ),
                },
                allowed_cities=None,
            )

        if "tampere" in cities and not Event.objects.filter(title=DEMO_EVENT).exists():
            event = services.event_save(
                event=None,
                data={
                    "title": DEMO_EVENT,
                    "kind": Event.Kind.OTHER,
                    "place": "Tampere-talo",
                    "starts_on": start_of_year + datetime.timedelta(days=120),
                    "organiser": Organisation.objects.get(name="Tampereen kaupunki"),
                },
                allowed_cities=None,
            )
            services.event_material_add(
                event=event,
                title="Ohjelma",
                file=ContentFile(DEMO_PROGRAMME_PDF, name="ohjelma.pdf"),
            )
            services.event_material_add(
                event=event, title="6Aika-strategia", url="https://6aika.fi/"
            )

        sixnet_roadshow_load()
        result_adoption_demo_load()


def sixnet_roadshow_load() -> Event | None:
    """One of SIXNET's hybrid roadshows (action area 3 on its page), once SIXNET is loaded."""
    project = Project.objects.filter(name_fi=sixnet.NAME_FI).first()
    organiser = Organisation.objects.filter(name="Business Tampere Oy").first()
    if project is None or organiser is None:
        return None
    existing = Event.objects.filter(title=DEMO_ROADSHOW).first()
    if existing is not None:
        return existing
    return services.event_save(
        event=None,
        data={
            "title": DEMO_ROADSHOW,
            "kind": Event.Kind.ROADSHOW,
            "description": (
                "Demo. Hybridimuotoinen roadshow-tapahtuma verkostokumppanin paikkakunnalla: "
                "teollisuuden TKIO-päättäjät, tutkimus-, koulutus- ja julkistoimijat "
                "keskustelevat ylimaakunnallisista kehityshankkeista yhteisen tiekartan mukaisesti."
            ),
            "place": "Tampere",
            "online_link": "https://example.invalid/sixnet-roadshow",
            "starts_on": datetime.date(2023, 5, 16),
            "organiser": organiser,
            "project": project,
        },
        allowed_cities=None,
    )


def result_adoption_demo_load() -> None:
    project = Project.objects.filter(name_fi=DEMO_OPEN_DATA).first()
    if project is None or ResultAdoption.objects.filter(result=DEMO_RESULT).exists():
        return
    for slug, day in (("oulu", datetime.date(2025, 10, 1)), ("turku", datetime.date(2026, 2, 2))):
        services.result_adoption_save(
            adoption=None,
            data={
                "project": project,
                "result": DEMO_RESULT,
                "city": City.objects.get(slug=slug),
                "adopted_on": day,
                "note": "Demo",
            },
            by=None,
            allowed_cities=None,
        )


# A one-page PDF, so the demo event has a file to download.
DEMO_PROGRAMME_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
