"""Issue 6 in Chromium: the strategy office and a city coordinator do their coordination work in
the browser, a visitor and a logged-in user use the contact finder, and the annual clock shows
the board's meetings and the reporting deadlines kept elsewhere in the portal, also as iCal.

Every test runs at desktop and phone width; every page visited is checked with axe and for its
basics (language, title, one h1, no sideways scrolling), with a screenshot per step.
"""

import datetime
import re

import pytest
from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import Page, expect

from coordination.demo import DEMO_PROGRAMME_PDF, DEMO_RESULT
from coordination.models import Event, EventMaterial, ResultAdoption, VisitorGroup
from governance.models import Body, Meeting, Organisation, Person
from projects.demo import DEMO_CIRCULAR, DEMO_OPEN_DATA
from projects.models import Project, ReportingPeriod

from .conftest import assert_form_errors, assert_page_basics, axe_check, login, logout, nav_link

pytestmark = pytest.mark.browser


def _checked(page: Page, screenshot, step: str) -> None:
    """The page as it is now passes the checks every page owes its reader."""
    page.wait_for_load_state()
    assert_page_basics(page, "fi")
    axe_check(page)
    screenshot(step)


def _project(name: str) -> Project:
    return Project.objects.get(name_fi=name)


def _message(page: Page, text: str) -> None:
    expect(page.locator(".messages")).to_contain_text(text)


# --- The strategy office -----------------------------------------------------------------------


def test_office_registers_a_visitor_group_from_request_to_report(
    page: Page, screenshot, demo_users
):
    login(page, "toimisto")
    nav_link(page, "Vierailijaryhmät").click()
    _checked(page, screenshot, "visitor-groups")
    page.get_by_role("link", name="Lisää vierailijaryhmä").click()
    _checked(page, screenshot, "new-group-form")

    # The request arrives without agreed dates; the office forgets the name and the topics.
    page.locator("select[name=origin]").select_option("international")
    page.locator("input[name=country]").fill("Japani")
    page.locator("input[name=requested_on]").fill("2026-10-05")
    page.get_by_label("Oulu").check()
    page.get_by_label("Tampere").check()
    page.get_by_role("button", name="Tallenna").click()
    page.wait_for_load_state()
    assert_form_errors(page, "name", "topics")
    _checked(page, screenshot, "mistake-explained")
    assert not VisitorGroup.objects.filter(country="Japani").exists()
    expect(page.get_by_label("Oulu")).to_be_checked()

    page.locator("input[name=name]").fill("Sendain kaupungin delegaatio")
    page.locator("textarea[name=topics]").fill("Avoin data, kiertotalous")
    page.locator("select[name=projects]").select_option(str(_project(DEMO_OPEN_DATA).pk))
    page.get_by_role("button", name="Tallenna").click()
    page.wait_for_load_state()
    _message(page, "Vierailijaryhmä on tallennettu.")
    expect(page.locator("h1")).to_have_text("Sendain kaupungin delegaatio")
    expect(page.locator("dl.facts")).to_contain_text("Pyydetty")
    expect(page.locator("dl.facts")).to_contain_text("ei vielä sovittu")
    _checked(page, screenshot, "requested")
    group = VisitorGroup.objects.get(name="Sendain kaupungin delegaatio")
    assert group.status == VisitorGroup.Status.REQUESTED
    assert {c.slug for c in group.host_cities.all()} == {"oulu", "tampere"}

    # Confirming needs the dates: the page says so, and the visit stays requested.
    page.locator("select[name=status]").select_option("confirmed")
    page.get_by_role("button", name="Muuta tila").click()
    page.wait_for_load_state()
    expect(page.locator(".message--error")).to_contain_text("Vahvistetulla")
    _checked(page, screenshot, "confirm-needs-dates")
    group.refresh_from_db()
    assert group.status == VisitorGroup.Status.REQUESTED

    page.get_by_role("link", name="Muokkaa", exact=True).click()
    _checked(page, screenshot, "edit-form")
    page.locator("input[name=visit_starts]").fill("2026-11-16")
    page.locator("input[name=visit_ends]").fill("2026-11-17")
    page.get_by_role("button", name="Tallenna").click()
    page.wait_for_load_state()
    expect(page.locator("dl.facts")).to_contain_text("16.11.2026")
    page.locator("select[name=status]").select_option("confirmed")
    page.get_by_role("button", name="Muuta tila").click()
    page.wait_for_load_state()
    _message(page, "Tila on muutettu.")
    expect(page.locator("dl.facts")).to_contain_text("Vahvistettu")
    _checked(page, screenshot, "confirmed")

    page.locator("select[name=status]").select_option("held")
    page.get_by_role("button", name="Muuta tila").click()
    page.wait_for_load_state()
    expect(page.locator("dl.facts")).to_contain_text("Pidetty")
    expect(page.locator("select[name=status]")).to_have_count(0)  # held is final
    _checked(page, screenshot, "held")

    page.get_by_role("link", name="Kirjoita vierailuraportti").click()
    _checked(page, screenshot, "report-form")
    page.locator("textarea[name=report]").fill(
        "Vieraat tutustuivat avoimen datan rajapintoihin Oulussa ja Tampereella."
    )
    page.get_by_role("button", name="Tallenna").click()
    page.wait_for_load_state()
    _message(page, "Vierailuraportti on tallennettu.")
    expect(page.locator("main")).to_contain_text("Vieraat tutustuivat avoimen datan")
    _checked(page, screenshot, "report-saved")
    group.refresh_from_db()
    assert group.status == VisitorGroup.Status.HELD
    assert group.status_changed_by == demo_users["toimisto"]
    assert group.report.startswith("Vieraat tutustuivat")

    nav_link(page, "Vierailijaryhmät").click()
    row = page.get_by_role("row").filter(has_text="Sendain kaupungin delegaatio")
    expect(row).to_contain_text("Pidetty")
    expect(row).to_contain_text("16.11.2026")
    _checked(page, screenshot, "list")


def test_office_adds_an_event_with_materials(page: Page, screenshot, demo_users):
    login(page, "toimisto")
    nav_link(page, "Tapahtumat").click()
    _checked(page, screenshot, "events")
    page.get_by_role("link", name="Lisää tapahtuma").click()
    _checked(page, screenshot, "event-form")
    page.locator("input[name=title]").fill("Kiertotalousroadshow Turussa")
    page.locator("select[name=kind]").select_option("roadshow")
    page.locator("input[name=starts_on]").fill("2026-09-24")
    page.locator("input[name=place]").fill("Turun kaupungintalo")
    page.locator("input[name=online_link]").fill("https://example.invalid/striimi")
    page.locator("select[name=organiser]").select_option(label="Turun kaupunki")
    page.locator("select[name=project]").select_option(str(_project(DEMO_CIRCULAR).pk))
    page.locator("input[name=participants]").fill("85")
    page.get_by_role("button", name="Tallenna").click()
    page.wait_for_load_state()
    _message(page, "Tapahtuma on tallennettu.")
    expect(page.locator("h1")).to_have_text("Kiertotalousroadshow Turussa")
    expect(page.locator("dl.facts")).to_contain_text("Turun kaupungintalo ja verkossa (hybridi)")
    _checked(page, screenshot, "event")
    event = Event.objects.get(title="Kiertotalousroadshow Turussa")
    assert event.is_hybrid and event.participants == 85
    assert event.project == Project.objects.get(name_fi=DEMO_CIRCULAR)

    # Slides as a file: first both a file and a link, which the form refuses.
    page.get_by_role("link", name="Lisää materiaali").click()
    _checked(page, screenshot, "material-form")
    page.locator("input[name=title]").fill("Esityskalvot")
    page.locator("input[name=file]").set_input_files(
        {"name": "kalvot.pdf", "mimeType": "application/pdf", "buffer": DEMO_PROGRAMME_PDF}
    )
    page.locator("input[name=url]").fill("https://example.invalid/kalvot")
    page.get_by_role("button", name="Tallenna").click()
    page.wait_for_load_state()
    expect(page.locator(".error-summary")).to_contain_text("Anna joko tiedosto tai linkki.")
    _checked(page, screenshot, "material-mistake")
    assert not EventMaterial.objects.filter(event=event).exists()
    page.locator("input[name=file]").set_input_files(
        {"name": "kalvot.pdf", "mimeType": "application/pdf", "buffer": DEMO_PROGRAMME_PDF}
    )
    page.locator("input[name=url]").fill("")
    page.get_by_role("button", name="Tallenna").click()
    page.wait_for_load_state()
    _message(page, "Materiaali on lisätty.")

    # The recording as a link.
    page.get_by_role("link", name="Lisää materiaali").click()
    page.locator("input[name=title]").fill("Tallenne")
    page.locator("input[name=url]").fill("https://example.invalid/tallenne")
    page.get_by_role("button", name="Tallenna").click()
    page.wait_for_load_state()
    materials = page.locator("main ul").filter(has_text="Esityskalvot")
    expect(materials.get_by_role("link", name="Tallenne")).to_have_attribute(
        "href", "https://example.invalid/tallenne"
    )
    _checked(page, screenshot, "materials")
    with page.expect_download() as download:
        materials.get_by_role("link", name="Esityskalvot").click()
    with open(download.value.path(), "rb") as handle:
        assert handle.read() == DEMO_PROGRAMME_PDF
    assert sorted(EventMaterial.objects.filter(event=event).values_list("title", flat=True)) == [
        "Esityskalvot",
        "Tallenne",
    ]

    nav_link(page, "Tapahtumat").click()
    row = page.get_by_role("row").filter(has_text="Kiertotalousroadshow Turussa")
    expect(row).to_contain_text("24.9.2026")
    expect(row).to_contain_text("85")
    _checked(page, screenshot, "list")


def test_office_records_a_result_adoption(page: Page, screenshot, demo_users):
    login(page, "toimisto")
    nav_link(page, "Tulosten käyttöönotto").click()
    _checked(page, screenshot, "results")
    page.get_by_role("link", name="Kirjaa tuloksen käyttöönotto").click()
    _checked(page, screenshot, "form")
    page.locator("select[name=project]").select_option(str(_project(DEMO_OPEN_DATA).pk))
    page.locator("input[name=result]").fill(DEMO_RESULT)
    page.locator("select[name=city]").select_option(label="Tampere")
    page.locator("input[name=adopted_on]").fill("2026-11-02")
    page.locator("textarea[name=note]").fill("Otettu käyttöön joukkoliikenteen datassa.")
    page.get_by_role("button", name="Tallenna").click()
    page.wait_for_load_state()
    _message(page, "Käyttöönotto on tallennettu.")
    _checked(page, screenshot, "recorded")
    adoption = ResultAdoption.objects.get(result=DEMO_RESULT, city__slug="tampere")
    assert adoption.adopted_on == datetime.date(2026, 11, 2)
    assert adoption.recorded_by == demo_users["toimisto"]

    # The same result for the same city again: refused with the reason, nothing saved.
    page.get_by_role("link", name="Kirjaa tuloksen käyttöönotto").click()
    page.locator("select[name=project]").select_option(str(_project(DEMO_OPEN_DATA).pk))
    page.locator("input[name=result]").fill(DEMO_RESULT)
    page.locator("select[name=city]").select_option(label="Tampere")
    page.locator("input[name=adopted_on]").fill("2026-11-20")
    page.get_by_role("button", name="Tallenna").click()
    page.wait_for_load_state()
    expect(page.locator(".error-summary")).to_contain_text("Kaupunki on jo ottanut")
    _checked(page, screenshot, "duplicate-refused")
    assert ResultAdoption.objects.filter(result=DEMO_RESULT, city__slug="tampere").count() == 1

    nav_link(page, "Tulosten käyttöönotto").click()
    # The spread: Helsinki, Espoo and Vantaa run the project; Tampere now adopted its result.
    spread = page.get_by_role("table").filter(has_text="Hankkeen kaupunki")
    helsinki = spread.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Helsinki"))
    expect(helsinki.get_by_role("cell").nth(3)).to_have_text("1")  # the Tampere column
    row = page.get_by_role("row").filter(has_text="joukkoliikenteen datassa")
    expect(row).to_contain_text("2.11.2026")
    expect(row).to_contain_text("Tampere")
    _checked(page, screenshot, "spread")


# --- A city coordinator ------------------------------------------------------------------------


def test_coordinator_edits_own_city_entry_and_is_refused_another_city(
    page: Page, screenshot, demo_users
):
    oulu = ResultAdoption.objects.get(result=DEMO_RESULT, city__slug="oulu")
    turku = ResultAdoption.objects.get(result=DEMO_RESULT, city__slug="turku")
    login(page, "koordinaattori-oulu")
    nav_link(page, "Tulosten käyttöönotto").click()
    _checked(page, screenshot, "results")
    adoptions = page.get_by_role("row").filter(has_text=DEMO_RESULT)
    own_row = adoptions.filter(has_text="1.10.2025")
    other_row = adoptions.filter(has_text="2.2.2026")
    expect(other_row).to_contain_text("Turku")
    expect(other_row.get_by_role("link", name="Muokkaa")).to_have_count(0)
    own_row.get_by_role("link", name="Muokkaa").click()
    _checked(page, screenshot, "edit-own")
    # A coordinator records adoptions of their own city only.
    expect(page.locator("select[name=city] option")).to_have_text(["Oulu"])
    page.locator("textarea[name=note]").fill("Käytössä Oulun palvelukartassa.")
    page.get_by_role("button", name="Tallenna").click()
    page.wait_for_load_state()
    _message(page, "Käyttöönotto on tallennettu.")
    expect(page.get_by_role("row").filter(has_text="Oulun palvelukartassa")).to_contain_text("Oulu")
    _checked(page, screenshot, "saved")
    oulu.refresh_from_db()
    assert oulu.note == "Käytössä Oulun palvelukartassa."

    # Another city's entry: refused, in the portal's language, and nothing changes.
    response = page.goto(f"/results/{turku.pk}/edit/")
    assert response is not None and response.status == 403
    _checked(page, screenshot, "refused")
    expect(page.locator("h1")).to_have_text("Ei käyttöoikeutta")
    turku.refresh_from_db()
    assert turku.note == "Demo"

    # The coordinator's own annual clock entry goes on their city.
    nav_link(page, "Vuosikello").click()
    page.get_by_role("link", name="Lisää merkintä").click()
    _checked(page, screenshot, "clock-form")
    expect(page.locator("select[name=city] option")).to_have_text(["Oulu"])
    page.locator("input[name=title_fi]").fill("Oulun 6Aika-aamupäivä")
    page.locator("input[name=starts_on]").fill("2026-12-10")
    page.get_by_role("button", name="Tallenna").click()
    page.wait_for_load_state()
    _message(page, "Vuosikellon merkintä on tallennettu.")
    december = page.locator("section.clock-month").filter(
        has=page.get_by_role("heading", name="Joulukuu")
    )
    expect(december).to_contain_text("Oulun 6Aika-aamupäivä")
    expect(
        december.get_by_role("link", name=re.compile(r"^Muokkaa\s*: Oulun 6Aika-aamupäivä$"))
    ).to_be_visible()
    _checked(page, screenshot, "clock-entry")


# --- The contact finder ------------------------------------------------------------------------


def _open_data_expert() -> Person:
    return Person.objects.create(
        first_name="Outi",
        last_name="Datanen",
        title="Avoimen datan asiantuntija",
        organisation=Organisation.objects.get(name="Oulun kaupunki"),
        email="outi.datanen@example.invalid",
        phone="040 123 4567",
    )


def _search_oulu_open_data(page: Page) -> None:
    page.get_by_label("Hakusanat").fill("avoimen datan")
    page.locator("select[name=city]").select_option(label="Oulu")
    page.get_by_role("button", name="Hae").click()
    page.wait_for_load_state()


def test_contact_finder_shows_personal_details_only_when_logged_in(
    page: Page, screenshot, demo_users
):
    _open_data_expert()

    # Who in Oulu works on open data? A visitor finds the person but not how to reach them.
    page.goto("/")
    nav_link(page, "Etsi yhteyshenkilöitä").click()
    _checked(page, screenshot, "finder")
    _search_oulu_open_data(page)
    person = page.get_by_role("row").filter(has_text="Outi Datanen")
    expect(person).to_contain_text("avoimen datan asiantuntija")
    expect(person).to_contain_text("Oulu")
    expect(page.locator("main")).to_contain_text(
        "Kirjaudu sisään nähdäksesi sähköpostiosoitteet ja puhelinnumerot."
    )
    expect(page.locator("main")).not_to_contain_text("outi.datanen@example.invalid")
    expect(page.locator("main")).not_to_contain_text("040 123 4567")
    _checked(page, screenshot, "found-logged-out")

    # Logged in, the same search shows the e-mail address and the phone number as links.
    login(page, "koordinaattori-helsinki")
    nav_link(page, "Etsi yhteyshenkilöitä").click()
    _search_oulu_open_data(page)
    person = page.get_by_role("row").filter(has_text="Outi Datanen")
    expect(person.get_by_role("link", name="outi.datanen@example.invalid")).to_have_attribute(
        "href", "mailto:outi.datanen@example.invalid"
    )
    expect(person.get_by_role("link", name="040 123 4567")).to_have_attribute(
        "href", "tel:0401234567"
    )
    _checked(page, screenshot, "found-logged-in")

    # From the person to their city's page: its projects and the people to contact.
    person.get_by_role("link", name="Oulu").click()
    expect(page.locator("h1")).to_have_text("Oulu")
    projects = page.get_by_role("table").filter(has_text="Yhteyshenkilöt")
    expect(projects.get_by_role("row").filter(has_text=DEMO_CIRCULAR)).to_contain_text(
        "Marko Puhtila"
    )
    _checked(page, screenshot, "city")
    logout(page)
    _checked(page, screenshot, "logged-out")


# --- The annual clock --------------------------------------------------------------------------


def test_annual_clock_shows_meetings_and_deadlines_and_its_feed_holds_them(
    page: Page, screenshot, demo_users
):
    year = timezone.localdate().year
    meetings = list(
        Meeting.objects.filter(body__kind=Body.Kind.BOARD, starts_at__year=year).order_by(
            "starts_at"
        )
    )
    deadlines = list(ReportingPeriod.objects.filter(due_date__year=year).order_by("due_date"))
    assert meetings and deadlines, "the demo has board meetings and reporting deadlines this year"

    page.goto("/")
    nav_link(page, "Vuosikello").click()
    expect(page.locator("h1")).to_have_text(f"Vuosikello {year}")
    _checked(page, screenshot, "year-view")
    # a month may hold more than one board meeting; the time as Finnish writes it (13.00)
    by_month: dict[int, list[str]] = {}
    for meeting in meetings:
        day = timezone.localtime(meeting.starts_at)
        by_month.setdefault(day.month, []).append(f"{day.day}.{day.month}. {day.hour}.{day:%M}")
    for number, texts in by_month.items():
        month = page.locator("section.clock-month").nth(number - 1)
        expect(month.locator("li").filter(has_text="Johtoryhmä: kokous")).to_contain_text(texts)
    for period in deadlines:
        month = page.locator("section.clock-month").nth(period.due_date.month - 1)
        expect(month).to_contain_text(f"Tilannekatsausten määräpäivä: {period.name}")

    # Each board meeting's monitoring report and meeting pack, made that many days before it.
    before = datetime.timedelta(days=settings.SIXAIKA_REPORTS_DAYS_BEFORE_MEETING)
    runs = [(m, timezone.localdate(m.starts_at) - before) for m in meetings]
    runs = [(m, day) for m, day in runs if day.year == year]
    assert runs, "the demo's board meetings have their report runs this year"
    for _meeting, day in runs:
        month = page.locator("section.clock-month").nth(day.month - 1)
        run = month.locator("li").filter(has_text="seurantaraportti ja kokousaineisto")
        expect(run).to_contain_text(
            [f"{day.day}.{day.month}. Johtoryhmä: seurantaraportti ja kokousaineisto"]
        )

    page.get_by_role("link", name="Luettelo").click()
    _checked(page, screenshot, "list")
    for meeting, day in runs:
        meeting_day = timezone.localdate(meeting.starts_at)
        title = (
            "Johtoryhmä: seurantaraportti ja kokousaineisto "
            f"{meeting_day.day}.{meeting_day.month}.{meeting_day.year} kokoukseen"
        )
        row = page.get_by_role("row").filter(has_text=title)
        expect(row).to_contain_text(f"{day.day}.{day.month}.{day.year}")
        expect(row).to_contain_text("Raportin ajo")
    for meeting in meetings:
        day = timezone.localtime(meeting.starts_at)
        row = page.get_by_role("row").filter(has_text=f"{day.day}.{day.month}.{day.year}")
        expect(row.filter(has_text="Johtoryhmä: kokous")).to_contain_text("Johtoryhmän kokous")
    for period in deadlines:
        row = page.get_by_role("row").filter(
            has_text=f"Tilannekatsausten määräpäivä: {period.name}"
        )
        expect(row).to_contain_text(
            f"{period.due_date.day}.{period.due_date.month}.{period.due_date.year}"
        )
        expect(row).to_contain_text("Raportoinnin määräpäivä")

    # The feed a person subscribes to opens in a calendar library with the same entries.
    feed_link = page.get_by_role("link", name="Tilaa kalenteriin (iCal)")
    assert feed_link.get_attribute("href") == "/annual-clock.ics"
    response = page.request.get("/annual-clock.ics")
    assert response.ok and response.headers["content-type"].startswith("text/calendar")
    events = {str(e["UID"]): e for e in Calendar.from_ical(response.body()).walk("VEVENT")}
    for meeting in meetings:
        vevent = events[f"meeting-{meeting.pk}@6aika-portal"]
        assert str(vevent["SUMMARY"]) == "Johtoryhmä: kokous"
        assert vevent.decoded("DTSTART") == meeting.starts_at
    for meeting, day in runs:
        assert events[f"report-run-{meeting.pk}@6aika-portal"].decoded("DTSTART") == day
    for period in deadlines:
        vevent = events[f"reporting-period-{period.pk}@6aika-portal"]
        assert vevent.decoded("DTSTART") == period.due_date
        assert str(vevent["SUMMARY"]) == f"Tilannekatsausten määräpäivä: {period.name}"
