"""Factories for coordination tests (on top of the real 6Aika data from ``org_6aika``)."""

import datetime

import factory

from coordination.models import AnnualClockEvent, Event, VisitorGroup
from governance.models import City, Organisation, Person


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Sequence(lambda n: f"Testi{n}")
    last_name = "Henkilö"
    organisation = factory.LazyFunction(lambda: Organisation.objects.get(name="Oulun kaupunki"))


class AnnualClockEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualClockEvent

    title_fi = factory.Sequence(lambda n: f"Tapahtuma {n}")
    kind = AnnualClockEvent.Kind.OTHER
    starts_on = datetime.date(2026, 3, 10)


class VisitorGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisitorGroup
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Vierailijaryhmä {n}")
    origin = VisitorGroup.Origin.NATIONAL
    country = "Suomi"
    requested_on = datetime.date(2026, 1, 5)
    topics = "Avoin data"

    @factory.post_generation
    def host_cities(self, create, extracted, **kwargs):
        self.host_cities.set(extracted or [City.objects.get(slug="oulu")])

    @factory.post_generation
    def hosts(self, create, extracted, **kwargs):
        self.hosts.set(extracted or [PersonFactory()])


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Roadshow {n}")
    kind = Event.Kind.ROADSHOW
    place = "Oulu"
    starts_on = datetime.date(2026, 4, 1)
    organiser = factory.LazyFunction(lambda: Organisation.objects.get(name="BusinessOulu"))
