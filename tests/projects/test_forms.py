"""The strategy office's project page: everything the portfolio holds can be entered, bad input
is explained at its field and in the summary, and nothing is saved half-way. The programme's
two-city rule is enforced here; imports flag instead (test_imports)."""

import html as html_lib
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from governance.models import City, Organisation
from projects import services
from projects.models import CityContribution, Grant, Implementer, Project, TargetGroup

from . import factories
from .html_forms import form_values

NAME = "Lomakkeella tehty hanke"


def rows(prefix: str, items: list[dict[str, object]], initial: int = 0) -> dict[str, object]:
    data: dict[str, object] = {
        f"{prefix}-TOTAL_FORMS": str(len(items)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, item in enumerate(items):
        for key, value in item.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


def org_pk(name: str) -> int:
    return Organisation.objects.get(name=name).pk


def form_data(
    lead: str,
    partners: list,
    programme_slug: str = "6aika",
    grants: list | None = None,
    contributions: list | None = None,
    **extra,
) -> dict[str, object]:
    """``partners``: names or (name, sub-budget); ``grants``: (funder, instrument, amount);
    ``contributions``: (city slug, amount)."""
    programmes = services.programmes_ensure()
    data: dict[str, object] = {
        "name_fi": NAME,
        "programme": programmes[programme_slug].pk,
        "lead": org_pk(lead),
        "start_date": "1.1.2025",
        "end_date": "31.12.2026",
        "total_cost": "200 000",
    }
    partner_rows = []
    for partner in partners:
        name, budget = partner if isinstance(partner, tuple) else (partner, "")
        partner_rows.append({"organisation": org_pk(name), "budget": budget})
    data |= rows("partners", partner_rows)
    data |= rows(
        "grants",
        [
            {"funder": org_pk(funder), "instrument": instrument, "amount": amount}
            for funder, instrument, amount in grants or []
        ],
    )
    data |= rows(
        "contributions",
        [
            {"city": City.objects.get(slug=slug).pk, "amount": amount}
            for slug, amount in contributions or []
        ],
    )
    data.update(extra)
    return data


def saved_rows() -> tuple[int, ...]:
    return (
        Project.objects.count(),
        Implementer.objects.count(),
        Grant.objects.count(),
        CityContribution.objects.count(),
        TargetGroup.objects.count(),
    )


def message_at(page: str, anchor: str) -> str:
    """The message shown next to the field (or row set) with this id."""
    found = re.search(rf'id="{re.escape(anchor)}_error">(.*?)</p>', page, re.S)
    return html_lib.unescape(found.group(1)).strip() if found else ""


def summary_links(page: str) -> dict[str, str]:
    summary = page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    return {
        anchor: html_lib.unescape(text).strip()
        for anchor, text in re.findall(r'<a href="#([^"]+)">(.*?)</a>', summary, re.S)
    }


def assert_refused(response, anchor: str, *words: str) -> str:
    """The page came back with the message at ``anchor`` and a summary link to it."""
    assert response.status_code == 400
    page = response.content.decode()
    message = message_at(page, anchor)
    assert message, f"no message next to #{anchor}"
    for word in words:
        assert word in message, (word, message)
    assert message in summary_links(page).get(anchor, ""), summary_links(page)
    return message


@pytest.mark.django_db
def test_6aika_project_from_one_city_is_refused_with_a_reason(client_as):
    office = client_as("toimisto")
    before = saved_rows()
    data = form_data("Tampereen kaupunki", ["Business Tampere Oy"])
    response = office.post(reverse("projects:create"), data)
    message = assert_refused(response, "partners-rows")
    assert "vähintään kahdesta" in message or "at least two of the six cities" in message
    assert saved_rows() == before


@pytest.mark.django_db
def test_6aika_project_from_two_cities_is_saved(client_as):
    office = client_as("toimisto")
    data = form_data("Tampereen kaupunki", ["Turun kaupunki"])
    response = office.post(reverse("projects:create"), data)
    assert response.status_code == 302
    project = Project.objects.get(name_fi=NAME)
    assert sorted(c.slug for c in project.cities.all()) == ["tampere", "turku"]
    assert project.total_cost == 200000 and not project.needs_completion


@pytest.mark.django_db
def test_other_programme_may_have_one_city(client_as):
    office = client_as("toimisto")
    data = form_data("Business Tampere Oy", [], programme_slug="other")
    assert office.post(reverse("projects:create"), data).status_code == 302


@pytest.mark.django_db
def test_everything_of_the_portfolio_is_entered_on_one_page(client_as):
    """SIXNET's figures: 260 000 of 325 000 granted is a funding rate of 80 %."""
    office = client_as("toimisto")
    parent = factories.project(name="Kärkihanke")
    services.theme_upsert(slug="teollisuus", names={"fi": "Teollisuus"})
    data = form_data(
        "Tampereen kaupunki",
        [("Turun kaupunki", "40 000"), ("Business Tampere Oy", "25000,50")],
        grants=[("Pirkanmaan liitto", "AKKE", "260 000")],
        contributions=[("tampere", "30 000"), ("turku", "35000")],
        code="a70123",
        name_en="Made on the form",
        summary_fi="Tiivistelmä.",
        summary_en="Summary.",
        theme=services.Theme.objects.get(slug="teollisuus").pk,
        parent=parent.pk,
        status="planned",
        lead_budget="100 000",
        cities=[City.objects.get(slug="oulu").pk],
        target_groups="Yritykset; Nuoret ;",
        total_cost="325 000",
        start_date="1.1.2022",
        end_date="2023-12-31",
    )
    response = office.post(reverse("projects:create"), data)
    assert response.status_code == 302, response.context["editor"].error_list()
    project = Project.objects.get(name_fi=NAME)
    state = factories.project_state(project)
    assert state["code"] == "a70123" and state["parent"] == "Kärkihanke"
    assert state["status"] == "planned"  # chosen, although the dates say closed
    assert state["implementers"] == [
        ("Business Tampere Oy", False, Decimal("25000.50")),
        ("Tampereen kaupunki", True, Decimal("100000.00")),
        ("Turun kaupunki", False, Decimal("40000.00")),
    ]
    assert state["cities"] == ["oulu", "tampere", "turku"]
    assert state["target_groups"] == ["Nuoret", "Yritykset"]
    assert state["grants"] == [("Pirkanmaan liitto", "AKKE", Decimal("260000.00"))]
    assert state["contributions"] == [("tampere", Decimal("30000.00")), ("turku", Decimal("35000"))]
    assert project.granted == Decimal("260000") and project.funding_rate == Decimal("0.8")
    detail = office.get(reverse("projects:detail", args=[project.pk])).content.decode()
    for text in (
        "325\xa0000\xa0€",
        "260\xa0000\xa0€",
        "80\xa0%",
        "Pirkanmaan liitto",
        "35\xa0000\xa0€",
    ):
        assert text in detail, text
    edit = office.get(reverse("projects:edit", args=[project.pk])).content.decode()
    assert "80\xa0%" in edit  # the computed rate, shown on the form too


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "anchor", "words"),
    [
        ({"total_cost": "250 000"}, "id_total_cost", ["260\xa0000\xa0€", "250\xa0000\xa0€"]),
        ({"grants-0-amount": "-260000"}, "id_grants-0-amount", []),
        ({"contributions-0-amount": "-5"}, "id_contributions-0-amount", []),
        ({"partners-0-budget": "-1 000"}, "id_partners-0-budget", []),
        ({"lead_budget": "−100"}, "id_lead_budget", []),
        ({"total_cost": "-325000"}, "id_total_cost", []),
        ({"end_date": "31.12.2021"}, "id_end_date", []),
        ({"start_date": "32.1.2022"}, "id_start_date", []),
        ({"contributions-1-city": "__tampere__"}, "id_contributions-1-city", []),
        ({"grants-0-funder": ""}, "id_grants-0-funder", []),
    ],
)
def test_bad_values_are_explained_at_the_field_and_nothing_is_saved(
    client_as, changes, anchor, words
):
    office = client_as("toimisto")
    data = form_data(
        "Tampereen kaupunki",
        [("Turun kaupunki", "40 000")],
        grants=[("Pirkanmaan liitto", "AKKE", "260 000")],
        contributions=[("tampere", "30 000"), ("turku", "35000")],
        total_cost="325 000",
        target_groups="Uusi kohderyhmä",
        start_date="1.1.2022",
        end_date="31.12.2023",
    )
    for key, value in changes.items():
        data[key] = City.objects.get(slug="tampere").pk if value == "__tampere__" else value
    before = saved_rows()
    response = office.post(reverse("projects:create"), data)
    assert_refused(response, anchor, *words)
    assert saved_rows() == before
    # what was typed is still in the form
    assert 'value="Uusi kohderyhmä"' in response.content.decode()


@pytest.mark.django_db
def test_a_refused_edit_changes_nothing(client_as):
    office = client_as("toimisto")
    project = factories.full_project()
    before = factories.project_state(project)
    url = reverse("projects:edit", args=[project.pk])
    data = form_values(office.get(url).content.decode(), "project-form")
    data["name_en"] = ["Renamed"]
    data["grants-0-amount"] = ["600 000"]  # more than the total cost, 500 000
    data["contributions-0-DELETE"] = ["on"]
    response = office.post(url, data)
    assert_refused(response, "id_total_cost", "600\xa0000\xa0€")
    assert factories.project_state(project) == before


@pytest.mark.django_db
def test_a_project_cannot_be_its_own_grandparent(client_as):
    office = client_as("toimisto")
    project = factories.full_project()
    parent = project.parent
    url = reverse("projects:edit", args=[parent.pk])
    data = form_values(office.get(url).content.decode(), "project-form")
    data["parent"] = [str(project.pk)]
    response = office.post(url, data)
    assert_refused(response, "id_parent")
    assert Project.objects.get(pk=parent.pk).parent is None


@pytest.mark.django_db
def test_rows_are_removed_with_delete_and_blank_rows_are_ignored(client_as):
    office = client_as("toimisto")
    project = factories.full_project()
    url = reverse("projects:edit", args=[project.pk])
    data = form_values(office.get(url).content.decode(), "project-form")
    assert data["contributions-TOTAL_FORMS"] == ["4"]  # two stored, two blank
    data["contributions-0-DELETE"] = ["on"]
    assert office.post(url, data).status_code == 302
    assert factories.project_state(project)["contributions"] == [("espoo", Decimal("60000.00"))]


@pytest.mark.django_db
def test_editing_a_project_keeps_what_the_edit_does_not_change(client_as):
    project = factories.full_project()
    before = factories.project_state(project)
    office = client_as("toimisto")
    url = reverse("projects:edit", args=[project.pk])
    data = form_values(office.get(url).content.decode(), "project-form")
    data["name_en"] = ["Full project, renamed"]
    response = office.post(url, data)
    assert response.status_code == 302, response.context["editor"].error_list()
    after = factories.project_state(project)
    assert after.pop("name_en") == "Full project, renamed"
    before.pop("name_en")
    assert after == before


@pytest.mark.django_db
def test_flagged_list_for_the_office(client_as):
    response = client_as("toimisto").get(reverse("projects:flagged"))
    names = [p.name_fi for p in response.context["projects"]]
    assert names == ["Demo – Avoin osallisuus (vanha tieto)"]
    assert client_as("koordinaattori-oulu").get(reverse("projects:flagged")).status_code == 403


@pytest.mark.parametrize("selected", [None, "", "green", "amber", "red", "purple"])
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_rag_widget_written_in_python_is_its_template_to_the_byte(
    selected, language, monkeypatch
):
    from django.utils import translation

    from projects.forms import RAGWidget, StatusReportForm

    with translation.override(language):
        form = StatusReportForm(
            {"overall_status": selected} if selected is not None else None, indicators=[]
        )
        ours = str(form["overall_status"])
        monkeypatch.setattr(RAGWidget, "python_render", False)
        theirs = str(form["overall_status"])
    assert ours == theirs
    assert ours.count('type="radio"') == 3


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize("sent", [False, True])
def test_the_report_fields_written_in_python_are_their_template_to_the_byte(
    language, sent, monkeypatch
):
    """StatusReportForm.fields_html against partials/report_fields.html: a form as first shown
    (typed text with characters to escape) and one sent back with errors on a colour, a text
    field, the costs and an indicator, in each language."""
    from django.utils import translation

    from projects.forms import StatusReportForm
    from projects.models import Indicator

    indicators = [
        Indicator(pk=7, code="I1", name="Yrityksiä <mukana>", unit="kpl", target=Decimal(100)),
        Indicator(pk=9, code="I2", name="Kokeiluja & pilotteja", unit="kpl", target=Decimal(5)),
    ]
    data = {
        "version": "3",
        "overall_status": "purple",
        "narrative": "<b>Edennyt</b> & " + "x" * 20001,
        "costs_to_date": "-12",
        "risks": 'Ei "riskejä"',
        "indicator_7": "seitsemän",
        "indicator_9": "4,5",
    }
    initial = {"version": 3, "overall_status": "amber", "narrative": "a < b & c", "indicator_9": 2}
    with translation.override(language):
        if sent:
            form = StatusReportForm(data, indicators=indicators)
            assert not form.is_valid()
            assert {"overall_status", "narrative", "costs_to_date", "indicator_7"} <= set(
                form.errors
            )
        else:
            form = StatusReportForm(initial=initial, indicators=indicators)
        ours = str(form.fields_html())
        monkeypatch.setattr(StatusReportForm, "python_render", False)
        theirs = str(form.fields_html())
    assert ours == theirs
    assert ours.count("<fieldset") == 4 and ours.count('class="form-field') == 6
    assert 'name="version"' not in ours  # drawn before the fields, by the form's partial
    assert ("field-error" in ours) is sent
