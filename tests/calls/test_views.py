"""Call, application, scoring and summary pages on the demo data, as the roles use them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from calls import demo as calls_demo
from calls.models import (
    Application,
    ApplicationAttachment,
    Call,
    Evaluation,
    EvaluationConflict,
)
from governance.models import ConflictDeclaration, Person
from projects.models import Project

pytestmark = pytest.mark.django_db


def app(title):
    return Application.objects.get(title=title)


def text(response):
    return response.content.decode()


# --- demo data ---------------------------------------------------------------------------------


def test_demo_has_a_scored_decided_call_and_a_funded_project(demo_users):
    past = Call.objects.get(name=calls_demo.DEMO_PAST_CALL)
    assert past.applications.count() == 4
    assert not past.is_open()
    approved = app(calls_demo.DEMO_APPROVED)
    assert approved.project is not None
    assert approved.funding_decision.get_outcome_display() == "Hyväksytty esityksen mukaisesti"
    conditional = app(calls_demo.DEMO_CONDITIONAL)
    conflicted = set(
        conditional.conflicts.filter(confirmed=True).values_list("person__last_name", flat=True)
    )
    assert conflicted == {"Kultalahti", "Haataja"}
    assert not conditional.evaluations.filter(evaluator__last_name__in=conflicted).exists()
    assert Evaluation.objects.filter(application__call=past).count() == 22
    assert app(calls_demo.DEMO_REJECTED).agenda_item.decision.outcome == "rejected"
    from sixaika.demo import demo_accounts_load

    demo_accounts_load()  # idempotent
    assert Call.objects.filter(name=calls_demo.DEMO_PAST_CALL).count() == 1
    assert Project.objects.filter(name_fi=calls_demo.DEMO_APPROVED).count() == 1


# --- calls -------------------------------------------------------------------------------------


def test_call_list_is_public_and_hides_calls_not_yet_open(client, demo_users, client_as):
    Call.objects.filter(name=calls_demo.DEMO_OPEN_CALL).update(
        opens_on=timezone.localdate() + dt.timedelta(days=1)
    )
    public = text(client.get(reverse("calls:list")))
    assert calls_demo.DEMO_PAST_CALL in public
    assert calls_demo.DEMO_OPEN_CALL not in public
    assert calls_demo.DEMO_OPEN_CALL in text(client_as("toimisto").get(reverse("calls:list")))


def test_public_call_page_shows_no_applications(client, demo_users):
    past = Call.objects.get(name=calls_demo.DEMO_PAST_CALL)
    page = text(client.get(reverse("calls:detail", args=[past.pk])))
    assert "Strategian mukaisuus" in page
    assert calls_demo.DEMO_APPROVED not in page


def test_office_creates_a_call_with_criteria(client_as, demo_users):
    from projects.models import Programme

    data = {
        "name": "Uusi haku",
        "programme": Programme.objects.get(slug="6aika").pk,
        "instrument": "EAKR",
        "funder": Person.objects.get(last_name="Huotari").organisation_id,
        "opens_on": "2026-12-01",
        "closes_on": "2027-01-31",
        "money_available": "500000",
        "criteria-TOTAL_FORMS": "2",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "1",
        "criteria-MAX_NUM_FORMS": "12",
        "criteria-0-name": "Vaikuttavuus",
        "criteria-0-weight": "2",
        "criteria-1-name": "",
        "criteria-1-weight": "1",
    }
    response = client_as("toimisto").post(reverse("calls:create"), data)
    call = Call.objects.get(name="Uusi haku")
    assert response.status_code == 302
    assert [(c.name, c.weight) for c in call.criteria.all()] == [("Vaikuttavuus", 2)]


def test_call_form_errors_say_where_and_save_nothing(client_as, demo_users):
    response = client_as("toimisto").post(
        reverse("calls:create"),
        {
            "name": "Huono haku",
            "opens_on": "2027-02-01",
            "closes_on": "2027-01-01",
            "money_available": "-5",
            "criteria-TOTAL_FORMS": "1",
            "criteria-INITIAL_FORMS": "0",
            "criteria-0-name": "",
            "criteria-0-weight": "",
        },
    )
    assert response.status_code == 400
    page = text(response)
    assert "Mitään ei tallennettu" in page
    assert "Haku ei voi päättyä ennen kuin se alkaa." in page
    assert not Call.objects.filter(name="Huono haku").exists()


# --- applications ----------------------------------------------------------------------------


def _application_data(**changes):
    from governance.models import Organisation

    data = {
        "title": "Kuuden kaupungin datasilta",
        "stage": "idea",
        "applicant": Organisation.objects.get(name="Oulun kaupunki").pk,
        "co_applicants": [Organisation.objects.get(name="Espoon kaupunki").pk],
        "summary": "Tiivistelmä.",
        "budget": "100000",
        "requested": "70000",
    }
    data.update(changes)
    return data


def test_office_registers_an_application_in_an_open_call(client_as, demo_users):
    open_call = Call.objects.get(name=calls_demo.DEMO_OPEN_CALL)
    response = client_as("toimisto").post(
        reverse("calls:application_add", args=[open_call.pk]), _application_data()
    )
    application = Application.objects.get(title="Kuuden kaupungin datasilta")
    assert response.status_code == 302
    assert response["Location"] == reverse("calls:application", args=[application.pk])
    assert set(application.cities.values_list("slug", flat=True)) == {"oulu", "espoo"}


def test_one_city_application_is_registered_with_the_reason(client_as, demo_users):
    from governance.models import Organisation

    open_call = Call.objects.get(name=calls_demo.DEMO_OPEN_CALL)
    client = client_as("toimisto")
    response = client.post(
        reverse("calls:application_add", args=[open_call.pk]),
        _application_data(co_applicants=[Organisation.objects.get(name="BusinessOulu").pk]),
        follow=True,
    )
    page = text(response)
    assert "ei ole hakukelpoinen" in page
    assert "vähintään kahdesta kuudesta kaupungista" in page


def test_closed_call_takes_no_application(client_as, demo_users):
    past = Call.objects.get(name=calls_demo.DEMO_PAST_CALL)
    client = client_as("toimisto")
    page = text(client.get(reverse("calls:application_add", args=[past.pk])))
    assert "ei ota vastaan uusia hakemuksia" in page
    before = Application.objects.count()
    response = client.post(
        reverse("calls:application_add", args=[past.pk]), _application_data(stage="full")
    )
    assert response.status_code == 400
    assert "päättyi" in text(response)
    assert Application.objects.count() == before


def test_bad_application_form_says_what_and_saves_nothing(client_as, demo_users):
    open_call = Call.objects.get(name=calls_demo.DEMO_OPEN_CALL)
    before = Application.objects.count()
    response = client_as("toimisto").post(
        reverse("calls:application_add", args=[open_call.pk]),
        _application_data(requested="200000", summary=""),
    )
    assert response.status_code == 400
    page = text(response)
    assert "Haettu rahoitus ylittää kokonaisbudjetin." in page
    assert "Tiivistelmä: Tämä kenttä vaaditaan." in page
    assert Application.objects.count() == before


def test_import_page_reports_rows_and_columns(client_as, demo_users):
    open_call = Call.objects.get(name=calls_demo.DEMO_OPEN_CALL)
    csv_data = (
        "title;stage;applicant;co_applicants;summary;budget;requested\n"
        "Hyvä;idea;Oulun kaupunki;Espoon kaupunki;T;100;50\n"
        "Huono;idea;Ei Ole Oy;Espoon kaupunki;T;100;x\n"
    ).encode()
    before = Application.objects.count()
    response = client_as("toimisto").post(
        reverse("calls:application_import", args=[open_call.pk]),
        {"file": SimpleUploadedFile("hakemukset.csv", csv_data, content_type="text/csv")},
    )
    assert response.status_code == 400
    page = text(response)
    assert "Mitään ei tuotu" in page
    assert "Tuntematon organisaatio ”Ei Ole Oy”" in page
    assert Application.objects.count() == before


def test_import_previews_the_applications_then_registers_them_on_confirm(client_as, demo_users):
    """Upload -> preview (a dry run: nothing saved, the file kept outside the session) ->
    confirm (issue 17: every import has django-import-export's dry run and a preview)."""
    open_call = Call.objects.get(name=calls_demo.DEMO_OPEN_CALL)
    url = reverse("calls:application_import", args=[open_call.pk])
    csv_data = (
        b"title;stage;applicant;co_applicants;summary;budget;requested\n"
        b"Esikatseltu A;idea;Oulun kaupunki;Espoon kaupunki;T;100;50\n"
        b"\n"
        b"Esikatseltu B;idea;Turun kaupunki;Espoon kaupunki;T;2000;1234,5\n"
    )
    before = Application.objects.count()
    office = client_as("toimisto")
    response = office.post(
        url, {"file": SimpleUploadedFile("hakemukset.csv", csv_data, content_type="text/csv")}
    )
    page = text(response)
    assert response.status_code == 200
    assert "2 hakemusta tuotaisiin. Mitään ei ole vielä tallennettu." in page
    assert "Esikatseltu A" in page and "Turun kaupunki" in page and "1\xa0234,50\xa0€" in page
    assert '<td data-label="Rivi">4</td>' in page  # the file's row, after a blank one
    assert Application.objects.count() == before
    token = office.session["calls_applications_import"]
    assert csv_data not in str(dict(office.session.items())).encode()
    assert token and len(token) < 100  # the token, not the file
    done = office.post(url, {"confirm": "1"})
    assert done.status_code == 302 and done["Location"] == reverse(
        "calls:detail", args=[open_call.pk]
    )
    assert Application.objects.count() == before + 2
    assert set(
        open_call.applications.filter(title__startswith="Esikatseltu").values_list(
            "title", "requested"
        )
    ) == {("Esikatseltu A", 50), ("Esikatseltu B", Decimal("1234.50"))}
    # the kept file is used once: a second confirm registers nothing
    again = office.post(url, {"confirm": "1"}, follow=True)
    assert "Lähetä tiedosto uudelleen: esikatselu on vanhentunut." in text(again)
    assert Application.objects.count() == before + 2


def test_an_import_preview_in_swedish(client_as, demo_users, settings):
    open_call = Call.objects.get(name=calls_demo.DEMO_OPEN_CALL)
    office = client_as("toimisto")
    office.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    csv_data = (
        "title;stage;applicant;co_applicants;summary;budget;requested\n"
        "En ansökan;idea;Oulun kaupunki;Espoon kaupunki;T;100;50\n"
    ).encode()
    response = office.post(
        reverse("calls:application_import", args=[open_call.pk]),
        {"file": SimpleUploadedFile("a.csv", csv_data, content_type="text/csv")},
    )
    page = text(response)
    assert "1 ansökan skulle importeras. Ingenting har sparats ännu." in page
    assert "Importera dessa ansökningar" in page and "Sökande" in page


def test_attachment_with_a_lying_extension_is_refused(client_as, demo_users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    application = app(calls_demo.DEMO_IDEA)
    before = ApplicationAttachment.objects.count()
    client = client_as("toimisto")
    url = reverse("calls:attachment_add", args=[application.pk])
    response = client.post(
        url,
        {
            "title": "Budjetti",
            "file": SimpleUploadedFile(
                "budjetti.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
            ),
        },
    )
    assert response.status_code == 400
    assert "ei ole PDF-asiakirja" in text(response)
    assert ApplicationAttachment.objects.count() == before
    pdf = b"%PDF-1.4\n%%EOF\n"
    response = client.post(
        url,
        {
            "title": "Budjetti",
            "file": SimpleUploadedFile("budjetti.pdf", pdf, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    attachment = ApplicationAttachment.objects.get(application=application)
    download = client_as("johtoryhma").get(reverse("calls:attachment", args=[attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf
    assert (
        client_as("rahoittaja").get(reverse("calls:attachment", args=[attachment.pk])).status_code
        == 403
    )


# --- scoring and conflicts ----------------------------------------------------------------------


def test_steering_group_member_scores_with_htmx(client_as, demo_users):
    application = app(calls_demo.DEMO_IDEA)
    criteria = list(application.call.criteria.order_by("order"))
    data = {f"criterion_{c.pk}": "4" for c in criteria} | {"comment": "Hyvä idea."}
    response = client_as("ohjausryhma").post(
        reverse("calls:score", args=[application.pk]), data, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Pisteesi tallennettiin." in text(response)
    assert "<html" not in text(response)
    evaluation = Evaluation.objects.get(application=application, evaluator__last_name="Birkstedt")
    assert evaluation.comment == "Hyvä idea."


def test_conflicted_member_is_blocked_in_the_page_and_the_service(client_as, demo_users):
    application = app(calls_demo.DEMO_IDEA_CONFLICTED)  # Turun kaupunki applies
    client = client_as("ohjausryhma")
    page = text(client.get(reverse("calls:score", args=[application.pk])))
    assert "Et voi pisteyttää tätä hakemusta esteellisyyden vuoksi." in page
    assert "<form" not in page.split('id="score-form"')[1].split("</div>")[0]
    criteria = application.call.criteria.all()
    response = client.post(
        reverse("calls:score", args=[application.pk]),
        {f"criterion_{c.pk}": "5" for c in criteria},
    )
    assert response.status_code == 400
    assert "Turun kaupunki" in text(response)
    assert not Evaluation.objects.filter(application=application).exists()


def test_member_confirms_the_proposed_conflict(client_as, demo_users):
    application = app(calls_demo.DEMO_IDEA_CONFLICTED)
    client = client_as("ohjausryhma")
    detail = text(client.get(reverse("calls:detail", args=[application.call_id])))
    assert "Organisaatiosi hakee: vahvista esteellisyys" in detail
    response = client.post(
        reverse("calls:conflict", args=[application.pk]),
        {"reason": "Turun kaupunki on hakija."},
    )
    assert response.status_code == 302
    conflict = EvaluationConflict.objects.get(
        application=application, person__last_name="Birkstedt"
    )
    assert conflict.confirmed and conflict.reason == "Turun kaupunki on hakija."


def test_conflict_form_needs_a_reason(client_as, demo_users):
    application = app(calls_demo.DEMO_IDEA)
    response = client_as("ohjausryhma").post(
        reverse("calls:conflict", args=[application.pk]), {"reason": ""}
    )
    assert response.status_code == 400
    assert not EvaluationConflict.objects.filter(
        application=application, person__last_name="Birkstedt"
    ).exists()


def test_board_member_cannot_score(client_as, demo_users):
    application = app(calls_demo.DEMO_IDEA)
    assert (
        client_as("johtoryhma").get(reverse("calls:score", args=[application.pk])).status_code
        == 403
    )


# --- summary, the board and funding -------------------------------------------------------------


def test_summary_page_ranks_and_totals(client_as, demo_users):
    past = Call.objects.get(name=calls_demo.DEMO_PAST_CALL)
    response = client_as("johtoryhma").get(reverse("calls:summary", args=[past.pk]))
    summary = response.context["summary"]
    titles = [r.application.title for r in summary.rows]
    assert titles[0] == calls_demo.DEMO_APPROVED
    assert titles[-1] == calls_demo.DEMO_REJECTED  # ineligible: not ranked
    assert [r.rank for r in summary.rows] == [1, 2, 3, None]
    page = text(response)
    assert "ylittää käytettävissä olevan rahoituksen" in page
    assert "1\xa0200\xa0000\xa0€" in page


def test_meeting_page_shows_the_applications_with_their_evaluation(client_as, demo_users):
    application = app(calls_demo.DEMO_CONDITIONAL)
    meeting = application.agenda_item.meeting
    page = text(client_as("johtoryhma-pj").get(reverse("meetings:detail", args=[meeting.pk])))
    assert calls_demo.DEMO_CONDITIONAL in page
    assert "Hakemukset ja niiden arviointi" in page
    assert reverse("calls:application", args=[application.pk]) in page


def test_office_funds_the_conditionally_approved_application(client_as, demo_users):
    application = app(calls_demo.DEMO_CONDITIONAL)
    client = client_as("toimisto")
    page = text(client.get(reverse("calls:application", args=[application.pk])))
    assert "Luo hanke" in page
    response = client.post(reverse("calls:fund", args=[application.pk]))
    application.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:detail", args=[application.project_id])
    project = application.project
    assert project.grants.get().amount == application.requested
    public = client_as("rahoittaja").get(reverse("projects:detail", args=[project.pk]))
    assert public.status_code == 200


def test_only_the_office_turns_an_application_into_a_project(client_as, demo_users):
    application = app(calls_demo.DEMO_CONDITIONAL)
    url = reverse("calls:fund", args=[application.pk])
    for username in (
        "koordinaattori-helsinki",
        "rahoittaja",
        "ohjausryhma",
        "johtoryhma",
        "johtoryhma-pj",
    ):
        assert client_as(username).post(url).status_code == 403, username
    application.refresh_from_db()
    assert application.project is None
    assert client_as("toimisto").post(url).status_code == 302
    application.refresh_from_db()
    assert application.project is not None


def test_a_funded_project_links_to_its_decision(client, client_as, demo_users):
    application = app(calls_demo.DEMO_APPROVED)
    item = application.funding_decision.agenda_item
    url = reverse("projects:detail", args=[application.project_id])
    page = text(client.get(url))  # public
    assert "Rahoituspäätös" in page and f"§ {item.order}: Hyväksytty" in page
    assert reverse("meetings:minutes_pdf", args=[item.meeting_id]) in page
    assert reverse("calls:application", args=[application.pk]) not in page
    board = text(client_as("johtoryhma").get(url))
    assert reverse("calls:application", args=[application.pk]) in board


def test_rejected_application_is_not_funded(client_as, demo_users):
    application = app(calls_demo.DEMO_REJECTED)
    response = client_as("toimisto").post(reverse("calls:fund", args=[application.pk]), follow=True)
    assert "vain hyväksytty hakemus rahoitetaan" in text(response)
    application.refresh_from_db()
    assert application.project is None


def test_attaching_proposes_board_conflicts(client_as, demo_users):
    from governance.demo import meetings_demo_load

    item = meetings_demo_load().upcoming.items.get(order=2)
    application = app(calls_demo.DEMO_IDEA_CONFLICTED)  # Turun kaupunki and Tampereen kaupunki
    response = client_as("toimisto").post(
        reverse("calls:agenda_item", args=[application.pk]), {"agenda_item": item.pk}
    )
    assert response.status_code == 302
    proposed = set(
        ConflictDeclaration.objects.filter(agenda_item=item, confirmed=False).values_list(
            "person__last_name", flat=True
        )
    )
    assert {"Sundman", "Rantanen", "Tenhunen"} <= proposed


def test_two_stage_summary_starts_with_the_idea_papers(client_as, demo_users):
    open_call = Call.objects.get(name=calls_demo.DEMO_OPEN_CALL)
    client = client_as("ohjausryhma")
    response = client.get(reverse("calls:summary", args=[open_call.pk]))
    assert response.context["summary"].stage == "idea"
    assert len(response.context["summary"].rows) == 2
    response = client.get(reverse("calls:summary", args=[open_call.pk]), {"stage": "full"})
    assert response.context["summary"].rows == []


def test_a_funding_item_shows_its_applications_side_by_side_for_the_members_review(
    client_as, demo_users
):
    """The demo's meeting in progress: on the funding item a member reads each application's
    requested and available money, weighted score with its spread and number of scores, rank,
    eligibility and the item's conflicts, as the evaluation computed them."""
    import re

    from django.utils import formats, translation

    from calls.selectors import agenda_items_applications
    from core.templatetags.sixaika_format import eur
    from governance.demo import DEMO_TODAY_FUNDING, meetings_demo_load
    from governance.selectors import item_record

    def article(html: str, item_pk: int) -> str:
        start = html.index(f'id="item-{item_pk}"')
        end = html.find('id="item-', start + 1)
        return html[start : end if end != -1 else None]

    def plain(html: str) -> str:
        return " ".join(re.sub(r"<[^>]+>", " ", html).replace("\xa0", " ").split())

    demo = meetings_demo_load()
    funding = demo.today.items.get(title_fi=DEMO_TODAY_FUNDING)
    page = text(client_as("johtoryhma").get(reverse("meetings:detail", args=[demo.today.pk])))
    panel = plain(article(page, funding.pk))
    for header in ("Pisteet (0–5)", "Sija", "Arvioita", "Hajonta", "Haettu rahoitus"):
        assert header in panel, header
    assert "Haussa käytettävissä" in panel
    rows = agenda_items_applications([funding.pk])[funding.pk]
    assert len(rows) == 2 and all(r.count for r in rows)
    with translation.override("fi"):
        for row in rows:
            cells = [
                formats.localize(row.score),
                str(row.rank),
                f"{formats.localize(row.lowest)}–{formats.localize(row.highest)}",
                plain(eur(row.application.requested)),
                plain(eur(row.application.call.money_available)),
            ]
            assert row.application.title in panel
            found = panel[panel.index(row.application.title) :]
            for cell in cells:
                assert cell in found, (row.application.title, cell)
    name = item_record(funding).open_conflict_names[0]
    assert f"Esteellisyydet tässä asiassa: {name} (ehdotettu, ratkaisematta)" in panel
    # An ineligible application says so on its item (the past meeting's rejected one).
    rejected = app(calls_demo.DEMO_REJECTED)
    past = rejected.agenda_item.meeting
    past_page = text(client_as("johtoryhma").get(reverse("meetings:detail", args=[past.pk])))
    assert "Ei hakukelpoinen:" in plain(article(past_page, rejected.agenda_item_id))
