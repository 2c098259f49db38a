"""Factories for coordination tests (on top of the real 6Aika data from ``org_6aika``)."""

import datetime

import factory
from django.contrib.auth import get_user_model
from guardian.shortcuts import assign_perm

from coordination.models import AnnualClockEvent, Event, VisitorGroup
from governance.models import City, Organisation, Person
from projects.models import Project
from tests.projects.factories import project as project_factory


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


def project_with_contacts(n: int) -> Project:
    """A project of Oulu and Turku whose Oulu lead has two people, one of them the project's
    named contact person (granted its status reports)."""
    project = project_factory(name=f"Oulun testihanke {n}", cities=("oulu", "turku"))
    lead = project.implementers.get(is_lead=True).organisation
    PersonFactory(
        first_name=f"Toteuttaja{n}", organisation=lead, email=f"toteuttaja{n}@example.invalid"
    )
    user = get_user_model().objects.create_user(username=f"yhteyshenkilo{n}")
    PersonFactory(
        first_name=f"Yhteyshenkilö{n}",
        organisation=lead,
        user=user,
        email=f"yhteyshenkilo{n}@example.invalid",
        phone="040 765 4321",
    )
    assign_perm("projects.report_project", user, project)
    return project
