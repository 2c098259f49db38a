"""Test data for calls, applications and evaluation, made through the services."""

import datetime as dt
from decimal import Decimal
from itertools import count

from django.contrib.auth import get_user_model

from calls import services as calls_services
from calls.models import Application, Call
from governance.models import Organisation, Person
from governance.roles import Role
from governance.services import user_role_grant
from projects import services

_seq = count(1)
TODAY = dt.date(2026, 3, 15)


def org(name: str, city_slug: str | None = None) -> Organisation:
    from tests.projects.factories import org as make_org

    return make_org(name, city_slug)


def call(
    *,
    name: str | None = None,
    opens_on: dt.date = dt.date(2026, 3, 1),
    closes_on: dt.date = dt.date(2026, 3, 31),
    money: str = "1000000",
    weights: tuple[str, ...] = ("3", "1"),
    two_stage: bool = False,
    programme: str = "6aika",
    by=None,
) -> Call:
    programmes = services.programmes_ensure()
    return calls_services.call_create(
        name=name or f"Testihaku {next(_seq)}",
        programme=programmes[programme],
        instrument="EAKR",
        funder=Organisation.objects.get(name="Uudenmaan liitto"),
        opens_on=opens_on,
        closes_on=closes_on,
        money_available=Decimal(money),
        two_stage=two_stage,
        criteria=[
            calls_services.CriterionSpec(name=f"Kriteeri {i}", weight=Decimal(w))
            for i, w in enumerate(weights, start=1)
        ],
        by=by,
    )


def application(
    the_call: Call,
    *,
    title: str | None = None,
    applicant: Organisation | None = None,
    co_applicants: list[Organisation] | None = None,
    requested: str = "100000",
    budget: str = "150000",
    stage: str = Application.Stage.FULL,
    by=None,
    today: dt.date = TODAY,
) -> Application:
    n = next(_seq)
    return calls_services.application_register(
        call=the_call,
        spec=calls_services.ApplicationSpec(
            title=title or f"Hakemus {n}",
            applicant=applicant or org(f"Hakija Helsinki {n}", "helsinki"),
            co_applicants=co_applicants
            if co_applicants is not None
            else [org(f"Osahakija Espoo {n}", "espoo")],
            summary="Tiivistelmä.",
            budget=Decimal(budget),
            requested=Decimal(requested),
            stage=stage,
        ),
        by=by,
        today=today,
    )


def evaluator_user(first: str, last: str):
    """A steering group user for the real steering group member ``first last``."""
    person = Person.objects.get(first_name=first, last_name=last)
    if person.user_id:
        return person.user
    user = get_user_model().objects.create_user(f"sg-{last.lower()}", password="x-unused-9876")
    user_role_grant(user=user, role=Role.STEERING_GROUP)
    person.user = user
    person.save(update_fields=["user"])
    return user


def office_user():
    user = get_user_model().objects.create_user("office-test", password="x-unused-9876")
    user_role_grant(user=user, role=Role.STRATEGY_OFFICE)
    return user


def board_chair_user():
    person = Person.objects.get(first_name="Tuula", last_name="Antola")
    if person.user_id:
        return person.user
    user = get_user_model().objects.create_user("chair-test", password="x-unused-9876")
    user_role_grant(user=user, role=Role.BOARD)
    person.user = user
    person.save(update_fields=["user"])
    return user


def score(application: Application, person: Person, values: list[int], comment: str = ""):
    criteria = list(application.call.criteria.order_by("order"))
    return calls_services.evaluation_submit(
        application=application,
        evaluator=person,
        scores={c.pk: v for c, v in zip(criteria, values, strict=True)},
        comment=comment,
        by=person.user,
    )
