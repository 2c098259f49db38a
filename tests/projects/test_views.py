"""The public portfolio list and project page: filters, totals, sorting, query counts."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from projects import services

from . import factories


@pytest.fixture
def portfolio(org_6aika):
    a = factories.project(
        name="Avoin data",
        cities=("helsinki", "espoo"),
        total="200000",
        granted="100000",
        instrument="EAKR",
        code="A70011",
    )
    b = factories.project(
        name="Osaajat töihin",
        cities=("tampere", "turku"),
        total="300000",
        granted="150000",
        instrument="ESR",
        start=dt.date(2019, 1, 1),
        end=dt.date(2020, 12, 31),
        status="closed",
    )
    c = factories.project(
        name="Oulun kokeilu",
        cities=("oulu",),
        programme="other",
        total="50000",
        granted="40000",
        instrument="AKKE",
    )
    return a, b, c


def names(response):
    return [p.name_fi for p in response.context["page"].object_list]


@pytest.mark.django_db
def test_list_is_public_with_totals(client, portfolio):
    response = client.get(reverse("projects:list"))
    assert response.status_code == 200
    assert names(response) == ["Avoin data", "Osaajat töihin", "Oulun kokeilu"]
    totals = response.context["totals"]
    assert totals["count"] == 3
    assert totals["total_cost"] == Decimal("550000")
    assert totals["granted"] == Decimal("290000")
    assert "550\xa0000\xa0€" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"city": "espoo"}, ["Avoin data"]),
        ({"city": "oulu"}, ["Oulun kokeilu"]),
        ({"programme": "other"}, ["Oulun kokeilu"]),
        ({"instrument": "ESR"}, ["Osaajat töihin"]),
        ({"status": "closed"}, ["Osaajat töihin"]),
        ({"active_from": "2022-01-01"}, ["Avoin data", "Oulun kokeilu"]),
        ({"active_to": "2021-01-01"}, ["Osaajat töihin"]),
        ({"q": "A70011"}, ["Avoin data"]),
        ({"q": "toteuttaja oulu"}, ["Oulun kokeilu"]),
        ({"sort": "-cost"}, ["Osaajat töihin", "Avoin data", "Oulun kokeilu"]),
        ({"sort": "granted"}, ["Oulun kokeilu", "Avoin data", "Osaajat töihin"]),
    ],
)
def test_list_filters_search_and_sorting(client, portfolio, query, expected):
    response = client.get(reverse("projects:list"), query)
    assert names(response) == expected
    assert response.context["totals"]["count"] == len(expected)


@pytest.mark.django_db
def test_list_rows_show_each_change_at_once(client, portfolio):
    """The rows' HTML is kept per process (core.fragments) under what each row shows: a
    project changed after its row was rendered is rendered anew, in each language."""
    from projects.models import Project

    a = Project.objects.get(pk=portfolio[0].pk)
    html = client.get(reverse("projects:list")).content.decode()
    assert "Avoin data" in html and "200\xa0000\xa0€" in html
    Project.objects.filter(pk=a.pk).update(
        name="Avoin data 2", name_fi="Avoin data 2", total_cost=Decimal("250000")
    )
    a.cities.remove(a.cities.get(slug="espoo"))
    html = client.get(reverse("projects:list")).content.decode()
    row = re.search(r"<tr>\s*<th scope=\"row\">\s*<a[^>]*>Avoin data 2</a>.*?</tr>", html, re.S)
    assert row, html
    assert "250\xa0000\xa0€" in row.group() and "Espoo" not in row.group()
    assert "200\xa0000\xa0€" not in html
    client.cookies["django_language"] = "en"
    english = client.get(reverse("projects:list")).content.decode()
    assert 'data-label="Total cost"' in english and 'data-label="Kokonaiskustannus"' in html


@pytest.mark.django_db
def test_filter_totals_do_not_double_count_multi_city_projects(client, portfolio):
    response = client.get(reverse("projects:list"), {"instrument": "EAKR"})
    assert response.context["totals"]["total_cost"] == Decimal("200000")


@pytest.mark.django_db
def test_htmx_request_renders_only_the_results(client, portfolio):
    response = client.get(reverse("projects:list"), {"city": "oulu"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Oulun kokeilu" in html and "<html" not in html


@pytest.mark.django_db
def test_pagination(client, org_6aika):
    for i in range(27):
        factories.project(name=f"Hanke {i:02d}")
    first = client.get(reverse("projects:list"))
    assert len(first.context["page"].object_list) == 25
    second = client.get(reverse("projects:list"), {"page": 2})
    assert names(second) == ["Hanke 25", "Hanke 26"]


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 30])
def test_list_query_count_is_fixed(client, org_6aika, django_assert_num_queries, size):
    for _ in range(size):
        factories.project()
    # the chosen city; cities, programmes, themes (filter form); totals with the count (the
    # paginator's too); page; leads; cities; the whole portfolio's funding by city, theme and
    # year for the charts (then cached until the portfolio changes)
    with django_assert_num_queries(11):
        response = client.get(reverse("projects:list"), {"city": "helsinki", "sort": "-cost"})
    assert response.status_code == 200
    assert len(response.context["charts"]) == 3
    assert response.context["totals"]["count"] == size
    client.get(reverse("projects:list"))
    # unfiltered (sorting aside), the whole portfolio's totals come from the cache
    with django_assert_num_queries(6):
        response = client.get(reverse("projects:list"), {"sort": "-cost", "page": "2"})
    assert response.context["totals"]["count"] == size
    assert response.context["page"].paginator.num_pages == max(1, -(-size // 25))


@pytest.mark.django_db
def test_cached_totals_follow_every_change(client, portfolio):
    a, b, c = portfolio

    def totals():
        return client.get(reverse("projects:list")).context["totals"]

    assert totals()["count"] == 3
    factories.project(name="Uusi", total="1000", granted="500")
    assert totals()["count"] == 4
    a.total_cost += 1
    a.save()
    assert totals()["total_cost"] == Decimal("551000") + 1
    c.delete()
    assert totals()["count"] == 3
    assert totals()["total_cost"] == Decimal("551001") - Decimal("50000")


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 12])
def test_detail_query_count_is_fixed(client, org_6aika, django_assert_num_queries, size):
    project = factories.project(cities=("helsinki", "espoo", "vantaa", "oulu"))
    for i in range(size):
        services.indicator_upsert(
            project=project, code=f"I{i}", name=f"Mittari {i}", unit="kpl", target=Decimal(10)
        )
    services.project_actions_replace(
        project=project, actions=[(f"Toimenpide {i}", ["a", "b"]) for i in range(size)]
    )
    # project; implementers; grants; contributions; cities; target groups; actions; sub-actions;
    # indicators; children; the application and decision it was funded from
    with django_assert_num_queries(11):
        response = client.get(reverse("projects:detail", args=[project.pk]))
    assert response.status_code == 200


@pytest.mark.django_db
def test_detail_shows_indicator_progress(client, org_6aika):
    project = factories.project()
    indicator = services.indicator_upsert(
        project=project, code="R1", name="Yritykset", unit="kpl", target=Decimal(40)
    )
    indicator.achieved = Decimal(10)
    indicator.save()
    html = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert 'value="0.25' in html and "25\xa0%" in html


@pytest.mark.django_db
def test_unknown_project_is_404(client, org_6aika):
    assert client.get(reverse("projects:detail", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_status_reports_are_not_shown_to_the_public(client, client_as, org_6aika, demo_users):
    project = factories.project()
    public = client.get(reverse("projects:detail", args=[project.pk]))
    assert "reports" not in public.context
    logged_in = client_as("rahoittaja").get(reverse("projects:detail", args=[project.pk]))
    assert logged_in.context["reports"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("periods", [1, 8])
def test_detail_with_status_reports_query_count_is_fixed(
    client_as, demo_users, django_assert_num_queries, periods
):
    from projects.models import StatusReport

    project = factories.project(cities=("helsinki", "espoo"))
    user = demo_users["koordinaattori-helsinki"]
    for period in services.reporting_periods_generate(
        first_start=dt.date(2015, 1, 1), months=6, count=periods
    ):
        report = services.status_report_start(project=project, period=period, by=user)
        StatusReport.objects.filter(pk=report.pk).update(
            overall_status="green", narrative="x", costs_to_date=1, schedule_status="green",
            budget_status="green", scope_status="green",
        )  # fmt: skip
        services.status_report_transition(report=report, to_state="submitted", by=user)
    client = client_as("koordinaattori-helsinki")
    url = reverse("projects:detail", args=[project.pk])
    client.get(url)
    # user and roles (one statement: core/auth.py), seats (the menu's Meetings link; the session
    # is read from Redis); the page's 9 (no actions, so no sub-actions); the application it was
    # funded from (none); reports, transitions; contact projects, coordinated cities (the city
    # check uses the prefetched cities); open periods
    with django_assert_num_queries(17):
        response = client.get(url)
    assert len(response.context["reports"]) == periods
    assert response.context["can_edit"] is True


@pytest.mark.django_db
def test_theme_filter(client, portfolio):
    a, b, _c = portfolio
    open_data = services.theme_upsert(slug="avoin-data", names={"fi": "Avoin data -teema"})
    skills = services.theme_upsert(slug="osaaminen", names={"fi": "Osaaminen"})
    for project, theme in ((a, open_data), (b, skills)):
        services.project_upsert(
            spec=services.ProjectSpec(
                name_fi=project.name_fi, programme=project.programme, theme=theme
            ),
            project=project,
        )
    response = client.get(reverse("projects:list"), {"theme": "avoin-data"})
    assert names(response) == ["Avoin data"]
    assert response.context["totals"]["count"] == 1
    assert response.context["totals"]["total_cost"] == Decimal("200000")
    html = response.content.decode()
    assert '<option value="avoin-data" selected>Avoin data -teema</option>' in html
    assert names(client.get(reverse("projects:list"), {"theme": "osaaminen"})) == ["Osaajat töihin"]
    # combined with another filter, both apply
    both = client.get(reverse("projects:list"), {"theme": "avoin-data", "city": "turku"})
    assert names(both) == []


@pytest.mark.django_db
def test_status_timeline_on_the_project_page(client, client_as, demo_users):
    project = factories.project(name="Aikajanahanke", cities=("helsinki", "espoo"))
    coordinator, office = demo_users["koordinaattori-helsinki"], demo_users["toimisto"]
    first, second = services.reporting_periods_generate(
        first_start=dt.date(2016, 1, 1), months=6, count=2
    )
    content = {
        "overall_status": "amber",
        "schedule_status": "green",
        "budget_status": "green",
        "scope_status": "green",
        "narrative": "x",
        "costs_to_date": 1,
    }
    from projects.models import StatusReport

    for period in (first, second):
        report = services.status_report_start(project=project, period=period, by=coordinator)
        StatusReport.objects.filter(pk=report.pk).update(**content)
        services.status_report_transition(report=report, to_state="submitted", by=coordinator)
    services.status_report_transition(
        report=report, to_state="returned", by=office, comment="Lisätkää erittely."
    )
    first_report = StatusReport.objects.get(project=project, period=first)
    services.status_report_transition(report=first_report, to_state="accepted", by=office)

    html = (
        client_as("koordinaattori-espoo")
        .get(reverse("projects:detail", args=[project.pk]))
        .content.decode()
    )
    timeline = html.split('<ol class="timeline">', 1)[1].split("</ol>", 1)[0]
    # newest period first, each with its state, overall status and who moved it when, in order
    text = " ".join(timeline.split())
    assert text.index("2016 H2") < text.index("2016 H1")
    newest, oldest = text.split("2016 H1", 1)
    assert "<strong>Palautettu</strong>" in newest and "<strong>Hyväksytty</strong>" in oldest
    assert 'class="rag rag--amber"' in newest
    moves = re.findall(r"<li> (\d{1,2}\.\d{1,2}\.\d{4} \d{1,2}\.\d{2}) ([^<]+?) </li>", text)
    assert [move for _at, move in moves] == [
        "lähetetty (koordinaattori-helsinki)",
        "palautettu (toimisto) : “Lisätkää erittely.”",
        "lähetetty (koordinaattori-helsinki)",
        "hyväksytty (toimisto)",
    ]
    # the public sees the facts but no timeline
    assert (
        '<ol class="timeline">'
        not in client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    )


@pytest.mark.django_db
def test_filtered_totals_are_cached_until_what_they_read_changes(
    client, portfolio, django_assert_num_queries
):
    """A search or filter asked again takes its count and totals from the cache (issue 19),
    keyed on the statement that counts them; an implementer renamed, a project changed or an
    implementer added makes them counted again."""
    from governance.models import Organisation

    def search(q):
        response = client.get(reverse("projects:list"), {"q": q})
        return names(response), response.context["totals"]["count"]

    assert search("toteuttaja oulu") == (["Oulun kokeilu"], 1)
    with django_assert_num_queries(6):  # as the unfiltered list: no totals query
        assert search("toteuttaja oulu") == (["Oulun kokeilu"], 1)
    organisation = Organisation.objects.get(name__istartswith="toteuttaja oulu")
    organisation.name = "Pohjoinen toteuttaja"
    organisation.save()
    assert search("toteuttaja oulu") == ([], 0)
    assert search("pohjoinen") == (["Oulun kokeilu"], 1)
    a = portfolio[0]
    a.name_fi = a.name = "Pohjoinen avoin data"
    a.save()
    assert search("pohjoinen") == (["Oulun kokeilu", "Pohjoinen avoin data"], 2)


@pytest.mark.django_db
def test_the_project_page_draws_costs_against_the_plan_for_readers_of_its_reports(
    client, client_as, demo_users
):
    """Issue 18: a project's money spent against plan over time, as a chart with its title,
    description and figures in a table; only for those who may read its status reports."""
    from core.templatetags.sixaika_format import eur
    from projects.models import StatusReport
    from projects.selectors import HANDED_IN_STATES, planned_to_date

    handed_in = StatusReport.objects.filter(
        state__in=HANDED_IN_STATES, costs_to_date__isnull=False
    ).select_related("project", "period")
    report = handed_in.order_by("pk").first()
    assert report is not None, "the demo has a handed-in status report with its costs"
    project = report.project
    points = sorted(handed_in.filter(project=project), key=lambda r: r.period.start_date)
    url = reverse("projects:detail", args=[project.pk])
    page = client_as("toimisto").get(url).content.decode()
    figure = re.search(
        r"(?s)<figure[^>]*>(?:(?!</figure>).)*?"
        r"Kustannukset tähän mennessä suhteessa suunnitelmaan.*?</figure>",
        page,
    )
    assert figure, "no chart of costs against the plan"
    figure = figure.group(0)
    assert "<svg" in figure and 'role="img"' in figure
    assert "tasaisesti" in figure  # the description says how the plan is drawn
    rows = re.findall(
        r"(?s)<tr>\s*<t[hd][^>]*>(.*?)</t[hd]>\s*<td[^>]*>(.*?)</td>\s*<td[^>]*>(.*?)</td>", figure
    )
    expected = [
        (
            r.period.name,
            eur(r.costs_to_date),
            eur(
                planned_to_date(
                    project.total_cost, project.start_date, project.end_date, r.period.end_date
                )
            ),
        )
        for r in points
    ]
    assert [tuple(" ".join(c.split()) for c in row) for row in rows] == [
        tuple(" ".join(c.split()) for c in row) for row in expected
    ]
    # a visitor sees the project, not its reports' costs
    public = client.get(url).content.decode()
    assert "Kustannukset tähän mennessä suhteessa suunnitelmaan" not in public


@pytest.mark.django_db
def test_city_lists_have_no_space_before_a_comma(client, org_6aika):
    """Issue 18: "Helsinki , Espoo" had a space before each comma, on the list and the page."""
    project = factories.project(name="Pilkkuhanke", cities=("helsinki", "espoo"))
    detail = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    listed = client.get(reverse("projects:list"), {"q": "Pilkkuhanke"}).content.decode()
    for html in (detail, listed):
        text = " ".join(re.sub(r"<[^>]+>", "", html).split())
        assert re.search(r"(Helsinki, Espoo|Espoo, Helsinki)", text), text[:2000]
        assert not re.search(r"\w ,", text)
