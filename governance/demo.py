"""Demo data of governance for ``make run`` (``load_demo``): three board meetings, built through
the services like any user's work. The real 6Aika organisation is in ``seed.py``."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from core.demo import demo_email, demo_password_set

from .models import Body, ConflictDeclaration, Decision, Meeting, Person, Seat
from .roles import Role
from .services import (
    agenda_item_add,
    conflict_declare,
    decision_record,
    meeting_create,
    minutes_approve,
    minutes_check,
    minutes_checkers_choose,
    minutes_draft,
    minutes_sign,
    seat_attendance_set,
    user_role_grant,
)


@dataclass(frozen=True)
class DemoMeetings:
    past: Meeting
    today: Meeting
    upcoming: Meeting


DEMO_PLACE = "Espoon kaupungintalo, Espoon keskus"
DEMO_LINK = "https://meet.example.org/6aika-johtoryhma"
# Board members who get a demo account (password as the other demo accounts) besides the chair
# (``johtoryhma-pj``) and ``johtoryhma``: the vice-chair, who chairs when the chair cannot, and a
# member who checks minutes with the vice-chair.
DEMO_BOARD_ACCOUNTS = [
    ("johtoryhma-vpj", "Pekka", "Sundman"),
    ("johtoryhma-huotari", "Tiina", "Huotari"),
]
DEMO_TODAY_FUNDING = "Rahoitusesitys: Talven 2026 haun hakemukset"


def board_demo_accounts() -> dict[str, Person]:
    """The board's extra demo accounts, created once and linked to their people."""
    User = get_user_model()
    people = {}
    for username, first, last in DEMO_BOARD_ACCOUNTS:
        person = Person.objects.get(first_name=first, last_name=last)
        if person.user_id is None:
            user, created = User.objects.get_or_create(
                username=username, defaults={"email": demo_email(username)}
            )
            if created:
                demo_password_set(user)
                user.save()
                user_role_grant(user=user, role=Role.BOARD)
            person.user = user
            person.save(update_fields=["user"])
        people[username] = person
    return people


def meetings_demo_load() -> DemoMeetings:
    """Three board meetings for ``make run``, built through the services. Idempotent.

    The past one: a deputy stands in for an absent member, a member steps aside for a conflict,
    every item decided, minutes checked by the two members the meeting chose, signed by the chair
    and approved (so its decisions are in the public register). Today's, in progress: attendance
    taken, the presenter present, its checkers not yet chosen; the calls demo puts applications
    on its funding item, where the portal proposes conflicts to resolve. The upcoming one: an
    open agenda. Recorded by the board's chair, the checkers and the strategy office.
    """
    board = Body.objects.get(kind=Body.Kind.BOARD)
    existing = list(Meeting.objects.filter(body=board, place=DEMO_PLACE).order_by("starts_at"))
    if len(existing) == 3:
        return DemoMeetings(past=existing[0], today=existing[1], upcoming=existing[2])
    accounts = board_demo_accounts()

    seats = {
        s.member.last_name if s.member else s.order: s
        for s in Seat.objects.filter(body=board).select_related("member", "deputy")
    }
    chair = seats["Antola"].member.user
    office_group = Group.objects.filter(name=Role.STRATEGY_OFFICE.value).first()
    office = (
        office_group.user_set.filter(is_active=True).order_by("pk").first()
        if office_group
        else None
    )
    presenter = seats["Perttunen"].member
    today = timezone.localdate()
    tz = timezone.get_current_timezone()

    def at(day, hour):
        return datetime.combine(day, time(hour, 0), tzinfo=tz)

    with transaction.atomic():
        past = meeting_create(
            body=board,
            starts_at=at(today - timedelta(days=21), 13),
            place=DEMO_PLACE,
            online_link=DEMO_LINK,
            by=office,
        )
        items_spec = [
            (
                "Kokouksen avaus, laillisuus ja päätösvaltaisuus",
                "Opening, lawfulness and quorum",
                "Todetaan kokous lailliseksi ja päätösvaltaiseksi.",
                Decision.Outcome.APPROVED,
                "",
            ),
            (
                "Rahoitusesitys: Kiertotalouden datapilotti",
                "Funding proposal: circular economy data pilot",
                "Johtoryhmä puoltaa hankkeen rahoittamista esitetyllä tavalla.",
                Decision.Outcome.APPROVED,
                "",
            ),
            (
                "Rahoitusesitys: Älykkään valmistuksen kasvuohjelma",
                "Funding proposal: smart manufacturing growth programme",
                "Johtoryhmä puoltaa hankkeen rahoittamista.",
                Decision.Outcome.APPROVED_WITH_CONDITIONS,
                "Hankkeen budjetti tarkennetaan ja toisen kaupungin osuus vahvistetaan "
                "ennen rahoituspäätöstä.",
            ),
            (
                "Rahoitusesitys: Osaajien kotoutumispolku",
                "Funding proposal: talent integration path",
                "Johtoryhmä ei puolla hankkeen rahoittamista.",
                Decision.Outcome.REJECTED,
                "",
            ),
            (
                "Strategian seurantaraportti 2026",
                "Strategy monitoring report 2026",
                "Johtoryhmä merkitsee seurantaraportin tiedoksi.",
                Decision.Outcome.RETURNED,
                "",
            ),
        ]
        items = [
            agenda_item_add(
                meeting=past,
                title=title_fi,
                titles={"en": title_en},
                draft_decision=draft,
                presenter=presenter,
                by=office,
            )
            for title_fi, title_en, draft, _outcome, _conditions in items_spec
        ]
        for name, seat in seats.items():
            if name == "Viljamaa":  # absent; the personal deputy stands in
                seat_attendance_set(meeting=past, seat=seat, attending=seat.deputy, by=office)
            elif name == "Osenius":  # absent, no deputy
                seat_attendance_set(meeting=past, seat=seat, attending=None, by=office)
            elif name == "Huotari":  # leaves before the last item
                seat_attendance_set(
                    meeting=past,
                    seat=seat,
                    attending=seat.member,
                    left_before_item=items[4],
                    by=office,
                )
            else:
                seat_attendance_set(meeting=past, seat=seat, attending=seat.member, by=office)
        # At the meeting, the chair records the two checkers the meeting chose.
        checkers = [accounts["johtoryhma-vpj"], accounts["johtoryhma-huotari"]]
        minutes_checkers_choose(meeting=past, people=checkers, by=chair)
        conflict_declare(
            item=items[2],
            person=seats["Ala-Mursula"].member,
            reason="BusinessOulu on hankkeen osatoteuttaja.",
            stage=ConflictDeclaration.Stage.BEFORE_MEETING,
            by=seats["Ala-Mursula"].member.user or chair,
        )
        for item, (_fi, _en, draft, outcome, conditions) in zip(items, items_spec, strict=True):
            text = draft
            if outcome == Decision.Outcome.RETURNED:
                text = "Raportti palautetaan valmisteluun indikaattoritietojen täydentämiseksi."
            elif outcome == Decision.Outcome.REJECTED:
                text = "Johtoryhmä ei puolla rahoitusta; hanke ei täytä kahden kaupungin ehtoa."
            vote = {}
            if outcome == Decision.Outcome.REJECTED:  # by a vote, one member dissenting
                vote = {
                    "votes_for": 5,
                    "votes_against": 2,
                    "votes_abstaining": 0,
                    "dissenters": [seats["Huotari"].member],
                }
            decision_record(
                item=item, outcome=outcome, text=text, conditions=conditions, by=chair, **vote
            )
        minutes = minutes_draft(meeting=past, by=office)
        for checker in checkers:
            minutes = minutes_check(minutes=minutes, by=checker.user)
        minutes = minutes_sign(minutes=minutes, by=chair)
        minutes_approve(minutes=minutes, by=office)

        now = timezone.localtime().replace(second=0, microsecond=0)
        today_meeting = meeting_create(
            body=board,
            starts_at=max(at(today, 0), now - timedelta(hours=1)),
            place=DEMO_PLACE,
            online_link=DEMO_LINK,
            by=office,
        )
        for title_fi, title_en, draft in (
            (
                "Kokouksen avaus, laillisuus ja päätösvaltaisuus",
                "Opening, lawfulness and quorum",
                "Todetaan kokous lailliseksi ja päätösvaltaiseksi.",
            ),
            (
                DEMO_TODAY_FUNDING,
                "Funding proposal: applications of the winter 2026 call",
                "Johtoryhmä puoltaa ohjausryhmän arvioinnissa parhaaksi sijoittuneen hakemuksen "
                "rahoittamista.",
            ),
            (
                "Seurantaraportin indikaattorit 2027",
                "Monitoring report indicators 2027",
                "Johtoryhmä hyväksyy vuoden 2027 seurannan indikaattorit.",
            ),
        ):
            agenda_item_add(
                meeting=today_meeting,
                title=title_fi,
                titles={"en": title_en},
                draft_decision=draft,
                presenter=presenter,
                by=office,
            )
        for name, seat in seats.items():
            if name == "Osenius":  # absent, no deputy
                seat_attendance_set(meeting=today_meeting, seat=seat, attending=None, by=office)
            elif seat.member is not None:
                seat_attendance_set(
                    meeting=today_meeting, seat=seat, attending=seat.member, by=office
                )

        upcoming = meeting_create(
            body=board,
            starts_at=at(today + timedelta(days=14), 13),
            place=DEMO_PLACE,
            online_link=DEMO_LINK,
            by=office,
        )
        for title_fi, title_en, draft in (
            (
                "Kokouksen avaus, laillisuus ja päätösvaltaisuus",
                "Opening, lawfulness and quorum",
                "Todetaan kokous lailliseksi ja päätösvaltaiseksi.",
            ),
            (
                "Syksyn 2026 haun rahoitusesitykset",
                "Funding proposals of the autumn 2026 call",
                "Johtoryhmä päättää rahoitettavista hankkeista ohjausryhmän arvioinnin pohjalta.",
            ),
            (
                "Vuosikello 2027",
                "Annual clock 2027",
                "Johtoryhmä hyväksyy vuoden 2027 vuosikellon.",
            ),
        ):
            agenda_item_add(
                meeting=upcoming,
                title=title_fi,
                titles={"en": title_en},
                draft_decision=draft,
                presenter=presenter,
                by=office,
            )
        return DemoMeetings(past=past, today=today_meeting, upcoming=upcoming)
