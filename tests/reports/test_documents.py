"""The reports' PDFs: pdftotext shows the figures the database holds, in Finnish or English."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db.models import Count, Sum
from django.utils import translation
from django.utils.translation import gettext

from core.templatetags.sixaika_format import eur
from governance.models import City, Decision
from projects.models import Indicator, Project, ReportingPeriod, StatusReport
from reports import services as report_services
from reports.documents import CHUNK, report_title
from reports.models import Report
from tests.pdf_facts import assert_accessible_pdf, overlapping_words, pdf_structure
from tests.reports import data as reports_data
from tests.reports.data import AS_OF, norm, pdftotext

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(org_6aika):
    return reports_data.user("strategy_office")


def _spent(projects) -> Decimal:
    """Spent to date: each project's latest accepted report's costs, summed (by hand here)."""
    total = Decimal(0)
    for project in projects:
        latest = (
            StatusReport.objects.filter(
                project=project, state=StatusReport.State.ACCEPTED, costs_to_date__isnull=False
            )
            .order_by("-period__start_date")
            .first()
        )
        total += latest.costs_to_date if latest else 0
    return total


def _make(**kwargs) -> tuple[Report, str]:
    report, _created = report_services.report_request(as_of=AS_OF, **kwargs)
    report_services.report_make(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.DONE, report.error
    with report.file.open("rb") as handle:
        data = handle.read()
    # Tagged PDF/UA-1 (identified in the XMP) with the document language set and a title.
    assert_accessible_pdf(data, kwargs.get("language", "fi"))
    return report, pdftotext(data)


def test_board_report_shows_the_databases_figures(office):
    reports_data.portfolio()
    reports_data.past_board_meeting()
    report, text = _make(kind=Report.Kind.BOARD, by=office)
    with translation.override("fi"):
        granted = Project.objects.aggregate(s=Sum("granted"))["s"]
        assert f"Myönnetty {norm(eur(granted))}" in text
        assert f"Käytetty tähän mennessä {norm(eur(_spent(Project.objects.all())))}" in text
        assert f"Hankkeet {Project.objects.count()}" in text
    assert "Hankerahoitus: Datasilta" in text  # the decision since the previous board meeting
    assert Decision.objects.count() == 1
    # Kiertotalouskampus has reported neither period, both overdue by the date.
    assert "2 raporttia myöhässä" in text
    assert "Kiertotalouskampus" in text
    # Page numbers and the report date with the data's cut-off on the pages.
    pages = int(re.search(r" 1 / (\d+)", text).group(1))
    assert pages >= 2
    assert all(f" {n} / {pages}" in text for n in range(1, pages + 1))
    stamp = f"Raportin päivä {AS_OF:%-d.%-m.%Y} · tiedot "
    assert text.count(stamp) == pages + 1  # under the title and at the foot of every page
    # Indicator T1 summed over its projects, against the target.
    rows = Indicator.objects.filter(code="T1").aggregate(
        t=Sum("target"), a=Sum("achieved"), n=Count("pk")
    )
    progress = reports_data.fi_percent(rows["a"], rows["t"])
    assert f"T1 Yritykset kpl {rows['n']} {rows['t']:.0f} {rows['a']:.0f} {progress}" in text
    # The status colours' change: Älykäs satama went from green to red.
    assert "Tilanne heikentynyt" in text
    assert "Älykäs satama Vihreä" in text


def test_board_report_is_tagged_as_headings_and_tables(office):
    """What a screen reader is told (the PDF's tags, WCAG 1.3.1): the title and the six
    sections' headings as headings, and each list as a table whose every data cell names its
    column's header cell, also where a long list goes on in a table of its own and over a page
    break (as the PDF's speed asks, see reports/documents.py). Every project is a row of the
    project list."""
    reports_data.portfolio(extra=45)
    reports_data.past_board_meeting()
    report, _text = _make(kind=Report.Kind.BOARD, by=office)
    with report.file.open("rb") as handle:
        document = pdf_structure(handle.read())
    with translation.override("fi"):
        assert [h1.text for h1 in document.find("H1")] == [report_title(report)]
        headings = [
            "Portfolio at a glance",
            "Status colours",
            "Indicators against targets",
            "Missing and overdue status reports",
            "Decisions since the previous board meeting",
            "Projects",
        ]
        assert [h2.text for h2 in document.find("H2")] == [gettext(h) for h in headings]
        columns = [
            gettext(h)
            for h in ("Project", "Cities", "Granted", "Spent to date", "Spend rate", "Status")
        ]
    # The tags are made page by page: a section or a table over a page break is one element
    # on each page, the table's header row repeated.
    tables = [
        table
        for table in document.find("Table")
        if [th.text for th in table.find("TH")[: len(columns)]] == columns
    ]
    projects = Project.objects.count()
    captioned = [table for table in tables if table.find("Caption")]
    assert len(captioned) == -(-projects // CHUNK) == 2  # a table of at most CHUNK rows each
    assert len(tables) > len(captioned)  # and one of them goes on over a page break
    rows = []
    for table in tables:
        (head,) = table.find("THead")
        header_ids = [th.id for th in head.find("TH")]
        for tbody in table.find("TBody"):
            for tr in tbody.find("TR"):
                cells = tr.find("TD")
                assert [cell.headers for cell in cells] == [(i,) for i in header_ids]
                rows.append(cells[0].text)
    assert sorted(rows) == sorted(Project.objects.values_list("name", flat=True))
    # Every data cell of every table in the report names a header cell, and no table's part
    # on a page is a caption alone (a caption at the foot of a page, its table on the next).
    assert all(td.headers for td in document.find("TD"))
    assert all(table.find("TR") for table in document.find("Table"))


# The page's side margin in reports' CSS (templates/pdf/reports/_base.html): 1.8 cm in points.
SIDE_MARGIN = 1.8 / 2.54 * 72


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_no_text_is_drawn_over_other_text_or_past_the_margin(office, language):
    """Every word of the board report can be read where it stands: no header cell's word runs
    into the next column, no table or chart legend passes the page's edge (the list's headers
    overlapped and its last column passed the margin in Swedish; the status chart's legend was
    cut off). Read from the words' boxes on the pages (pdftotext -bbox)."""
    reports_data.portfolio(extra=45)
    reports_data.past_board_meeting()
    report, _text = _make(kind=Report.Kind.BOARD, language=language, by=office)
    with report.file.open("rb") as handle:
        assert overlapping_words(handle.read(), SIDE_MARGIN) == []


def test_english_on_request(office):
    reports_data.portfolio()
    _report, text = _make(kind=Report.Kind.BOARD, language="en", by=office)
    with translation.override("en"):
        assert f"Granted {norm(eur(Project.objects.aggregate(s=Sum('granted'))['s']))}" in text
    assert "Board monitoring report" in text


def test_swedish_on_request(office):
    """A monitoring report in Swedish (issue 18): its headings, figures' labels and the status
    change in Swedish, numbers and dates as written in Finland, no Finnish interface text."""
    reports_data.portfolio()
    _report, text = _make(kind=Report.Kind.BOARD, language="sv", by=office)
    with translation.override("sv"):
        granted = eur(Project.objects.aggregate(s=Sum("granted"))["s"])
    assert f"Beviljat {norm(granted)}" in text
    assert "Ledningsgruppens uppföljningsrapport" in text
    assert "Läget har försämrats" in text
    assert f"{AS_OF:%-d.%-m.%Y}" in text
    for finnish in ("Myönnetty", "Hankkeet", "Tilanne heikentynyt", "Raportin päivä", "myöhässä"):
        assert finnish not in text, finnish


def test_city_report_counts_only_the_citys_projects(office):
    reports_data.portfolio()
    city = City.objects.get(slug="helsinki")
    _report, text = _make(kind=Report.Kind.CITY, city=city, by=office)
    projects = Project.objects.filter(cities=city)
    assert projects.count() == 2
    with translation.override("fi"):
        assert f"Hankkeet {projects.count()}" in text
        assert f"Myönnetty {norm(eur(projects.aggregate(s=Sum('granted'))['s']))}" in text
        assert f"Käytetty tähän mennessä {norm(eur(_spent(projects)))}" in text
    assert "Datasilta" not in text


def test_project_fact_sheet_holds_the_public_facts_only(office):
    """The sheet is public, like the project's page: its money and indicators from the
    database, and nothing from the status reports (which are not public)."""
    from tests.reports.data import fi_eur, fi_percent

    projects = reports_data.portfolio()
    a = projects["a"]
    StatusReport.objects.filter(project=a).update(narrative="Sisäinen riskiarvio: viivästys")
    _report, text = _make(kind=Report.Kind.PROJECT, project=a, by=office)
    assert "Hankkeen tietokortti: Älykäs satama" in text
    assert f"Kokonaiskustannusarvio {fi_eur(a.total_cost)}" in text
    for grant in a.grants.select_related("funder"):
        assert f"Myönnetty: {grant.funder.name}" in text
        assert fi_eur(grant.amount) in text
    assert f"Myönnetty {fi_eur(a.granted)}" in text
    assert f"Tukitaso {fi_percent(a.granted, a.total_cost)}" in text
    for indicator in a.indicators.all():
        assert f"{indicator.code} {indicator.name} ({indicator.unit})" in text
    # Nothing from the status reports: no narrative, no colour, no spending.
    assert "Sisäinen riskiarvio" not in text
    assert "Punainen" not in text and "Vihreä" not in text
    assert fi_eur(45000) not in text
    assert "Käytetty tähän mennessä" not in text


def test_meeting_pack_has_the_agenda_and_the_monitoring_report(office):
    reports_data.portfolio()
    from django.utils import timezone

    meeting = reports_data.board_meeting(
        starts_at=dt.datetime(2026, 3, 20, 13, 0, tzinfo=timezone.get_current_timezone()),
        decided=False,
    )
    _report, text = _make(kind=Report.Kind.MEETING_PACK, meeting=meeting, by=office)
    assert "§ 3 Hankerahoitus: Datasilta" in text
    assert "Myönnetään." in text
    with translation.override("fi"):
        assert f"Myönnetty {norm(eur(Project.objects.aggregate(s=Sum('granted'))['s']))}" in text


def test_meeting_pack_shows_the_weighted_scores_of_the_items_applications(office):
    """Two scored applications on a board agenda item: the pack prints each one's mean of the
    members' weighted scores, the spread, the number of scores and the rank, as computed here
    from the stored criterion scores and weights."""
    from django.utils import timezone

    from calls import services as calls_services
    from tests.calls import factories as calls_factories

    reports_data.portfolio()
    members = [
        calls_factories.evaluator_user(first, last).person
        for first, last in (("Kimmo", "Heinonen"), ("Päivi", "Sutinen"), ("Jukka", "Anttila"))
    ]
    call = calls_factories.call(name="Kevään testihaku", weights=("3", "1"), by=office)
    strong = calls_factories.application(call, title="Vahva hakemus", requested="120000", by=office)
    weaker = calls_factories.application(
        call, title="Heikompi hakemus", requested="80500.50", by=office
    )
    for person, values in zip(members, ([5, 4], [4, 3], [5, 5]), strict=True):
        calls_factories.score(strong, person, values)  # 4.75, 3.75, 5.00
    for person, values in zip(members, ([3, 2], [2, 4], [3, 3]), strict=True):
        calls_factories.score(weaker, person, values)  # 2.75, 2.50, 3.00
    meeting = reports_data.board_meeting(
        starts_at=dt.datetime(2026, 3, 20, 13, 0, tzinfo=timezone.get_current_timezone()),
        decided=False,
    )
    item = meeting.items.get()
    for application in (strong, weaker):
        calls_services.application_agenda_item_attach(application=application, item=item, by=office)

    _report, text = _make(kind=Report.Kind.MEETING_PACK, meeting=meeting, by=office)

    assert "§ 3 Hankerahoitus: Datasilta" in text
    assert "Arviointiyhteenveto" in text
    for application, rank in ((strong, 1), (weaker, 2)):
        scores = reports_data.expected_scores(application)
        assert len(scores) == 3
        two = Decimal("0.01")
        mean = reports_data.fi_number(sum(scores) / len(scores), 2)
        low = reports_data.fi_number(min(scores).quantize(two), 2)
        high = reports_data.fi_number(max(scores).quantize(two), 2)
        row = (
            f"{application.title} ({call.name}) {reports_data.fi_eur(application.requested)} "
            f"{mean} {low}–{high} 3 {rank}"
        )
        assert row in text, text
    # The same figures by hand, so that a wrong weighting cannot agree with itself.
    assert "Vahva hakemus (Kevään testihaku) 120 000 € 4,50 3,75–5,00 3 1" in text
    assert "Heikompi hakemus (Kevään testihaku) 80 500,50 € 2,75 2,50–3,00 3 2" in text


def test_without_pdf_ua_no_report_is_made_and_the_asker_sees_why(office, monkeypatch):
    import weasyprint.pdf
    from django.core.exceptions import ImproperlyConfigured

    reports_data.portfolio()
    without = {k: v for k, v in weasyprint.pdf.VARIANTS.items() if not k.startswith("pdf/ua")}
    monkeypatch.setattr(weasyprint.pdf, "VARIANTS", without)
    report, _created = report_services.report_request(
        kind=Report.Kind.BOARD, as_of=AS_OF, by=office
    )
    with pytest.raises(ImproperlyConfigured):  # an attempt before the last: raised to retry
        report_services.report_make(report_id=report.pk, final_attempt=False)
    report = report_services.report_make(report_id=report.pk, final_attempt=True)
    assert report.status == Report.Status.FAILED
    assert "cannot write 'pdf/ua-1'" in report.error
    assert not report.file


def _section(text: str, start: str, end: str) -> str:
    """The PDF's text from the caption ``start`` up to ``end`` (one table of the report)."""
    assert start in text, start
    tail = text[text.index(start) + len(start) :]
    return tail[: tail.index(end)] if end in tail else tail


def test_board_report_spend_rate_and_breakdowns_match_the_database(office):
    """Spent against plan, and projects, cost and granted money by programme, instrument, theme
    and city, all computed here with the ORM and formatted by hand."""
    from projects import services
    from projects.models import Grant, Instrument, Theme
    from tests.projects import factories
    from tests.reports.data import (
        expected_planned,
        expected_spent,
        fi_eur,
        fi_percent,
    )

    projects = reports_data.portfolio()
    theme = services.theme_upsert(slug="data", names={"fi": "Data ja rajapinnat", "en": "Data"})
    Project.objects.filter(pk__in=[projects["a"].pk, projects["b"].pk]).update(theme=theme)
    factories.project(name="Osaajahanke", cities=("turku", "oulu"), instrument="ESR")

    _report, text = _make(kind=Report.Kind.BOARD, by=office)

    every = Project.objects.all()
    spent, planned = expected_spent(every, AS_OF), expected_planned(every, AS_OF)
    assert spent > 0 and planned > 0
    assert f"Käytetty tähän mennessä {fi_eur(spent)}" in text
    assert f"Suunniteltu tähän mennessä {fi_eur(planned)}" in text
    assert f"Käyttöaste suunnitelmaan nähden {fi_percent(spent, planned)}" in text

    def row(label: str, projects) -> str:
        money = projects.aggregate(c=Sum("total_cost"), g=Sum("granted"))
        count = projects.count()
        return f"{label} {count} {fi_eur(money['c'] or 0)} {fi_eur(money['g'] or 0)}"

    by_programme = _section(text, "Ohjelman mukaan", "Rahoitusvälineen mukaan")
    for name in set(every.values_list("programme__name_fi", flat=True)):
        assert row(name, every.filter(programme__name_fi=name)) in by_programme
    by_instrument = _section(text, "Rahoitusvälineen mukaan", "Teeman mukaan")
    instruments = set(Grant.objects.values_list("instrument", flat=True))
    assert instruments == {"EAKR", "ESR"}
    with translation.override("fi"):
        labels = {value: str(label) for value, label in Instrument.choices}
    for value in instruments:
        used = every.filter(pk__in=Grant.objects.filter(instrument=value).values("project"))
        assert row(labels[value], used) in by_instrument
    by_theme = _section(text, "Teeman mukaan", "Kaupungeittain")
    for theme in Theme.objects.filter(projects__isnull=False).distinct():
        assert row(theme.name_fi, every.filter(theme=theme)) in by_theme
    assert row("Ei teemaa", every.filter(theme__isnull=True)) in by_theme
    by_city = _section(text, "Kaupungeittain", "Tilannevärit")
    for city in City.objects.all():
        assert row(city.name, every.filter(cities=city)) in by_city


def test_board_report_lists_the_boards_decisions_only(office):
    """A steering group decision since the board's last meeting is not the board's."""
    from django.utils import timezone

    from governance.models import AgendaItem, Body, Meeting

    reports_data.portfolio()
    reports_data.past_board_meeting()  # 2.3.2026, "Hankerahoitus: Datasilta" decided
    steering = Meeting.objects.create(
        body=Body.objects.get(kind=Body.Kind.STEERING_GROUP),
        starts_at=dt.datetime(2026, 3, 10, 9, 0, tzinfo=timezone.get_current_timezone()),
        place="Tampere",
    )
    item = AgendaItem.objects.create(
        meeting=steering, order=1, title="Ohjausryhmän arviointilinjaus", draft_decision="."
    )
    Decision.objects.create(
        agenda_item=item,
        outcome=Decision.Outcome.APPROVED,
        text="Hyväksyttiin.",
        seats_present=5,
        seat_count=8,
        recorded_at=steering.starts_at,
    )
    _report, text = _make(kind=Report.Kind.BOARD, by=office)
    decisions = _section(text, "Päätökset edellisestä johtoryhmän kokouksesta alkaen", "Hankkeet")
    board = Decision.objects.filter(agenda_item__meeting__body__kind=Body.Kind.BOARD).get()
    assert f"§ {board.agenda_item.order} {board.agenda_item.title}" in decisions
    assert "Ohjausryhmän arviointilinjaus" not in text
    assert "Ohjausryhmä" not in decisions


def test_board_report_says_when_the_board_met_last_even_before_its_minutes_are_approved(office):
    """“The board met last on” names the last meeting held by the report's day, not the last one
    whose minutes are approved; its decisions wait for the approval, and the report says so."""
    from django.utils import timezone

    from governance.models import Minutes

    reports_data.portfolio()
    reports_data.past_board_meeting()  # 2.3.2026, minutes approved, "Datasilta" decided
    held = reports_data.board_meeting(
        starts_at=dt.datetime(2026, 3, 9, 13, 0, tzinfo=timezone.get_current_timezone()),
        decided=False,
    )
    item = held.items.get()
    item.title = "Hankerahoitus: Avoin kaupunki"
    item.save()
    Decision.objects.create(
        agenda_item=item,
        outcome=Decision.Outcome.APPROVED,
        text="Myönnettiin.",
        seats_present=8,
        seat_count=10,
        recorded_at=held.starts_at,
    )
    Minutes.objects.create(meeting=held, drafted_at=held.starts_at)  # a draft, not approved
    reports_data.board_meeting(  # after the report's day: not yet met
        starts_at=dt.datetime(2026, 3, 20, 13, 0, tzinfo=timezone.get_current_timezone()),
        decided=False,
    )
    _report, text = _make(kind=Report.Kind.BOARD, by=office)
    decisions = _section(text, "Päätökset edellisestä johtoryhmän kokouksesta alkaen", "Hankkeet")
    assert "Johtoryhmä kokoontui viimeksi 9.3.2026." in decisions
    assert "Sen pöytäkirjaa ei ole vielä hyväksytty" in decisions
    assert "Hankerahoitus: Datasilta" in decisions  # from the last approved minutes on
    assert "Avoin kaupunki" not in text  # minutes not approved: not public yet

    Minutes.objects.filter(meeting=held).update(
        state=Minutes.State.APPROVED, approved_at=held.starts_at
    )
    _report, text = _make(kind=Report.Kind.BOARD, by=office)
    decisions = _section(text, "Päätökset edellisestä johtoryhmän kokouksesta alkaen", "Hankkeet")
    assert "Johtoryhmä kokoontui viimeksi 9.3.2026." in decisions
    assert "Sen pöytäkirjaa ei ole vielä hyväksytty" not in decisions
    assert "Hankerahoitus: Avoin kaupunki" in decisions
    assert "Datasilta" not in decisions  # before the previous meeting


def test_a_report_is_a_frozen_snapshot(office, client):
    """Data changed after a report is made changes neither its file nor its figures; a report
    asked for afterwards shows the change."""
    import hashlib

    from tests.projects import factories

    projects = reports_data.portfolio()
    report, text = _make(kind=Report.Kind.BOARD, by=office)
    with report.file.open("rb") as handle:
        digest = hashlib.sha256(handle.read()).hexdigest()
    summary, name, size = dict(report.summary), report.file.name, report.size
    granted_then = Project.objects.aggregate(s=Sum("granted"))["s"]
    count_then = Project.objects.count()

    # Afterwards: a new project, and a newer accepted report with more spent.
    factories.project(
        name="Myöhemmin lisätty hanke", cities=("turku", "oulu"), total="800000", granted="500000"
    )
    from projects.models import ReportingPeriod

    reports_data.report(
        projects["c"],
        ReportingPeriod.objects.get(name="2/2025"),
        StatusReport.State.ACCEPTED,
        "green",
        Decimal("12345"),
    )

    report.refresh_from_db()
    assert (report.file.name, report.size, report.summary) == (name, size, summary)
    with report.file.open("rb") as handle:
        data = handle.read()
    assert hashlib.sha256(data).hexdigest() == digest
    assert pdftotext(data) == text
    with translation.override("fi"):
        assert f"Hankkeet {count_then}" in text
        assert f"Myönnetty {norm(eur(granted_then))}" in text
    assert "Myöhemmin lisätty hanke" not in text
    # The report's page shows the figures of the snapshot, not of today.
    client.force_login(office)
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert norm(eur(granted_then)) in norm(page)

    # Asked for again, a new report is made with the new figures; the old one stays as it was.
    later, _text = _make(kind=Report.Kind.BOARD, by=office)
    assert later.pk != report.pk
    assert f"Hankkeet {count_then + 1}" in _text
    assert "Myöhemmin lisätty hanke" in _text
    assert later.summary["granted"] != summary["granted"]


def test_board_report_charts_have_whole_titles_and_their_figures_in_the_pdf(office):
    """Every chart's title (never cut), and the trend over every ended period as a table:
    the handed-in reports by overall status and their costs to date against the plan."""
    reports_data.portfolio()
    report, text = _make(kind=Report.Kind.BOARD, by=office)
    for title in (
        "Hankkeet tilan mukaan",
        "Myönnetty rahoitus kaupungeittain",
        "Kokonaistilanne raportointikausittain",
        "Kustannukset tähän mennessä suhteessa suunnitelmaan raportointikausittain",
    ):
        assert title in text, title
    handed_in = StatusReport.objects.filter(
        state__in=(
            StatusReport.State.SUBMITTED,
            StatusReport.State.RESUBMITTED,
            StatusReport.State.ACCEPTED,
        ),
        period__end_date__lte=AS_OF,
    )
    with translation.override("fi"):
        for period in ReportingPeriod.objects.filter(end_date__lte=AS_OF).order_by("start_date"):
            reports = handed_in.filter(period=period)
            colours = [reports.filter(overall_status=c).count() for c in ("green", "amber", "red")]
            row = " ".join(str(n) for n in [*colours, reports.filter(overall_status="").count()])
            assert f"{period.name} {row} {reports.count()}" in text, period.name
            spent = reports.aggregate(s=Sum("costs_to_date"))["s"] or 0
            assert f"{period.name} {norm(eur(spent))}" in text, period.name
    # The browser's copy of the charts: the same four, each with its table behind a toggle.
    charts = report.summary["charts"]
    assert len(charts) == 4
    assert all("<details>" in chart and "<svg" in chart for chart in charts)
