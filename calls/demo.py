"""Demo calls for ``make run`` (never created by migrations), built through the project_services.

A past call with four applications scored by the steering group (two members step aside from
one application: their organisations apply), decided at the board's past demo meeting: one
approved and already a project, one approved with conditions (the strategy office can create
its project), one rejected (ineligible: one city only), one ranked below the money available and
not proposed. A closed winter call whose two scored applications are on the funding item of the
board's meeting in progress today (one from a board member's organisation: the portal proposes
the conflict). And an open two-stage call with two idea papers, one from the steering group demo
user's own city (the portal proposes the conflict), for the scoring journey. Idempotent.
"""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core.demo import demo_email, demo_password_set
from governance.demo import meetings_demo_load
from governance.models import Organisation, Person
from governance.roles import Role
from governance.services import organisation_upsert, user_role_grant
from projects import services as project_services

from . import services
from .models import Application, Call, EvaluationConflict

DEMO_PAST_CALL = "Demo – Kevään 2026 haku: kestävä kaupunkikehitys"
DEMO_OPEN_CALL = "Demo – Syksyn 2026 haku: data ja osaaminen"
DEMO_APPROVED = "Demo – Kiertotalouden datapilotti"
DEMO_CONDITIONAL = "Demo – Älykkään valmistuksen kasvuohjelma"
DEMO_REJECTED = "Demo – Osaajien kotoutumispolku"
DEMO_NOT_PROPOSED = "Demo – Älykkäät satamat"
DEMO_IDEA_CONFLICTED = "Demo – Datavetoinen joukkoliikenne"
DEMO_IDEA = "Demo – Nuorten kesätyöpolku"
DEMO_WINTER_CALL = "Demo – Talven 2026 haku: satamat ja liikenne"
DEMO_TODAY_CONFLICTED = "Demo – Pohjoisten satamien datasilta"
DEMO_TODAY_OTHER = "Demo – Kaupunkipyöräilyn yhteisalusta"

# Steering group members who get a demo account to score with (password as the other demo
# accounts); Riitta Birkstedt is the ``ohjausryhma`` account already.
DEMO_SCORERS = [
    ("Kimmo", "Heinonen"),
    ("Päivi", "Sutinen"),
    ("Jukka", "Anttila"),
    ("Aarne", "Kultalahti"),
    ("Seppo", "Haataja"),
]

# Each scorer's scores per application on the three criteria (weights 3, 2, 1).
SCORES = {
    DEMO_APPROVED: [[5, 4, 4], [4, 4, 5], [5, 5, 4], [4, 5, 4], [5, 4, 3], [4, 4, 4]],
    DEMO_CONDITIONAL: [[4, 4, 3], [4, 3, 3], [3, 4, 4], [4, 4, 4], None, None],
    DEMO_REJECTED: [[3, 2, 4], [3, 3, 3], [2, 2, 4], [3, 2, 3], [3, 3, 2], [2, 3, 3]],
    DEMO_NOT_PROPOSED: [[3, 3, 2], [2, 3, 3], [3, 2, 2], [2, 2, 3], [3, 3, 3], [2, 3, 2]],
    # Kultalahti (fifth) steps aside: BusinessOulu applies.
    DEMO_TODAY_CONFLICTED: [[4, 4, 3], [4, 3, 4], [3, 4, 4], [4, 4, 3], None, [3, 3, 4]],
    DEMO_TODAY_OTHER: [[3, 3, 3], [4, 3, 3], [3, 3, 2], [3, 4, 3], [3, 3, 3], [2, 3, 3]],
}
COMMENTS = {
    DEMO_APPROVED: "Selkeä kuuden kaupungin hyöty ja toteuttamiskelpoinen suunnitelma.",
    DEMO_CONDITIONAL: "Vahva yritysyhteistyö; toisen kaupungin rooli tarkennettava.",
    DEMO_REJECTED: "Hyvä tavoite, mutta toteuttajat vain yhdestä kaupungista.",
    DEMO_NOT_PROPOSED: "Kiinnostava, mutta vaikuttavuus jää epäselväksi.",
    DEMO_TODAY_CONFLICTED: "Vahva satamien yhteistyö; datan omistajuus sovittava.",
    DEMO_TODAY_OTHER: "Hyödyllinen, mutta päällekkäisyys kaupunkien omien hankkeiden kanssa.",
}


def demo_pdf(text: str) -> bytes:
    """A small, valid one-page PDF with one line of (ASCII) text, for demo attachments."""
    stream = f"BT /F1 14 Tf 72 770 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def scorer_username(last_name: str) -> str:
    """The demo account of a steering group scorer: ``ohjausryhma-<last name>``."""
    return f"ohjausryhma-{last_name.lower().replace('ä', 'a')}"


def _scorers() -> list[Person]:
    """The steering group demo accounts, created once from the real members."""
    User = get_user_model()
    people = [Person.objects.get(first_name="Riitta", last_name="Birkstedt")]
    for first, last in DEMO_SCORERS:
        person = Person.objects.get(first_name=first, last_name=last)
        if person.user_id is None:
            username = scorer_username(last)
            user, created = User.objects.get_or_create(
                username=username, defaults={"email": demo_email(username)}
            )
            if created:
                demo_password_set(user)
                user.save()
                user_role_grant(user=user, role=Role.STEERING_GROUP)
            person.user = user
            person.save(update_fields=["user"])
        people.append(person)
    return people


def _orgs() -> dict[str, Organisation]:
    from governance.models import City

    city = {c.slug: c for c in City.objects.all()}
    made = {
        name: organisation_upsert(name=name, kind=Organisation.Kind.UNIVERSITY, city=city[slug])
        for name, slug in (
            ("Aalto-yliopisto", "espoo"),
            ("Tampereen yliopisto", "tampere"),
            ("Metropolia Ammattikorkeakoulu", "helsinki"),
            ("Oulun yliopisto", "oulu"),
            ("Turun ammattikorkeakoulu", "turku"),
        )
    }
    for name in (
        "Business Tampere Oy",
        "BusinessOulu",
        "Turun kaupunki",
        "Tampereen kaupunki",
        "Helsingin kaupunki",
        "Vantaan kaupunki",
        "Uudenmaan liitto",
    ):
        made[name] = Organisation.objects.get(name=name)
    return made


def _themes():
    return [
        project_services.theme_upsert(
            slug="platforms",
            names={
                "fi": "Avoimet innovaatioalustat",
                "sv": "Öppna innovationsplattformar",
                "en": "Open innovation platforms",
            },
        ),
        project_services.theme_upsert(
            slug="open-data",
            names={"fi": "Avoin data ja rajapinnat", "sv": "Öppna data", "en": "Open data"},
        ),
    ]


CRITERIA = [
    services.CriterionSpec(
        name="Strategian mukaisuus", weight=Decimal(3), description="6Aika-strategian tavoitteet"
    ),
    services.CriterionSpec(
        name="Kaupunkien yhteistyö ja vaikuttavuus",
        weight=Decimal(2),
        description="Tulosten hyödyntäminen kuudessa kaupungissa",
    ),
    services.CriterionSpec(name="Toteutettavuus ja kustannustehokkuus", weight=Decimal(1)),
]


def calls_demo_load() -> None:
    User = get_user_model()
    office = User.objects.filter(username="toimisto").first()
    if office is None or Call.objects.filter(name=DEMO_PAST_CALL).exists():
        return  # the demo accounts come first; a second run changes nothing
    meetings = meetings_demo_load()
    today = timezone.localdate()
    with transaction.atomic():
        orgs = _orgs()
        themes = _themes()
        six = project_services.programmes_ensure()["6aika"]
        past = services.call_create(
            name=DEMO_PAST_CALL,
            description="Demoaineistoa: 6Aika-haku kestävän kaupunkikehityksen hankkeille.",
            programme=six,
            instrument="EAKR",
            funder=orgs["Uudenmaan liitto"],
            themes=themes,
            opens_on=today - dt.timedelta(days=120),
            closes_on=today - dt.timedelta(days=60),
            money_available=Decimal("1200000"),
            criteria=CRITERIA,
            by=office,
        )
        received = past.opens_on + dt.timedelta(days=20)
        specs = [
            (DEMO_APPROVED, "Aalto-yliopisto", ["Tampereen yliopisto"], "600000", "420000"),
            (DEMO_CONDITIONAL, "Business Tampere Oy", ["BusinessOulu"], "800000", "560000"),
            (DEMO_REJECTED, "Metropolia Ammattikorkeakoulu", [], "300000", "210000"),
            (
                DEMO_NOT_PROPOSED,
                "Oulun yliopisto",
                ["Turun ammattikorkeakoulu"],
                "500000",
                "350000",
            ),
        ]
        applications = {}
        for title, lead, partners, budget, requested in specs:
            applications[title] = services.application_register(
                call=past,
                spec=services.ApplicationSpec(
                    title=title,
                    applicant=orgs[lead],
                    co_applicants=[orgs[p] for p in partners],
                    summary="Demoaineistoa: hakemuksen tiivistelmä, tavoitteet ja toimenpiteet.",
                    budget=Decimal(budget),
                    requested=Decimal(requested),
                    start_date=today + dt.timedelta(days=40),
                    end_date=today + dt.timedelta(days=40 + 730),
                ),
                by=office,
                today=received,
            )
        for application in applications.values():
            services.attachment_add(
                application=application,
                title="Hakemuslomake",
                file=ContentFile(demo_pdf("6Aika demo application form"), name="hakemuslomake.pdf"),
                by=office,
            )
        scorers = _scorers()
        # The portal proposed the conflicts of the two members whose organisations apply; they
        # confirmed them.
        for conflict in EvaluationConflict.objects.filter(
            application=applications[DEMO_CONDITIONAL]
        ).select_related("person__organisation"):
            services.evaluation_conflict_declare(
                application=conflict.application,
                person=conflict.person,
                reason=f"{conflict.person.organisation} on hakemuksen osatoteuttaja.",
                by=conflict.person.user,
            )
        criteria = list(past.criteria.order_by("order"))
        for title, rows in SCORES.items():
            if title not in applications:
                continue  # the winter call's, scored in _winter_call_load
            for person, values in zip(scorers, rows, strict=True):
                if values is None:
                    continue
                services.evaluation_submit(
                    application=applications[title],
                    evaluator=person,
                    scores={c.pk: v for c, v in zip(criteria, values, strict=True)},
                    comment=COMMENTS[title],
                    by=person.user,
                )
        items = {item.order: item for item in meetings.past.items.all()}
        for order, title in ((2, DEMO_APPROVED), (3, DEMO_CONDITIONAL), (4, DEMO_REJECTED)):
            services.application_agenda_item_attach(
                application=applications[title], item=items[order], by=office
            )
        services.application_fund_from_decision(
            application=applications[DEMO_APPROVED], decision=items[2].decision, by=office
        )

        _winter_call_load(office=office, meetings=meetings, orgs=orgs, themes=themes, programme=six)

        upcoming = services.call_create(
            name=DEMO_OPEN_CALL,
            description="Demoaineistoa: kaksivaiheinen haku, ensin ideapaperit.",
            programme=six,
            instrument="ESR",
            funder=Organisation.objects.get(name="Hämeen ELY-keskus"),
            themes=themes[1:],
            opens_on=today - dt.timedelta(days=10),
            closes_on=today + dt.timedelta(days=30),
            money_available=Decimal("800000"),
            two_stage=True,
            criteria=CRITERIA,
            by=office,
        )
        for title, lead, partner in (
            (DEMO_IDEA_CONFLICTED, "Turun kaupunki", "Tampereen kaupunki"),
            (DEMO_IDEA, "Helsingin kaupunki", "Vantaan kaupunki"),
        ):
            services.application_register(
                call=upcoming,
                spec=services.ApplicationSpec(
                    title=title,
                    stage=Application.Stage.IDEA,
                    applicant=orgs[lead],
                    co_applicants=[orgs[partner]],
                    summary="Demoaineistoa: ideapaperin tiivistelmä.",
                    budget=Decimal("400000"),
                    requested=Decimal("280000"),
                ),
                by=office,
            )


def _winter_call_load(*, office, meetings, orgs, themes, programme) -> None:
    """A call closed three weeks ago, scored, its two applications on the funding item of the
    board's meeting in progress today: the board reads them side by side there. BusinessOulu
    applies, so the portal proposes a conflict for its board member and his deputy."""
    from governance.demo import DEMO_TODAY_FUNDING

    today = timezone.localdate()
    call = services.call_create(
        name=DEMO_WINTER_CALL,
        description="Demoaineistoa: satamien ja liikenteen yhteishankkeet.",
        programme=programme,
        instrument="EAKR",
        funder=orgs["Uudenmaan liitto"],
        themes=themes,
        opens_on=today - dt.timedelta(days=90),
        closes_on=today - dt.timedelta(days=21),
        money_available=Decimal("500000"),
        criteria=CRITERIA,
        by=office,
    )
    applications = {}
    for title, lead, partners, budget, requested in (
        (DEMO_TODAY_CONFLICTED, "BusinessOulu", ["Turun ammattikorkeakoulu"], "520000", "360000"),
        (DEMO_TODAY_OTHER, "Tampereen yliopisto", ["Aalto-yliopisto"], "400000", "280000"),
    ):
        applications[title] = services.application_register(
            call=call,
            spec=services.ApplicationSpec(
                title=title,
                applicant=orgs[lead],
                co_applicants=[orgs[p] for p in partners],
                summary="Demoaineistoa: hakemuksen tiivistelmä, tavoitteet ja toimenpiteet.",
                budget=Decimal(budget),
                requested=Decimal(requested),
                start_date=today + dt.timedelta(days=60),
                end_date=today + dt.timedelta(days=60 + 730),
            ),
            by=office,
            today=call.opens_on + dt.timedelta(days=30),
        )
    for conflict in EvaluationConflict.objects.filter(
        application=applications[DEMO_TODAY_CONFLICTED]
    ).select_related("person__organisation"):
        services.evaluation_conflict_declare(
            application=conflict.application,
            person=conflict.person,
            reason=f"{conflict.person.organisation} on hakija.",
            by=conflict.person.user,
        )
    criteria = list(call.criteria.order_by("order"))
    for title, application in applications.items():
        for person, values in zip(_scorers(), SCORES[title], strict=True):
            if values is not None:
                services.evaluation_submit(
                    application=application,
                    evaluator=person,
                    scores={c.pk: v for c, v in zip(criteria, values, strict=True)},
                    comment=COMMENTS[title],
                    by=person.user,
                )
    item = meetings.today.items.get(title=DEMO_TODAY_FUNDING)
    for application in applications.values():
        services.application_agenda_item_attach(application=application, item=item, by=office)
