"""Issue 4 / 9 / 16 journey 2 in Chromium: from the steering group's scores to a funded project.

A steering group member scores an application on the call's criteria and is blocked from scoring
one her own organisation applies in; a board member opens the next meeting, reads the proposal
with its evaluation summary and confirms the conflict the portal proposes; the chair records
attendance (a deputy standing in for an absent member), sees the quorum per item and records the
decisions, one of them after a mistake the form explains, and cannot decide an item while the
conflict the portal proposes for the vice-chair is open; the strategy office, as secretary,
confirms it; the chair declares her own conflict on another item and the vice-chair chairs that
one, recording an amended decision with a vote and a dissent with its reason; at the meeting the
chair records the two members chosen to check the minutes, those two check them, the chair signs
them, the strategy office approves them, which makes the approved application a
project; logged out, the decisions are in the public register, the project in the portfolio, and
the minutes PDF names the attendance, the deputy, the conflicts with their grounds, the vote, the
dissent with its reason, the checkers and every decision. At desktop and phone widths, axe on
every page.
"""

import datetime as dt
import re
import shutil
import subprocess
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from calls import demo as calls_demo
from calls import services as calls_services
from calls.models import Application, Call
from governance import services as gov
from governance.models import (
    VOTING_ROLES,
    AgendaItem,
    Body,
    ConflictDeclaration,
    Decision,
    Meeting,
    Organisation,
    Person,
    Seat,
)
from projects import services

from .conftest import (
    assert_form_errors,
    assert_page_basics,
    axe_check,
    login,
    logout,
    nav_link,
    sign_in,
    tab_to,
)

pytestmark = pytest.mark.browser

FUNDED = "Kaupunkidatan yhteiskehittämö"
TURKU = "Saaristomeren älyliikenne"
REASON = "Vantaan kaupunki on hakemuksen osatoteuttaja."
CONDITIONS = "Vantaan osuus vahvistetaan ennen hankkeen aloitusta."
CHAIR_REASON = "Espoon kaupunki on tapahtumapilotin hakija."
AMENDED = "Johtoryhmä puoltaa pilottia 150 000 eurolla ilman jatkovaihetta."
DISSENT_REASON = "Pilotin jatkovaihe olisi pitänyt rahoittaa samalla päätöksellä."


@dataclass
class Board:
    call: Call
    funded: Application
    turku: Application
    meeting: Meeting
    items: list[AgendaItem]
    seats: dict[str, Seat]


def _board(users) -> Board:
    """A closed call with two applications, scored by two other steering group members, on a
    board meeting that started half an hour ago: all through the services."""
    office = users["toimisto"]
    today = timezone.localdate()
    call = calls_services.call_create(
        name="Kevään 2027 haku: kaupunkidata",
        programme=services.programmes_ensure()["6aika"],
        instrument="EAKR",
        funder=Organisation.objects.get(name="Uudenmaan liitto"),
        opens_on=today - dt.timedelta(days=60),
        closes_on=today - dt.timedelta(days=20),
        money_available=Decimal("900000"),
        criteria=calls_demo.CRITERIA,
        by=office,
    )

    def register(title, lead, partner, requested):
        return calls_services.application_register(
            call=call,
            spec=calls_services.ApplicationSpec(
                title=title,
                applicant=Organisation.objects.get(name=lead),
                co_applicants=[Organisation.objects.get(name=partner)],
                summary="Yhteinen kaupunkidata-alusta ja sen kokeilut.",
                budget=Decimal("500000"),
                requested=Decimal(requested),
                start_date=today + dt.timedelta(days=60),
                end_date=today + dt.timedelta(days=60 + 730),
            ),
            by=office,
            today=call.opens_on + dt.timedelta(days=10),
        )

    funded = register(FUNDED, "Aalto-yliopisto", "Vantaan kaupunki", "350000")
    turku = register(TURKU, "Turun kaupunki", "Tampereen yliopisto", "300000")
    criteria = list(call.criteria.order_by("order"))
    scorers = [
        Person.objects.get(first_name=first, last_name=last)
        for first, last in calls_demo.DEMO_SCORERS
    ]
    for application, values in ((funded, [[5, 4, 4], [4, 4, 5]]), (turku, [[3, 3, 2], [3, 2, 3]])):
        free = [
            p
            for p in scorers
            if not calls_services.conflict_reason(application=application, person=p)
        ]
        for person, row in zip(free, values, strict=False):
            calls_services.evaluation_submit(
                application=application,
                evaluator=person,
                scores={c.pk: v for c, v in zip(criteria, row, strict=True)},
                comment="Arvioitu.",
                by=person.user,
            )

    board = Body.objects.get(kind=Body.Kind.BOARD)
    # The demo's meeting in progress today would be the board's next meeting: this journey's
    # is, so the demo's is moved to yesterday.
    from governance.demo import meetings_demo_load

    Meeting.objects.filter(pk=meetings_demo_load().today.pk).update(
        starts_at=timezone.now() - dt.timedelta(days=1)
    )
    meeting = gov.meeting_create(
        body=board,
        # under way, and today's in Helsinki even just after midnight (the home page shows
        # today's and later meetings)
        starts_at=max(
            timezone.now() - dt.timedelta(minutes=30),
            timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0),
        ),
        place="Tampereen kaupungintalo",
        by=office,
    )
    items = [
        gov.agenda_item_add(meeting=meeting, title=title, draft_decision=draft, by=office)
        for title, draft in (
            (
                "Kokouksen avaus, laillisuus ja päätösvaltaisuus",
                "Todetaan kokous lailliseksi ja päätösvaltaiseksi.",
            ),
            (f"Rahoitusesitys: {FUNDED}", "Johtoryhmä puoltaa hankkeen rahoittamista."),
            (f"Rahoitusesitys: {TURKU}", "Johtoryhmä puoltaa hankkeen rahoittamista."),
            ("Espoon tapahtumapilotti", "Johtoryhmä puoltaa pilottia 200 000 eurolla."),
        )
    ]
    for application, item in ((funded, items[1]), (turku, items[2])):
        calls_services.application_agenda_item_attach(application=application, item=item, by=office)
    seats = {
        s.member.last_name: s
        for s in Seat.objects.filter(body=board, role__in=VOTING_ROLES).select_related(
            "member", "deputy"
        )
    }
    return Board(call, funded, turku, meeting, items, seats)


def _visit(page: Page, lang: str = "fi") -> None:
    # After a click the new page may still be loading: portal.js folds the phone menu only once
    # it has, and an open menu is wider than the screen.
    page.wait_for_function("() => document.readyState === 'complete'")
    assert_page_basics(page, lang)
    axe_check(page)


def test_scores_conflicts_decisions_minutes_register_portfolio_and_pdf(
    page: Page, screenshot, demo_users, tmp_path
):
    board = _board(demo_users)
    funded_item, turku_item = board.items[1], board.items[2]

    # --- The steering group member scores one application and is blocked from the other. ---
    login(page, "ohjausryhma")  # Riitta Birkstedt, Turun kaupunki
    nav_link(page, "Haut").click()
    _visit(page)
    page.get_by_role("link", name=board.call.name).click()
    _visit(page)
    turku_row = page.get_by_role("row").filter(has_text=TURKU)
    expect(turku_row).to_contain_text("Organisaatiosi hakee: vahvista esteellisyys")
    screenshot("call-tasks")
    page.get_by_role("row").filter(has_text=FUNDED).get_by_role("link", name="Pisteytä").click()
    expect(page.locator("h1")).to_have_text("Pisteytä hakemus")
    _visit(page)
    for criterion, score in zip(board.call.criteria.order_by("order"), (4, 5, 3), strict=True):
        group = page.get_by_role("group", name=criterion.name)
        group.get_by_label(str(score), exact=True).check()
    page.get_by_label("Kommentti").fill("Vahva yhteiskehittämisen malli, selkeät kokeilut.")
    page.get_by_role("button", name="Tallenna pisteet").click()
    expect(page.get_by_text("Pisteesi tallennettiin.")).to_be_visible()
    _visit(page)
    screenshot("scored")
    evaluation = board.funded.evaluations.get(evaluator__last_name="Birkstedt")
    assert sorted(evaluation.scores.values_list("score", flat=True)) == [3, 4, 5]

    # The application her own organisation applies in: she sees why and gets no form; the
    # service refuses a score sent anyway.
    page.goto(f"/calls/applications/{board.turku.pk}/score/")
    expect(page.get_by_role("alert")).to_contain_text(
        "Et voi pisteyttää tätä hakemusta esteellisyyden vuoksi."
    )
    expect(page.get_by_role("alert")).to_contain_text("Turun kaupunki")
    assert page.get_by_role("button", name="Tallenna pisteet").count() == 0
    _visit(page)
    screenshot("conflicted-blocked")
    token = page.locator("input[name=csrfmiddlewaretoken]").first
    refused = page.request.post(
        f"/calls/applications/{board.turku.pk}/score/",
        form={
            "csrfmiddlewaretoken": token.input_value() if token.count() else "",
            **{f"criterion_{c.pk}": "5" for c in board.call.criteria.all()},
        },
        headers={"Referer": page.url},
    )
    assert refused.status in (403, 400)
    assert not board.turku.evaluations.filter(evaluator__last_name="Birkstedt").exists()
    logout(page)

    # --- A board member reads the next meeting and confirms the conflict proposed to him. ---
    login(page, "johtoryhma")  # Kimmo Viljamaa, Vantaan kaupunki
    nav_link(page, "Kokoukset").click()
    _visit(page)
    page.get_by_role("link", name="Seuraava kokouksesi").click()
    expect(page.get_by_text("Seuraava kokouksesi").first).to_be_visible()
    item = page.locator(f"#item-{funded_item.pk}")
    expect(item.get_by_role("heading", level=3)).to_contain_text(FUNDED)
    panel = item.locator(".agenda-applications")
    expect(panel).to_contain_text("Hakemukset ja niiden arviointi")
    expect(panel.get_by_role("row").filter(has_text=FUNDED)).to_contain_text("350\xa0000")
    _visit(page)
    screenshot("next-meeting")
    page.get_by_role("button", name="Merkitse kokousaineisto luetuksi").click()
    expect(page.get_by_text("Olet merkinnyt kokousaineiston luetuksi.")).to_be_visible()
    item.get_by_role("link", name="Portaali ehdottaa sinulle esteellisyyttä: vahvista se").click()
    _visit(page)
    page.get_by_label("Peruste").fill(REASON)
    screenshot("conflict-form")
    page.get_by_role("button", name="Ilmoita esteellisyys ja poistu käsittelystä").click()
    expect(page.get_by_text("Esteellisyytesi on kirjattu")).to_be_visible()
    _visit(page)
    declared = ConflictDeclaration.objects.get(
        agenda_item=funded_item, person__last_name="Viljamaa"
    )
    assert declared.confirmed and declared.reason == REASON

    # --- The chair: attendance with a deputy, quorum per item, the decisions. ---
    sign_in(page, "johtoryhma-pj")
    page.goto(f"/meetings/{board.meeting.pk}/")
    _visit(page)
    page.get_by_role("link", name="Kirjaa läsnäolot").click()
    expect(page.locator("h1")).to_have_text("Kirjaa läsnäolot")
    _visit(page)
    for name, seat in board.seats.items():
        group = page.get_by_role("group", name=seat.member.full_name).first
        if name == "Rinkineva":
            group.get_by_label("Santtu von Bruun (varajäsen)").check()
        elif name == "Osenius":
            group.get_by_label("Poissa").check()
        else:
            group.get_by_label(seat.member.full_name).check()
    screenshot("attendance")
    page.get_by_role("button", name="Tallenna läsnäolot").click()
    expect(page.get_by_text("Läsnäolot tallennettu.")).to_be_visible()
    _visit(page)
    table = page.get_by_role("table", name="Kuka istui kullakin paikalla")
    expect(table).to_contain_text("Santtu von Bruun")
    expect(table).to_contain_text("(varajäsenenä: Marja-Leena Rinkineva)")
    expect(page.locator(f"#item-{board.items[0].pk} .quorum")).to_have_text(
        "Päätösvaltainen: 7 paikkaa 8:sta edustettuna; tarvitaan 5."
    )
    funded_article = page.locator(f"#item-{funded_item.pk}")
    expect(funded_article.locator(".quorum")).to_have_text(
        "Päätösvaltainen: 6 paikkaa 8:sta edustettuna; tarvitaan 5."
    )
    expect(funded_article).to_contain_text(
        f"Kimmo Viljamaa poistui asian käsittelystä (esteellisyys): {REASON}"
    )
    screenshot("quorum-and-recusal")

    # At the meeting the chair records the two members chosen to check the minutes: members
    # present only, not the chair herself, who signs.
    checkers_form = page.locator("form", has=page.get_by_role("button", name="Valitse tarkastajat"))
    first = checkers_form.get_by_label("Ensimmäinen tarkastaja")
    expect(first.locator("option", has_text="Tuula Antola")).to_have_count(0)
    expect(first.locator("option", has_text="Johanna Osenius")).to_have_count(0)
    first.select_option(label="Pekka Sundman")
    checkers_form.get_by_label("Toinen tarkastaja").select_option(label="Tiina Huotari")
    checkers_form.get_by_role("button", name="Valitse tarkastajat").click()
    expect(page.get_by_text("Pöytäkirjan tarkastajat on valittu.")).to_be_visible()
    expect(page.locator(".minutes-checkers")).to_contain_text("Pekka Sundman")
    expect(page.locator(".minutes-checkers")).to_contain_text("Tiina Huotari")
    _visit(page)
    screenshot("checkers-chosen")

    # § 1 as proposed: nothing is chosen in advance, the chair chooses.
    opening = page.locator(f"#item-{board.items[0].pk}")
    expect(opening.locator("input[type=radio]:checked")).to_have_count(0)
    opening.get_by_label("Hyväksytty esityksen mukaisesti").check()
    opening.get_by_role("button", name="Kirjaa päätös").click()
    expect(opening.get_by_text("Päätös kirjattu.")).to_be_visible()

    # § 2: an approval with conditions, first without the conditions; the form says where.
    prefix = f"item{funded_item.pk}"
    funded_article.get_by_label("Hyväksytty ehdoin").check()
    funded_article.get_by_role("button", name="Kirjaa päätös").click()
    assert_form_errors(page, f"{prefix}-conditions")
    expect(funded_article.locator(".field-error")).to_have_text("Kirjoita hyväksynnän ehdot.")
    _visit(page)
    screenshot("decision-mistake")
    assert not Decision.objects.filter(agenda_item=funded_item).exists()
    funded_article.get_by_label("Ehdot").fill(CONDITIONS)
    funded_article.get_by_role("button", name="Kirjaa päätös").click()
    expect(funded_article.get_by_text("Päätös kirjattu.")).to_be_visible()
    expect(funded_article).to_contain_text("Päätös: Hyväksytty ehdoin")

    # § 3: the portal proposes a conflict for the vice-chair (Turku applies); until the meeting
    # decides it, the item is not decided.
    turku_article = page.locator(f"#item-{turku_item.pk}")
    expect(turku_article).to_contain_text("Ratkaise ensin yllä ehdotetut esteellisyydet")
    turku_article.get_by_label("Hylätty").check()
    turku_article.get_by_role("button", name="Kirjaa päätös").click()
    expect(turku_article.get_by_role("alert")).to_contain_text(
        "Ratkaise ensin ehdotetut esteellisyydet (Pekka Sundman)"
    )
    assert not Decision.objects.filter(agenda_item=turku_item).exists()
    # § 4: the chair's own organisation applies: she declares it and steps aside.
    espoo_item = board.items[3]
    espoo_article = page.locator(f"#item-{espoo_item.pk}")
    espoo_article.get_by_role("link", name="Ilmoita esteellisyys").click()
    page.get_by_label("Peruste").fill(CHAIR_REASON)
    page.get_by_role("button", name="Ilmoita esteellisyys ja poistu käsittelystä").click()
    expect(page.get_by_text("Esteellisyytesi on kirjattu")).to_be_visible()
    espoo_article = page.locator(f"#item-{espoo_item.pk}")
    expect(espoo_article).to_contain_text(
        "Olet esteellinen: Pekka Sundman johtaa puhetta tässä asiassa ja kirjaa sen päätöksen."
    )
    expect(espoo_article.locator("input[type=radio]")).to_have_count(0)
    _visit(page)
    screenshot("chair-stepped-aside")

    # --- The secretary records what the meeting decided on the vice-chair's conflict. ---
    sign_in(page, "toimisto")
    page.goto(f"/meetings/{board.meeting.pk}/")
    turku_article = page.locator(f"#item-{turku_item.pk}")
    turku_article.get_by_role("button", name="Esteellinen: Pekka Sundman poistuu").click()
    expect(page.get_by_text("Kirjattu: Pekka Sundman on esteellinen")).to_be_visible()
    _visit(page)
    confirmed = ConflictDeclaration.objects.get(agenda_item=turku_item, person__last_name="Sundman")
    assert confirmed.confirmed and confirmed.confirmed_by.username == "toimisto"

    # --- The chair decides § 3, rejected with her own wording. ---
    sign_in(page, "johtoryhma-pj")
    page.goto(f"/meetings/{board.meeting.pk}/")
    turku_article = page.locator(f"#item-{turku_item.pk}")
    turku_article.get_by_label("Hylätty").check()
    turku_article.get_by_label("Päätöksen teksti").fill(
        "Johtoryhmä ei puolla rahoitusta; vaikuttavuus jää epäselväksi."
    )
    turku_article.get_by_role("button", name="Kirjaa päätös").click()
    expect(turku_article.get_by_text("Päätös kirjattu.")).to_be_visible()
    _visit(page)
    screenshot("decisions-recorded")
    decision = Decision.objects.get(agenda_item=funded_item)
    assert (decision.outcome, decision.conditions, decision.seats_present) == (
        Decision.Outcome.APPROVED_WITH_CONDITIONS,
        CONDITIONS,
        6,
    )
    assert decision.recorded_by.username == "johtoryhma-pj"
    assert Decision.objects.get(agenda_item=turku_item).seats_present == 6

    # --- The vice-chair chairs § 4: amended, by a vote, with a dissent. ---
    sign_in(page, "johtoryhma-vpj")
    page.goto(f"/meetings/{board.meeting.pk}/")
    espoo_article = page.locator(f"#item-{espoo_item.pk}")
    expect(espoo_article).to_contain_text("Puhetta johtaa: Pekka Sundman")
    assert page.locator(f"#item-{turku_item.pk} input[type=radio]").count() == 0
    espoo_article.get_by_label("Hyväksytty muutettuna").check()
    espoo_article.get_by_role("button", name="Kirjaa päätös").click()
    expect(espoo_article.locator(".field-error")).to_have_text("Kirjoita päätös muutettuna.")
    espoo_article.get_by_label("Päätöksen teksti").fill(AMENDED)
    espoo_article.get_by_label("Puolesta").fill("5")
    espoo_article.get_by_label("Vastaan").fill("1")
    espoo_article.get_by_label("Tyhjää").fill("0")
    espoo_article.get_by_label("Tiina Huotari", exact=True).check()
    espoo_article.get_by_text("Eriävien mielipiteiden perustelut (valinnainen)").click()
    espoo_article.get_by_label("Tiina Huotari: eriävän mielipiteen perustelu").fill(DISSENT_REASON)
    espoo_article.get_by_role("button", name="Kirjaa päätös").click()
    expect(espoo_article.get_by_text("Päätös kirjattu.")).to_be_visible()
    expect(espoo_article).to_contain_text("Äänestys: 5 puolesta, 1 vastaan, 0 tyhjää.")
    expect(espoo_article).to_contain_text(
        f"Tiina Huotari jätti eriävän mielipiteen. {DISSENT_REASON}"
    )
    _visit(page)
    screenshot("vice-chair-decided")
    amended = Decision.objects.get(agenda_item=espoo_item)
    assert (amended.outcome, amended.text, amended.seats_present) == ("amended", AMENDED, 6)
    assert amended.recorded_by.username == "johtoryhma-vpj"
    assert amended.chaired_by.last_name == "Sundman"
    assert [(d.person.last_name, d.reason) for d in amended.dissents.all()] == [
        ("Huotari", DISSENT_REASON)
    ]

    # --- The strategy office approves the minutes; the approved application is a project. ---
    sign_in(page, "toimisto")
    page.goto(f"/calls/applications/{board.funded.pk}/")
    expect(page.get_by_text("kun kokouksen pöytäkirja on hyväksytty")).to_be_visible()
    assert page.get_by_role("button", name="Luo hanke").count() == 0
    _visit(page)
    page.goto(f"/meetings/{board.meeting.pk}/")
    page.get_by_role("button", name="Laadi pöytäkirjaluonnos kokouksen tiedoista").click()
    expect(page.get_by_text("Pöytäkirjaluonnos laadittu")).to_be_visible()
    _visit(page)
    for checker in ("johtoryhma-vpj", "johtoryhma-huotari"):
        sign_in(page, checker)
        page.goto(f"/meetings/{board.meeting.pk}/")
        page.get_by_role("button", name="Olen tarkastanut pöytäkirjan").click()
        expect(page.get_by_text("Olet tarkastanut pöytäkirjan.")).to_be_visible()
    sign_in(page, "johtoryhma-pj")
    page.goto(f"/meetings/{board.meeting.pk}/")
    page.get_by_role("button", name="Allekirjoita pöytäkirja").click()
    expect(page.get_by_text("Pöytäkirja allekirjoitettu.")).to_be_visible()
    _visit(page)
    screenshot("minutes-signed")
    sign_in(page, "toimisto")
    page.goto(f"/meetings/{board.meeting.pk}/")
    page.get_by_role("button", name="Hyväksy ja lukitse pöytäkirja").click()
    expect(page.get_by_text("Pöytäkirja hyväksytty ja lukittu.")).to_be_visible()
    expect(page.get_by_text(f"”{FUNDED}” on nyt hanke hankesalkussa.")).to_be_visible()
    _visit(page)
    screenshot("minutes-approved")
    board.funded.refresh_from_db()
    project = board.funded.project
    assert project is not None and board.funded.funding_decision == decision
    assert project.grants.get().amount == Decimal("350000")
    board.turku.refresh_from_db()
    assert board.turku.project is None
    logout(page)

    # --- Logged out: the public register, the portfolio and the minutes PDF. ---
    nav_link(page, "Päätökset").click()
    _visit(page)
    page.get_by_label("Hae").fill(FUNDED)
    page.get_by_role("button", name="Hae").click()
    page.wait_for_load_state()
    row = page.get_by_role("row").filter(has_text=f"§ 2 Rahoitusesitys: {FUNDED}")
    expect(row).to_contain_text("Hyväksytty ehdoin")
    expect(row).to_contain_text(CONDITIONS)
    _visit(page)
    screenshot("register")
    page.get_by_label("Hae").fill("tapahtumapilotti")
    page.get_by_role("button", name="Hae").click()
    row = page.get_by_role("row").filter(has_text="§ 4 Espoon tapahtumapilotti")
    expect(row).to_contain_text("Hyväksytty muutettuna")
    expect(row).to_contain_text(AMENDED)
    expect(row).to_contain_text("Äänestys: 5 puolesta, 1 vastaan, 0 tyhjää.")
    expect(row).to_contain_text(f"Tiina Huotari jätti eriävän mielipiteen. {DISSENT_REASON}")
    expect(row).to_contain_text(
        f"Tuula Antola oli esteellinen (peruste: {CHAIR_REASON}) ja poistui kokouksesta"
    )

    nav_link(page, "Hankkeet").click()
    page.get_by_label("Hae").fill(FUNDED)
    page.get_by_role("button", name="Suodata").click()
    page.wait_for_load_state()
    page.get_by_role("link", name=FUNDED).click()
    expect(page.locator("h1")).to_have_text(FUNDED)
    grant = page.get_by_role("table", name="Rahoittajat").get_by_role("row").nth(1)
    expect(grant).to_contain_text("Uudenmaan liitto")
    expect(grant).to_contain_text("350\xa0000")
    expect(page.locator("dt", has_text="Rahoituspäätös")).to_be_visible()
    _visit(page)
    screenshot("project")
    # The project links to its decision in the register, and the register to the minutes.
    page.get_by_role("link", name=re.compile(r"§ 2: Hyväksytty ehdoin$")).click()
    expect(page.locator("h1")).to_have_text("Päätösrekisteri")
    expect(page.get_by_role("row").filter(has_text=FUNDED)).to_contain_text(CONDITIONS)
    with page.expect_download() as download:
        page.get_by_role("link", name="Pöytäkirja (PDF)").first.click()
    pdf = tmp_path / "poytakirja.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "poppler-utils (pdftotext) is needed for this test"
    text = subprocess.run(  # noqa: S603 - fixed arguments, a file this test saved
        [pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    for seat in board.seats.values():
        if seat.member.last_name not in ("Rinkineva", "Osenius"):
            assert seat.member.full_name in flat, f"{seat.member.full_name} missing from the PDF"
    assert "Santtu von Bruun (varajäsenenä: Marja-Leena Rinkineva)" in flat
    assert "Johanna Osenius" in flat  # absent
    for name, reason in (
        ("Kimmo Viljamaa", REASON),
        ("Tuula Antola", CHAIR_REASON),
        ("Pekka Sundman", "Turun kaupunki on hakijana tässä asiassa"),
    ):
        assert re.search(
            rf"{name} oli esteellinen \(peruste: {re.escape(reason)}.*?\) ja poistui kokouksesta "
            "asian käsittelyn ajaksi.",
            flat,
        ), name
    for item in board.items:
        decision = Decision.objects.get(agenda_item=item)
        assert f"§ {item.order} {item.title}" in flat
        assert f"Päätös: {decision.get_outcome_display()}" in flat
        assert " ".join(decision.text.split()) in flat
    assert CONDITIONS in flat
    assert "Puheenjohtajana: Pekka Sundman" in flat
    assert "Äänestys: 5 puolesta, 1 vastaan, 0 tyhjää." in flat
    assert f"Tiina Huotari jätti eriävän mielipiteen. {DISSENT_REASON}" in flat
    assert "Tarkastaja: Pekka Sundman" in flat and "Tarkastaja: Tiina Huotari" in flat
    assert "Puheenjohtajan allekirjoitus: Tuula Antola" in flat


def test_chair_records_a_decision_with_the_keyboard_alone(page: Page, screenshot, demo_users):
    """The chair, without a mouse: Tab to the outcome, choose it with the arrow keys, Tab to
    the button and press Enter; the decision is recorded and said so."""
    board = _board(demo_users)
    for seat in board.seats.values():
        gov.seat_attendance_set(
            meeting=board.meeting, seat=seat, attending=seat.member, by=demo_users["toimisto"]
        )
    item = board.items[0]
    sign_in(page, "johtoryhma-pj")
    page.goto(f"/meetings/{board.meeting.pk}/")
    focused = tab_to(page, lambda f: f["name"] == f"item{item.pk}-outcome", limit=200)
    assert focused["tag"] == "input"
    # Nothing is chosen: the focus is on the first choice, unchecked; each arrow checks the next.
    expect(page.locator(f"input[name=item{item.pk}-outcome]:checked")).to_have_count(0)
    page.keyboard.press("ArrowDown")  # "Hyväksytty muutettuna"
    page.keyboard.press("ArrowDown")  # "Hyväksytty ehdoin"
    page.keyboard.press("ArrowDown")  # "Hylätty"
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Kirjaa päätös")
    screenshot("keyboard-focus-on-button")
    page.keyboard.press("Enter")
    article = page.locator(f"#item-{item.pk}")
    expect(article.get_by_text("Päätös kirjattu.")).to_be_visible()
    # The button is gone with the swap: the focus is on what happened, not lost to the page.
    expect(article.get_by_text("Päätös kirjattu.")).to_be_focused()
    expect(article).to_contain_text("Päätös: Hylätty")
    axe_check(page)
    assert Decision.objects.get(agenda_item=item).outcome == Decision.Outcome.REJECTED
