"""Status reports: who may do what, the state machine, concurrent edits, bad input, reminders,
the coordinator's home page."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from core.models import Transition
from governance.models import City
from projects import permissions, services
from projects.models import Indicator, ReportingPeriod, StatusReport
from projects.portfolio_cache import reports_changed

from . import factories

State = StatusReport.State


@pytest.fixture
def setup(demo_users):
    project = factories.project(name="Raportoitava hanke", cities=("helsinki", "espoo"))
    indicator = services.indicator_upsert(
        project=project, code="R1", name="Yritykset", unit="kpl", target=Decimal(40)
    )
    period = services.reporting_periods_generate(
        first_start=dt.date(2030, 1, 1), months=6, count=1
    )[0]
    report = services.status_report_start(
        project=project, period=period, by=demo_users["koordinaattori-helsinki"]
    )
    return {"project": project, "period": period, "report": report, "indicator": indicator}


def complete(indicator: Indicator | None = None) -> dict[str, str]:
    data = {
        "overall_status": "green",
        "schedule_status": "amber",
        "budget_status": "green",
        "scope_status": "red",
        "narrative": "Edistyttiin hyvin.",
        "costs_to_date": "1 234,50",
        "risks": "Ei suuria.",
        "next_steps": "Jatketaan.",
    }
    if indicator:
        data[f"indicator_{indicator.pk}"] = "12"
    return data


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "can_edit"),
    [
        ("koordinaattori-helsinki", True),
        ("koordinaattori-espoo", True),
        ("koordinaattori-oulu", False),
        ("toimisto", False),
        ("rahoittaja", False),
        ("johtoryhma", False),
        ("ohjausryhma", False),
    ],
)
def test_who_edits_and_reads_reports(setup, demo_users, client_as, username, can_edit):
    user = demo_users[username]
    assert permissions.can_edit_reports(user, setup["project"]) is can_edit
    assert permissions.can_read_reports(user, setup["project"]) is True
    client = client_as(username)
    # the report is a draft: its editors and the strategy office read it, nobody else yet
    reads_draft = can_edit or username == "toimisto"
    detail = client.get(reverse("projects:report_detail", args=[setup["report"].pk]))
    assert detail.status_code == (200 if reads_draft else 403)
    edit = client.get(reverse("projects:report_edit", args=[setup["report"].pk]))
    assert edit.status_code == (200 if can_edit else 403)


@pytest.mark.django_db
def test_contact_person_gets_edit_on_one_project_only(setup, django_user_model):
    contact = django_user_model.objects.create_user("yhteyshenkilo", password="x-unused-1234")
    other = factories.project(name="Toinen hanke")
    assert not permissions.can_read_reports(contact, setup["project"])
    assign_perm("projects.report_project", contact, setup["project"])
    contact = django_user_model.objects.get(pk=contact.pk)  # fresh permission caches
    assert permissions.can_edit_reports(contact, setup["project"])
    assert permissions.can_read_reports(contact, setup["project"])
    assert not permissions.can_edit_reports(contact, other)
    assert not permissions.can_read_reports(contact, other)


@pytest.mark.django_db
def test_anonymous_and_deactivated_cannot_read(setup, client, demo_users):
    url = reverse("projects:report_detail", args=[setup["report"].pk])
    assert client.get(url).status_code == 302
    user = demo_users["koordinaattori-helsinki"]
    user.is_active = False
    user.save()
    assert not permissions.can_edit_reports(user, setup["project"])


@pytest.mark.django_db
def test_full_journey_submit_return_resubmit_accept(setup, client_as):
    report, indicator = setup["report"], setup["indicator"]
    coordinator = client_as("koordinaattori-helsinki")
    edit_url = reverse("projects:report_edit", args=[report.pk])
    data = complete(indicator) | {"version": report.version, "submit": "1"}
    response = coordinator.post(edit_url, data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == State.SUBMITTED
    assert report.costs_to_date == Decimal("1234.50")

    office = client_as("toimisto")
    transition_url = reverse("projects:report_transition", args=[report.pk])
    # returning needs a comment
    response = office.post(transition_url, {"to_state": "returned", "comment": " "})
    assert response.status_code == 400
    assert (
        "Kerro, mitä pitää korjata" in response.content.decode()
        or "correct" in response.content.decode()
    )
    report.refresh_from_db()
    assert report.state == State.SUBMITTED
    office.post(transition_url, {"to_state": "returned", "comment": "Tarkista kustannukset."})
    report.refresh_from_db()
    assert report.state == State.RETURNED
    # the returned report's form says what to correct (a draft's form does not read it)
    assert "Tarkista kustannukset." in coordinator.get(edit_url).content.decode()

    # the coordinator cannot accept their own report
    assert coordinator.post(transition_url, {"to_state": "accepted"}).status_code == 400
    data = complete(indicator) | {"version": report.version, "costs_to_date": "2000", "submit": "1"}
    coordinator.post(edit_url, data)
    report.refresh_from_db()
    assert report.state == State.RESUBMITTED
    office.post(transition_url, {"to_state": "accepted"})
    report.refresh_from_db()
    assert report.state == State.ACCEPTED
    indicator.refresh_from_db()
    assert indicator.achieved == Decimal(12)

    rows = list(report.transitions.values_list("from_state", "to_state", "by__username", "comment"))
    assert rows == [
        ("draft", "submitted", "koordinaattori-helsinki", ""),
        ("submitted", "returned", "toimisto", "Tarkista kustannukset."),
        ("returned", "resubmitted", "koordinaattori-helsinki", ""),
        ("resubmitted", "accepted", "toimisto", ""),
    ]
    # an accepted report is no longer editable, and earlier versions are kept
    assert coordinator.get(edit_url).status_code == 302
    history = coordinator.get(reverse("projects:report_history", args=[report.pk]))
    html = history.content.decode()
    assert "1\xa0234,50\xa0€" in html and "2\xa0000\xa0€" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("source", "target"),
    [
        (State.DRAFT, State.ACCEPTED),
        (State.DRAFT, State.RETURNED),
        (State.ACCEPTED, State.RETURNED),
        (State.RETURNED, State.ACCEPTED),
        (State.SUBMITTED, State.DRAFT),
    ],
)
def test_transitions_outside_the_table_are_refused(setup, demo_users, source, target):
    report = setup["report"]
    StatusReport.objects.filter(pk=report.pk).update(state=source)
    with pytest.raises(ValidationError):
        services.status_report_transition(
            report=report, to_state=target, by=demo_users["toimisto"], comment="x"
        )
    report.refresh_from_db()
    assert report.state == source
    assert not report.transitions.exists()


@pytest.mark.django_db
def test_office_cannot_submit_and_coordinator_cannot_return(setup, demo_users):
    report = setup["report"]
    with pytest.raises(PermissionDenied):
        services.status_report_transition(
            report=report, to_state=State.SUBMITTED, by=demo_users["toimisto"]
        )
    StatusReport.objects.filter(pk=report.pk).update(state=State.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.status_report_transition(
            report=report,
            to_state=State.RETURNED,
            by=demo_users["koordinaattori-helsinki"],
            comment="x",
        )


@pytest.mark.django_db
def test_incomplete_report_cannot_be_submitted(setup, client_as):
    report = setup["report"]
    client = client_as("koordinaattori-helsinki")
    url = reverse("projects:report_edit", args=[report.pk])
    response = client.post(
        url, {"version": report.version, "narrative": "Vain teksti", "submit": "1"}
    )
    report.refresh_from_db()
    assert report.state == State.DRAFT
    assert report.narrative == "Vain teksti"  # the draft was saved
    # The form comes back as typed, with the same error behaviour as any refused form: the
    # summary links each missing field, the fields are marked invalid, the status says so.
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert "Vain teksti" in html
    for link in ("#id_overall_status_0", "#id_costs_to_date"):
        assert f'href="{link}"' in html, link
    assert re.search(r'<input[^>]*name="costs_to_date"[^>]*aria-invalid="true"', html)
    assert f'name="version" value="{report.version}"' in html  # saving again is no conflict


@pytest.mark.django_db
def test_wrong_field_keeps_typed_text_and_saves_nothing(setup, client_as):
    report = setup["report"]
    client = client_as("koordinaattori-helsinki")
    data = complete() | {"version": report.version, "costs_to_date": "noin tonni", "save": "1"}
    data["narrative"] = "Pitkä teksti, jota ei saa hukata."
    response = client.post(reverse("projects:report_edit", args=[report.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Pitkä teksti, jota ei saa hukata." in html
    assert 'value="noin tonni"' in html
    assert 'href="#id_costs_to_date"' in html
    report.refresh_from_db()
    assert report.narrative == "" and report.version == 1


@pytest.mark.django_db
def test_second_editor_gets_changed_meanwhile_and_nothing_is_overwritten(setup, client_as):
    report = setup["report"]
    url = reverse("projects:report_edit", args=[report.pk])
    first = client_as("koordinaattori-helsinki")
    second = client_as("koordinaattori-espoo")
    started = report.version
    ok = first.post(url, complete() | {"version": started, "narrative": "Helsingin teksti"})
    assert ok.status_code == 302
    clash = second.post(url, complete() | {"version": started, "narrative": "Espoon teksti"})
    assert clash.status_code == 409
    html = clash.content.decode()
    assert "Helsingin teksti" in html and "Espoon teksti" in html
    assert clash.context["conflict"].narrative == "Helsingin teksti"
    report.refresh_from_db()
    assert report.narrative == "Helsingin teksti" and report.version == started + 1
    # saving again after seeing both is a deliberate choice, and then it is saved
    again = second.post(url, complete() | {"version": report.version, "narrative": "Espoon teksti"})
    assert again.status_code == 302
    report.refresh_from_db()
    assert report.narrative == "Espoon teksti"


@pytest.mark.django_db
def test_service_refuses_stale_version(setup, demo_users):
    report = setup["report"]
    user = demo_users["koordinaattori-helsinki"]
    services.status_report_update(
        report=report, content=services.ReportContent(narrative="a"), expected_version=1, by=user
    )
    with pytest.raises(services.ChangedMeanwhile):
        services.status_report_update(
            report=report,
            content=services.ReportContent(narrative="b"),
            expected_version=1,
            by=user,
        )
    report.refresh_from_db()
    assert report.narrative == "a"


@pytest.mark.django_db
def test_service_still_validates_the_content_it_saves(setup, demo_users):
    """status_report_update leaves out the report's unchanged project and period, not its
    content: negative costs break the check constraint and nothing is saved."""
    from django.core.exceptions import ValidationError

    report = setup["report"]
    with pytest.raises(ValidationError):
        services.status_report_update(
            report=report,
            content=services.ReportContent(narrative="x", costs_to_date=Decimal("-1")),
            expected_version=report.version,
            by=demo_users["koordinaattori-helsinki"],
        )
    report.refresh_from_db()
    assert report.narrative != "x"


@pytest.mark.django_db
def test_start_report_from_project_page(demo_users, client_as):
    project = factories.project(cities=("oulu", "turku"))
    period = services.reporting_periods_generate(
        first_start=dt.date(2024, 1, 1), months=12, count=1
    )[0]
    url = reverse("projects:report_start", args=[project.pk])
    assert client_as("koordinaattori-helsinki").post(url, {"period": period.pk}).status_code == 403
    response = client_as("koordinaattori-oulu").post(url, {"period": period.pk})
    report = StatusReport.objects.get(project=project, period=period)
    assert response["Location"] == reverse("projects:report_edit", args=[report.pk])
    client_as("koordinaattori-turku").post(url, {"period": period.pk})
    assert StatusReport.objects.filter(project=project).count() == 1
    assert client_as("koordinaattori-oulu").get(url).status_code == 405


@pytest.mark.django_db
def test_reporting_periods_rhythm(db):
    quarters = services.reporting_periods_generate(
        first_start=dt.date(2031, 1, 1), months=3, count=4, due_days=20
    )
    assert [p.name for p in quarters] == ["2031 Q1", "2031 Q2", "2031 Q3", "2031 Q4"]
    assert quarters[0].end_date == dt.date(2031, 3, 31)
    assert quarters[0].due_date == dt.date(2031, 4, 20)
    services.reporting_periods_generate(first_start=dt.date(2031, 1, 1), months=3, count=4)
    assert ReportingPeriod.objects.filter(start_date__year=2031).count() == 4
    with pytest.raises(ValidationError):
        services.reporting_periods_generate(first_start=dt.date(2031, 1, 1), months=5, count=1)


def _coordinator(django_user_model, username, city_slug, email=True):
    from governance.models import City
    from governance.services import user_role_grant

    user = django_user_model.objects.create_user(
        username, email=f"{username}@example.org" if email else "", password="x-unused-1234"
    )
    user_role_grant(user=user, role="coordinator", city=City.objects.get(slug=city_slug))
    return user


@pytest.mark.django_db
def test_reminders_email_due_and_overdue(org_6aika, django_user_model):
    for slug in ("tampere", "turku", "helsinki"):
        _coordinator(django_user_model, f"k-{slug}", slug)
    _coordinator(django_user_model, "k-oulu-no-email", "oulu", email=False)
    project = factories.project(
        name="Muistutettava", cities=("tampere", "turku", "oulu"), start=dt.date(2025, 1, 1)
    )
    today = dt.date(2026, 11, 23)
    for name, start, end, due in [
        ("Erääntynyt", (2026, 1, 1), (2026, 6, 30), (2026, 7, 31)),
        ("Pian", (2026, 7, 1), (2026, 11, 1), (2026, 12, 1)),
        ("Myöhemmin", (2026, 12, 1), (2027, 5, 31), (2027, 6, 30)),
    ]:
        ReportingPeriod.objects.create(
            name=name,
            start_date=dt.date(*start),
            end_date=dt.date(*end),
            due_date=dt.date(*due),
        )
    sent = services.report_reminders_send(today=today)
    assert sorted(m.to[0] for m in mail.outbox) == ["k-tampere@example.org", "k-turku@example.org"]
    assert sent == 2
    body = mail.outbox[0].body
    assert "Muistutettava" in body and "Erääntynyt" in body and "Pian" in body
    assert "Myöhemmin" not in body
    assert "Myöhässä" in body
    # a submitted report is no longer reminded
    StatusReport.objects.create(
        project=project,
        period=ReportingPeriod.objects.get(name="Erääntynyt"),
        state=State.SUBMITTED,
    )
    mail.outbox.clear()
    services.report_reminders_send(today=today)
    assert "Erääntynyt" not in mail.outbox[0].body and "Pian" in mail.outbox[0].body


@pytest.mark.django_db
def test_reminders_are_written_in_each_coordinators_language(org_6aika, django_user_model, client):
    """The language a user chose in the portal is kept and the mail is written in it."""
    from core.languages import language_of

    finnish = _coordinator(django_user_model, "k-tampere", "tampere")
    swedish = _coordinator(django_user_model, "k-turku", "turku")
    client.force_login(swedish)
    client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    assert (language_of(finnish), language_of(swedish)) == ("fi", "sv")
    factories.project(name="Muistutettava", cities=("tampere", "turku"), start=dt.date(2025, 1, 1))
    ReportingPeriod.objects.create(
        name="Erääntynyt",
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 6, 30),
        due_date=dt.date(2026, 7, 31),
    )
    assert services.report_reminders_send(today=dt.date(2026, 11, 23)) == 2
    by_recipient = {m.to[0]: m for m in mail.outbox}
    fi, sv = by_recipient["k-tampere@example.org"], by_recipient["k-turku@example.org"]
    assert "Myöhässä:" in fi.body and "6Aika-portaali" in fi.subject
    assert "Försenade:" in sv.body and "6Aika-portalen" in sv.subject
    assert "Myöhässä" not in sv.body
    assert "31.7.2026" in sv.body  # the date as written in Finland, in Swedish too


@pytest.mark.django_db
def test_reminder_task_runs_the_service(org_6aika, django_user_model, settings):
    from projects.tasks import report_reminders_send

    assert "projects-report-reminders" in settings.CELERY_BEAT_SCHEDULE
    _coordinator(django_user_model, "k-espoo", "espoo")
    factories.project(cities=("espoo", "vantaa"), start=dt.date(2020, 1, 1))
    ReportingPeriod.objects.create(
        name="Vanha",
        start_date=dt.date(2021, 1, 1),
        end_date=dt.date(2021, 6, 30),
        due_date=dt.date(2021, 7, 31),
    )
    assert report_reminders_send.apply().get() == 1
    assert mail.outbox[0].to == ["k-espoo@example.org"]


@pytest.mark.django_db
@pytest.mark.parametrize("extra", [0, 15])
def test_coordinator_home_lists_due_overdue_returned(
    demo_users, client_as, django_assert_num_queries, extra
):
    for _ in range(extra):
        factories.project(cities=("helsinki", "vantaa"))
    client = client_as("koordinaattori-helsinki")
    client.get(reverse("home"))  # warm the session and role caches, and keep the lists
    # The same number whatever the portfolio: the coordinator section's two among them (its
    # projects, and the names of the projects in the lists kept from the first request).
    # HOME_QUERIES: the coordinated cities are two queries since issue 19 (below).
    with django_assert_num_queries(HOME_QUERIES):
        response = client.get(reverse("home"))
    section = response.context["coordinator"]
    html = response.content.decode()
    # demo data: 2025 H2 returned, 2026 H1 draft overdue (the demo periods are in the past)
    assert [o.period.name for o in section["returned"]] == ["2025 H2"]
    if not extra:  # with 45 older overdue reports it is among those counted, not listed
        assert any(o.period.name == "2026 H1" for o in section["overdue"])
    assert "Kiertotalouden" not in html  # not a Helsinki project
    assert "Avoimet datapalvelut" in html
    if extra:  # 46 overdue: the first 25 are listed, the rest counted with a link to all
        assert "ja 21 muuta" in html
        assert html.count("#reports") <= 25 + 50


@pytest.mark.django_db
@pytest.mark.parametrize("extra", [0, 15])
def test_coordinator_home_page_query_count_is_fixed(
    demo_users, client_as, django_assert_num_queries, extra
):
    """The whole page as the coordinator gets it, not only its selector: 15 more projects of
    the city with their 45 overdue reports cost no query more."""
    for _ in range(extra):
        factories.project(cities=("helsinki", "vantaa"))
    client = client_as("koordinaattori-helsinki")
    client.get(reverse("home"))  # the session's first request stores what later ones reuse
    # user and roles (one statement: core/auth.py; the session is read from Redis); person;
    # coordinated cities (2: their ids by the access object's prepared query, then the cities by
    # id: together less CPU than guardian's one query, which was compiled anew on every request,
    # issue 19); the user's seats (the access object's, which the menu's meetings check asks and
    # the page lists: one query for both since issue 19); the coordinator section's 2 with its
    # lists kept from the first request (selectors.coordinator_home: the projects, the listed
    # projects' names)
    with django_assert_num_queries(HOME_QUERIES):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    section = response.context["coordinator"]
    assert len(section["city_projects"]) == 2 + extra
    assert len(section["overdue"]) == min(1 + 3 * extra, 25)


HOME_QUERIES = 7


@pytest.mark.django_db
def test_coordinator_home_lines_show_due_soon_and_each_change(demo_users, client_as):
    """A report due within 14 days is listed with its date; the lines' HTML, kept per process
    under what they show (core.fragments), follows a renamed project at once."""
    from projects.models import Project

    today = timezone.localdate()
    project = factories.project(name="Pian raportoiva", cities=("helsinki",))
    ReportingPeriod.objects.create(
        name="Tuore jakso",
        start_date=today - dt.timedelta(days=190),
        end_date=today - dt.timedelta(days=10),
        due_date=today + dt.timedelta(days=5),
    )
    client = client_as("koordinaattori-helsinki")
    due = today + dt.timedelta(days=5)
    line = (
        f'<a href="/projects/{project.pk}/#reports">Pian raportoiva, Tuore jakso</a>\n'
        f"    – määräpäivä {due.day}.{due.month}.{due.year}"
    )
    assert line in client.get(reverse("home")).content.decode()
    Project.objects.filter(pk=project.pk).update(name="Uusi nimi", name_fi="Uusi nimi")
    html = client.get(reverse("home")).content.decode()
    assert "Pian raportoiva" not in html
    assert line.replace("Pian raportoiva", "Uusi nimi") in html


@pytest.mark.django_db
def test_coordinator_home_lists_kept_follow_each_report_period_and_project(
    demo_users, django_assert_num_queries
):
    """The lists are kept between requests (selectors._home_obligations) and follow at once a
    report handed in, a period moved, a project ended: each is saved, and the next request reads
    the lists anew."""
    from governance.models import City
    from projects import selectors
    from projects.models import Project

    day = dt.date(2026, 11, 23)
    city_ids = [City.objects.get(slug="helsinki").pk]
    project = factories.project(name="Pitää raportoida", cities=("helsinki",))
    first = selectors.coordinator_home(city_ids=city_ids, today=day)
    owed = [o for o in first["overdue"] if o.project.pk == project.pk]
    assert len(owed) == 3  # its three past half-years
    with django_assert_num_queries(2):  # the lists kept: the projects and the listed names
        again = selectors.coordinator_home(city_ids=city_ids, today=day)
    assert again["overdue"] == first["overdue"] and again["more"] == first["more"]

    period = ReportingPeriod.objects.get(name=owed[0].period.name)
    StatusReport.objects.create(project=project, period=period, state=State.SUBMITTED)
    handed_in = selectors.coordinator_home(city_ids=city_ids, today=day)
    assert [o.period.name for o in handed_in["overdue"] if o.project.pk == project.pk] == [
        o.period.name for o in owed[1:]
    ]

    later = ReportingPeriod.objects.get(name=owed[1].period.name)
    later.due_date = day + dt.timedelta(days=3)
    later.save()
    moved = selectors.coordinator_home(city_ids=city_ids, today=day)
    assert [o.period.name for o in moved["due_soon"] if o.project.pk == project.pk] == [later.name]

    project.status = Project.Status.CLOSED
    project.save()
    ended = selectors.coordinator_home(city_ids=city_ids, today=day)
    assert not [
        o for kind in ("overdue", "due_soon") for o in ended[kind] if o.project.pk == project.pk
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("extra", [0, 15])
def test_coordinator_section_query_count_is_fixed(demo_users, django_assert_num_queries, extra):
    from projects import selectors

    for _ in range(extra):
        factories.project(cities=("helsinki", "vantaa"))
    from governance.models import City

    city_ids = [City.objects.get(slug="helsinki").pk]
    # the city's projects; periods due; the first obligations of each list with totals
    with django_assert_num_queries(3):
        section = selectors.coordinator_home(city_ids=city_ids, today=dt.date(2026, 11, 23))
    # the demo project's 2026 H1 draft, and each new project's three past half-years
    total = 1 + 3 * extra
    assert len(section["overdue"]) == min(total, selectors.HOME_LIST_LIMIT)
    assert section["more"]["overdue"] == max(0, total - selectors.HOME_LIST_LIMIT)
    assert [o.period.name for o in section["returned"]] == ["2025 H2"]
    assert section["due_soon"] == []
    soon = selectors.coordinator_home(city_ids=city_ids, today=dt.date(2027, 1, 20))
    assert len(soon["due_soon"]) == 1 + extra  # 2026 H2, due 30.1.2027


@pytest.mark.django_db
@pytest.mark.parametrize("extra", [0, 10])
def test_report_list_for_the_office(demo_users, client_as, django_assert_num_queries, extra):
    office = client_as("toimisto")
    office.get(reverse("home"))  # warm the session and role caches
    for _ in range(extra):
        project = factories.project(cities=("oulu", "turku"))
        period = ReportingPeriod.objects.first()
        StatusReport.objects.create(project=project, period=period, state=State.SUBMITTED)
    response = office.get(reverse("projects:report_list"), {"state": "submitted"})
    assert response.status_code == 200
    reports = list(response.context["page"].object_list)
    assert len(reports) == 1 + extra
    assert {r.state for r in reports} == {State.SUBMITTED}
    assert client_as("koordinaattori-oulu").get(reverse("projects:report_list")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["rahoittaja", "johtoryhma", "johtoryhma-pj"])
@pytest.mark.parametrize(
    ("to_state", "comment"), [(State.ACCEPTED, ""), (State.RETURNED, "Korjatkaa.")]
)
def test_funder_and_board_cannot_accept_or_return(setup, client_as, username, to_state, comment):
    """They read a submitted report, are offered no buttons, and a forged request is refused."""
    report = setup["report"]
    StatusReport.objects.filter(pk=report.pk).update(
        state=State.SUBMITTED, overall_status="green", narrative="x"
    )
    client = client_as(username)
    page = client.get(reverse("projects:report_detail", args=[report.pk]))
    assert page.status_code == 200 and page.context["transitions"] == []
    assert 'name="to_state"' not in page.content.decode()
    response = client.post(
        reverse("projects:report_transition", args=[report.pk]),
        {"to_state": to_state, "comment": comment},
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.state == State.SUBMITTED
    assert not report.transitions.exists()


@pytest.mark.django_db
def test_a_draft_is_read_only_by_its_editors_and_the_office(setup, demo_users, client_as):
    report, project = setup["report"], setup["project"]
    services.status_report_update(
        report=report,
        content=services.ReportContent(**{**_complete_content(), "narrative": "Keskeneräinen."}),
        expected_version=report.version,
        by=demo_users["koordinaattori-helsinki"],
    )
    detail = reverse("projects:report_detail", args=[report.pk])
    history = reverse("projects:report_history", args=[report.pk])
    for username in ("koordinaattori-oulu", "rahoittaja", "johtoryhma", "ohjausryhma"):
        client = client_as(username)
        assert client.get(detail).status_code == 403, username
        assert client.get(history).status_code == 403, username
        listed = client.get(reverse("projects:report_list"))
        assert report.pk not in [r.pk for r in listed.context["page"].object_list], username
        export = client.get(reverse("projects:report_export"), {"format": "csv"})
        assert "Keskeneräinen." not in export.content.decode(), username
        page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
        assert detail not in page, username
    for username in ("koordinaattori-helsinki", "koordinaattori-espoo", "toimisto"):
        client = client_as(username)
        assert client.get(detail).status_code == 200, username
        assert client.get(history).status_code == 200, username
        export = client.get(reverse("projects:report_export"), {"format": "csv"})
        assert "Keskeneräinen." in export.content.decode(), username
    assert (
        detail
        in client_as("koordinaattori-helsinki")
        .get(reverse("projects:detail", args=[project.pk]))
        .content.decode()
    )

    # Once submitted, every role reads it.
    services.status_report_transition(
        report=report, to_state=State.SUBMITTED, by=demo_users["koordinaattori-helsinki"]
    )
    assert client_as("koordinaattori-oulu").get(detail).status_code == 200
    assert client_as("rahoittaja").get(history).status_code == 200


def _complete_content() -> dict:
    return {
        "overall_status": "green",
        "schedule_status": "amber",
        "budget_status": "green",
        "scope_status": "red",
        "costs_to_date": Decimal("1234.50"),
        "risks": "Ei suuria.",
        "next_steps": "Jatketaan.",
    }


@pytest.mark.django_db
def test_submitting_is_one_transaction(setup, demo_users, monkeypatch):
    """The content and the submission are saved together or not at all: a failure in the
    second half (here, writing the transition row) leaves the report as it was."""
    from django.db import DatabaseError

    report, indicator = setup["report"], setup["indicator"]
    before = StatusReport.objects.get(pk=report.pk)
    content = services.ReportContent(
        overall_status="green",
        schedule_status="green",
        budget_status="green",
        scope_status="green",
        narrative="Valmis lähetettäväksi.",
        costs_to_date=Decimal("100.00"),
        indicator_values={indicator.pk: Decimal(7)},
    )

    def broken_create(**kwargs):
        raise DatabaseError("the disk is full")

    monkeypatch.setattr(Transition.objects, "create", broken_create)
    with pytest.raises(DatabaseError):
        services.status_report_submit(
            report=report,
            content=content,
            expected_version=before.version,
            by=demo_users["koordinaattori-helsinki"],
        )
    after = StatusReport.objects.get(pk=report.pk)
    assert (after.state, after.version, after.narrative) == (
        State.DRAFT,
        before.version,
        before.narrative,
    )
    assert not after.indicator_values.exists()
    assert not report.transitions.exists()

    monkeypatch.undo()
    submitted = services.status_report_submit(
        report=report,
        content=content,
        expected_version=before.version,
        by=demo_users["koordinaattori-helsinki"],
    )
    assert submitted.problem == ""
    after = StatusReport.objects.get(pk=report.pk)
    assert (after.state, after.narrative) == (State.SUBMITTED, "Valmis lähetettäväksi.")
    assert after.indicator_values.get().achieved == Decimal(7)
    assert report.transitions.filter(to_state=State.SUBMITTED).exists()


@pytest.mark.django_db
def test_a_submission_refused_in_its_second_half_shows_the_form_and_saves_nothing(
    setup, client_as, monkeypatch
):
    """A refusal of the transition comes back on the form (the typed text kept), not after the
    content was saved as it did when the view made two calls."""
    report, indicator = setup["report"], setup["indicator"]
    version = report.version

    def refuse(**kwargs):
        raise ValidationError("Raportointi on suljettu.")

    monkeypatch.setattr(services, "status_report_transition", refuse)
    data = complete(indicator) | {"version": version, "submit": "1"}
    response = client_as("koordinaattori-helsinki").post(
        reverse("projects:report_edit", args=[report.pk]), data
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Raportointi on suljettu." in html and "Edistyttiin hyvin." in html
    report.refresh_from_db()
    assert (report.state, report.version, report.narrative) == (State.DRAFT, version, "")


@pytest.mark.django_db
def test_after_submission_readers_see_submitted_versions_not_the_drafts(
    setup, demo_users, client_as
):
    report, author = setup["report"], demo_users["koordinaattori-helsinki"]
    draft = services.status_report_update(
        report=report,
        content=services.ReportContent(**{**_complete_content(), "narrative": "Luonnos A."}),
        expected_version=report.version,
        by=author,
    )
    services.status_report_submit(
        report=draft,
        content=services.ReportContent(**{**_complete_content(), "narrative": "Valmis B."}),
        expected_version=draft.version,
        by=author,
    )
    report.refresh_from_db()
    assert report.state == State.SUBMITTED
    history = reverse("projects:report_history", args=[report.pk])
    for username in ("koordinaattori-oulu", "rahoittaja", "johtoryhma", "ohjausryhma"):
        html = client_as(username).get(history).content.decode()
        assert "Valmis B." in html, username
        assert "Luonnos A." not in html, username
    # the drafts stay their authors' (the city's editors) and the strategy office's
    for username in ("koordinaattori-helsinki", "koordinaattori-espoo", "toimisto"):
        html = client_as(username).get(history).content.decode()
        assert "Valmis B." in html and "Luonnos A." in html, username

    # After a return, the author's new edits are drafts again until resubmitted.
    services.status_report_transition(
        report=report, to_state=State.RETURNED, by=demo_users["toimisto"], comment="Tarkenna."
    )
    report.refresh_from_db()
    services.status_report_update(
        report=report,
        content=services.ReportContent(**{**_complete_content(), "narrative": "Korjaus C."}),
        expected_version=report.version,
        by=author,
    )
    html = client_as("rahoittaja").get(history).content.decode()
    assert "Valmis B." in html and "Korjaus C." not in html and "Luonnos A." not in html
    assert "Korjaus C." in client_as("toimisto").get(history).content.decode()


@pytest.mark.django_db
def test_report_list_count_is_cached_until_reports_change(demo_users, client_as):
    """The list's count (a scan of every readable report) is kept until a report or the
    portfolio changes (issue 19): asked again it costs no query, and a new report, a deleted
    one or a project leaving the coordinator's city shows at once."""
    client = client_as("koordinaattori-oulu")
    url = reverse("projects:report_list")

    def count():
        return client.get(url).context["page"].paginator.count

    first = count()
    with CaptureQueriesContext(connection) as cached:
        client.get(url)
    reports_changed()
    with CaptureQueriesContext(connection) as counted:
        client.get(url)
    assert len(counted) == len(cached) + 1
    assert not any("COUNT(" in q["sql"] for q in cached)
    project = factories.project(cities=("oulu",))
    period = ReportingPeriod.objects.first()
    report = StatusReport.objects.create(project=project, period=period, state=State.DRAFT)
    assert count() == first + 1
    project.cities.clear()  # its draft is no longer the Oulu coordinator's to read
    assert count() == first
    project.cities.add(*City.objects.filter(slug="oulu"))
    assert count() == first + 1
    report.delete()
    assert count() == first


@pytest.mark.django_db
def test_report_list_rows_are_memoised_and_a_change_shows_on_the_next_request(
    setup, demo_users, client_as, django_user_model
):
    """The list's rows are rendered once per value (core.fragments, issue 19): a renamed
    project or a report's new status shows on the next request, and another user's list holds
    only the rows they may read, however many rows the process has kept."""
    from core import fragments

    fragments._memo.cache_clear()
    report, project = setup["report"], setup["project"]
    url = reverse("projects:report_list")
    coordinator = client_as("koordinaattori-helsinki")
    html = coordinator.get(url).content.decode()
    assert "Raportoitava hanke" in html and "Muutettu nimi" not in html
    contact = django_user_model.objects.create_user("rivit", password="x-unused-1234")
    other = factories.project(name="Toisen rivin hanke", cities=("helsinki",))
    services.status_report_start(
        project=other, period=setup["period"], by=demo_users["koordinaattori-helsinki"]
    )
    assert "Toisen rivin hanke" in coordinator.get(url).content.decode()

    project.name_fi = "Muutettu nimi"
    project.save()
    StatusReport.objects.filter(pk=report.pk).update(overall_status="red")
    reports_changed()
    html = coordinator.get(url).content.decode()
    assert "Muutettu nimi" in html and "Raportoitava hanke" not in html
    assert f'href="{reverse("projects:report_detail", args=[report.pk])}"' in html
    assert "rag--red" in html

    assign_perm("projects.report_project", contact, project)
    mine = Client()
    mine.force_login(contact, backend="django.contrib.auth.backends.ModelBackend")
    html = mine.get(url).content.decode()
    assert "Muutettu nimi" in html and "Toisen rivin hanke" not in html
    assert html.count('<th scope="row">') == 1


@pytest.mark.django_db
def test_coordinator_home_names_the_projects_in_the_readers_language(demo_users, client_as):
    """The coordinator's lines are read as plain values (issue 19): each project's name in the
    chosen language, the Finnish one where it has none of that language, as on its own page."""
    from django.conf import settings as django_settings

    from projects.models import Project

    named = factories.project(name="Kielihanke", cities=("helsinki",))
    Project.objects.filter(pk=named.pk).update(name_sv="Språkprojekt")
    unnamed = factories.project(name="Vain suomeksi", cities=("helsinki",))
    client = client_as("koordinaattori-helsinki")
    finnish = client.get(reverse("home")).content.decode()
    assert f'href="/projects/{named.pk}/">Kielihanke' in finnish
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "sv"
    swedish = client.get(reverse("home")).content.decode()
    assert f'href="/projects/{named.pk}/">Språkprojekt' in swedish
    assert f'href="/projects/{unnamed.pk}/">Vain suomeksi' in swedish
    assert "Kielihanke" not in swedish
