"""Meeting pages, the chair's decisions, members' conflicts, minutes and the decision register."""

import shutil
import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from governance import services
from governance.demo import meetings_demo_load
from governance.models import (
    Attendance,
    ConflictDeclaration,
    Correction,
    Decision,
    MeetingPackRead,
    Minutes,
    MinutesChecker,
)

from .conftest import approve_minutes, attend, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_users):
    return meetings_demo_load()


def test_demo_meetings_tell_the_story(demo):
    past = demo.past
    assert past.minutes.state == Minutes.State.APPROVED
    assert Decision.objects.filter(agenda_item__meeting=past).count() == 5
    deputy = Attendance.objects.get(meeting=past, person__last_name="Niinistö")
    assert deputy.is_deputy and deputy.seat.member.last_name == "Viljamaa"
    conflict = ConflictDeclaration.objects.get(agenda_item__meeting=past)
    assert conflict.confirmed and conflict.person.last_name == "Ala-Mursula"
    assert demo.upcoming.items.count() == 3
    assert not Minutes.objects.filter(meeting=demo.upcoming).exists()
    assert meetings_demo_load() == demo  # idempotent


def test_member_sees_meeting_with_quorum_per_item(client_as, demo):
    response = client_as("johtoryhma").get(reverse("meetings:detail", args=[demo.past.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Päätösvaltainen: 6 paikkaa 8:sta edustettuna; tarvitaan 5." in html  # § 3, recusal
    assert "Päätösvaltainen: 7 paikkaa 8:sta edustettuna; tarvitaan 5." in html
    assert "Jaakko Niinistö" in html and "varajäsenenä: Kimmo Viljamaa" in html
    assert "Juha Ala-Mursula poistui asian käsittelystä (esteellisyys)" in html
    # no decision form for an ordinary member
    assert 'name="item' not in html


def test_steering_group_member_cannot_see_a_board_meeting(client_as, demo):
    response = client_as("ohjausryhma").get(reverse("meetings:detail", args=[demo.past.pk]))
    assert response.status_code == 403


def test_next_meeting_view_and_home_link(client_as, demo):
    client = client_as("johtoryhma")
    response = client.get(reverse("meetings:next"))
    html = response.content.decode()
    assert "Rahoitusesitys: Talven 2026 haun hakemukset" in html  # today's, in progress
    assert "Merkitse kokousaineisto luetuksi" in html
    home = client.get(reverse("home")).content.decode()
    assert reverse("meetings:next") in home


def test_member_marks_pack_read_and_declares_a_conflict(client_as, demo):
    client = client_as("johtoryhma")
    meeting = demo.upcoming
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Merkitse kokousaineisto luetuksi" in page
    response = client.post(reverse("meetings:pack_read", args=[meeting.pk]), follow=True)
    assert MeetingPackRead.objects.filter(meeting=meeting, person__last_name="Viljamaa").exists()
    page = response.content.decode()
    # Said once, by the page: no flash message repeating it, no button to press again.
    assert page.count("Olet merkinnyt kokousaineiston luetuksi.") == 1
    assert "Merkitty luetuksi." not in page
    assert "Merkitse kokousaineisto luetuksi" not in page
    item = meeting.items.get(order=2)
    url = reverse("meetings:conflict_declare", args=[meeting.pk, item.pk])
    bad = client.post(url, {"reason": ""})
    assert bad.status_code == 400
    assert "Tämä kenttä vaaditaan." in bad.content.decode()
    assert not ConflictDeclaration.objects.filter(agenda_item=item).exists()
    client.post(url, {"reason": "Vantaan kaupunki on osatoteuttaja."})
    declaration = ConflictDeclaration.objects.get(agenda_item=item)
    assert declaration.confirmed and declaration.stage == "before_meeting"
    assert declaration.person.last_name == "Viljamaa"
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Olet ilmoittanut esteellisyytesi tässä asiassa." in page


def test_pack_read_is_not_offered_on_a_held_meeting(client_as, demo):
    client = client_as("johtoryhma")
    meeting = demo.past
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Merkitse kokousaineisto luetuksi" not in page
    response = client.post(reverse("meetings:pack_read", args=[meeting.pk]), follow=True)
    assert "kokous on päättynyt" in response.content.decode().lower()
    assert not MeetingPackRead.objects.filter(
        meeting=meeting, person__last_name="Viljamaa"
    ).exists()


def test_member_cannot_record_a_decision(client_as, demo):
    item = demo.upcoming.items.first()
    url = reverse("meetings:item_decision", args=[demo.upcoming.pk, item.pk])
    for username in ("johtoryhma", "toimisto"):
        response = client_as(username).post(url, {f"item{item.pk}-outcome": "approved"})
        assert response.status_code == 403
    assert not Decision.objects.filter(agenda_item=item).exists()


@pytest.fixture
def live_meeting(demo, office):
    """A board meeting in session now, with an agenda, to be decided by the chair."""
    meeting = services.meeting_create(
        body=demo.past.body,
        starts_at=timezone.now() - timedelta(minutes=30),
        online_link="https://meet.example.org/x",
        by=office,
    )
    services.agenda_item_add(
        meeting=meeting, title="Rahoitusesitys", draft_decision="Puolletaan.", by=office
    )
    return meeting


def test_chair_records_a_decision_with_htmx_in_one_post(client_as, live_meeting, office, seats):
    attend(live_meeting, seats[:5], office)
    item = live_meeting.items.get()
    client = client_as("johtoryhma-pj")
    page = client.get(reverse("meetings:detail", args=[live_meeting.pk])).content.decode()
    assert f'name="item{item.pk}-outcome"' in page and "Puolletaan." in page
    response = client.post(
        reverse("meetings:item_decision", args=[live_meeting.pk, item.pk]),
        {f"item{item.pk}-outcome": "approved", f"item{item.pk}-text": "Puolletaan."},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Päätös kirjattu." in html and "<html" not in html
    decision = Decision.objects.get(agenda_item=item)
    assert decision.recorded_by.username == "johtoryhma-pj" and decision.seats_present == 5


def test_decision_without_quorum_is_refused_with_the_reason(client_as, live_meeting, office, seats):
    attend(live_meeting, seats[:4], office)
    item = live_meeting.items.get()
    response = client_as("johtoryhma-pj").post(
        reverse("meetings:item_decision", args=[live_meeting.pk, item.pk]),
        {f"item{item.pk}-outcome": "approved", f"item{item.pk}-text": "Puolletaan."},
        HTTP_HX_REQUEST="true",
    )
    # htmx swaps only a 200: the whole item comes back, its form with the reason on top.
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and f'id="item-{item.pk}"' in html
    assert 'class="error-summary"' in html and "Mitään ei tallennettu" in html
    assert "4 paikkaa 8:sta edustettuna; tarvitaan yli puolet (5)" in html
    assert f'name="item{item.pk}-outcome"' in html
    assert not Decision.objects.filter(agenda_item=item).exists()


def test_conditions_are_required_for_a_conditional_approval(client_as, live_meeting, office, seats):
    attend(live_meeting, seats, office)
    item = live_meeting.items.get()
    response = client_as("johtoryhma-pj").post(
        reverse("meetings:item_decision", args=[live_meeting.pk, item.pk]),
        {f"item{item.pk}-outcome": "approved_with_conditions", f"item{item.pk}-text": "x"},
    )
    assert response.status_code == 400
    assert "Kirjoita hyväksynnän ehdot." in response.content.decode()
    assert not Decision.objects.filter(agenda_item=item).exists()


def test_attendance_sheet_bad_input_saves_nothing(client_as, live_meeting, seats):
    client = client_as("johtoryhma-pj")
    url = reverse("meetings:attendance", args=[live_meeting.pk])
    item = live_meeting.items.get()
    data = {f"seat{s.pk}-attending": "member" for s in seats}
    data[f"seat{seats[0].pk}-arrived_at_item"] = item.pk
    data[f"seat{seats[0].pk}-left_before_item"] = item.pk
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Tuula Antola: Henkilö voi poistua vasta saapumisasiansa jälkeen." in (
        response.content.decode()
    )
    assert not Attendance.objects.filter(meeting=live_meeting).exists()
    data.pop(f"seat{seats[0].pk}-arrived_at_item")
    data.pop(f"seat{seats[0].pk}-left_before_item")
    data[f"seat{seats[2].pk}-attending"] = "deputy"
    data[f"seat{seats[3].pk}-attending"] = "absent"
    assert client.post(url, data).status_code == 302
    rows = Attendance.objects.filter(meeting=live_meeting)
    assert rows.filter(present=True).count() == 7
    assert rows.get(person__last_name="Niinistö").is_deputy
    assert not rows.get(person__last_name="Rantanen").present


def test_office_drafts_checkers_check_chair_signs_office_approves_and_corrects(
    client_as, live_meeting, office, seats
):
    attend(live_meeting, seats, office)
    item = live_meeting.items.get()
    services.decision_record(item=item, outcome="amended", text="Puolletaan.", by=office)
    client = client_as("toimisto")
    url = reverse("meetings:minutes_action", args=[live_meeting.pk])
    sundman, huotari = person("Pekka", "Sundman"), person("Tiina", "Huotari")
    # At the meeting, before the minutes exist, the secretary records the meeting's choice.
    page = client.get(reverse("meetings:detail", args=[live_meeting.pk])).content.decode()
    assert "Valitse tarkastajat" in page
    # the same person twice: refused, nothing chosen
    client.post(url, {"action": "checkers", "first": sundman.pk, "second": sundman.pk})
    assert not MinutesChecker.objects.filter(meeting=live_meeting).exists()
    assert (
        client.post(
            url, {"action": "checkers", "first": sundman.pk, "second": huotari.pk}
        ).status_code
        == 302
    )
    assert client.post(url, {"action": "draft"}).status_code == 302
    assert client.post(url, {"action": "check"}).status_code == 403  # the office is no checker
    for checker in ("johtoryhma-vpj", "johtoryhma-huotari"):
        checker_client = client_as(checker)
        page = checker_client.get(reverse("meetings:detail", args=[live_meeting.pk]))
        assert "Olen tarkastanut pöytäkirjan" in page.content.decode()
        assert checker_client.post(url, {"action": "check"}).status_code == 302
    assert Minutes.objects.get(meeting=live_meeting).state == Minutes.State.CHECKED
    assert client_as("johtoryhma-pj").post(url, {"action": "sign"}).status_code == 302
    assert client.post(url, {"action": "approve"}).status_code == 302
    minutes = Minutes.objects.get(meeting=live_meeting)
    assert minutes.is_locked
    client.post(url, {"action": "correct", "text": ""})
    assert not Correction.objects.filter(minutes__meeting=live_meeting).exists()
    client.post(
        url, {"action": "correct", "text": "Nimen kirjoitusasu korjattu.", "agenda_item": item.pk}
    )
    assert Correction.objects.get(minutes__meeting=live_meeting).agenda_item == item
    page = client.get(reverse("meetings:detail", args=[live_meeting.pk])).content.decode()
    assert "Nimen kirjoitusasu korjattu." in page
    assert client_as("johtoryhma").post(url, {"action": "draft"}).status_code == 403


def test_admin_is_read_only_for_approved_minutes(client_as, demo):
    client = client_as("toimisto")
    minutes = demo.past.minutes
    response = client.get(reverse("admin:governance_minutes_change", args=[minutes.pk]))
    assert response.status_code == 200
    assert 'name="notes"' not in response.content.decode()
    post = client.post(
        reverse("admin:governance_minutes_change", args=[minutes.pk]), {"notes": "muutettu"}
    )
    assert post.status_code == 403
    decision = Decision.objects.filter(agenda_item__meeting=demo.past).first()
    response = client.post(
        reverse("admin:governance_decision_change", args=[decision.pk]),
        {"outcome": "rejected", "text": "x"},
    )
    assert response.status_code == 403
    assert Decision.objects.get(pk=decision.pk).outcome == decision.outcome
    assert Minutes.objects.get(pk=minutes.pk).notes == ""


# --- The public decision register ----------------------------------------------------------


def test_register_lists_approved_minutes_only(client, demo, office, chair_user, seats):
    meeting = services.meeting_create(
        body=demo.past.body,
        starts_at=timezone.now() - timedelta(days=2),
        place="Vantaa",
        by=office,
    )
    item = services.agenda_item_add(meeting=meeting, title="Luonnosasia", by=office)
    attend(meeting, seats, office)
    services.decision_record(item=item, outcome="amended", text="Salainen luonnos", by=chair_user)
    services.minutes_draft(meeting=meeting, by=office)
    html = client.get(reverse("meetings:decisions")).content.decode()
    assert "Rahoitusesitys: Älykkään valmistuksen kasvuohjelma" in html
    assert "Hyväksytty ehdoin" in html and "Hankkeen budjetti tarkennetaan" in html
    assert "Luonnosasia" not in html and "Salainen luonnos" not in html
    assert "5 päätöstä" in html


def test_register_filters(client, demo):
    url = reverse("meetings:decisions")
    assert "1 päätös" in client.get(url, {"outcome": "rejected"}).content.decode()
    html = client.get(url, {"q": "kasvuohjelma"}).content.decode()
    assert "1 päätös" in html and "Älykkään valmistuksen" in html
    day = timezone.localtime(demo.past.starts_at).date()
    assert "5 päätöstä" in client.get(url, {"date_from": day, "date_to": day}).content.decode()
    after = (day + timedelta(days=1)).isoformat()
    assert "0 päätöstä" in client.get(url, {"date_from": after}).content.decode()
    steering = demo.past.body.__class__.objects.get(kind="steering_group")
    assert "0 päätöstä" in client.get(url, {"body": steering.pk}).content.decode()
    bad = client.get(url, {"date_from": "2026-05-02", "date_to": "2026-05-01"}).content.decode()
    assert "Päättymispäivä ei voi olla ennen alkamispäivää." in bad


@pytest.mark.parametrize("extra_meetings", [0, 6])
def test_register_query_count_does_not_grow(
    client, demo, office, chair_user, seats, django_assert_num_queries, extra_meetings
):
    for i in range(extra_meetings):
        meeting = services.meeting_create(
            body=demo.past.body,
            starts_at=timezone.now() - timedelta(days=40 + i),
            place="Turku",
            by=office,
        )
        attend(meeting, seats, office)
        for n in range(5):
            item = services.agenda_item_add(meeting=meeting, title=f"Asia {n}", by=office)
            services.decision_record(item=item, outcome="tabled", text="Pöydälle.", by=chair_user)
        approve_minutes(services.minutes_draft(meeting=meeting, by=office), office)
    # count, one page of decisions, their dissents, the conflicts on their items, the bodies
    # for the filter
    with django_assert_num_queries(5):
        response = client.get(reverse("meetings:decisions"))
    assert response.status_code == 200
    expected = 5 + 5 * extra_meetings
    assert f"{expected} päätöstä" in response.content.decode()


# --- PDFs ----------------------------------------------------------------------------------


def _pdf_text(data: bytes, tmp_path) -> str:
    assert data.startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "poppler-utils (pdftotext) is needed for this test"
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    return subprocess.run(  # noqa: S603 - fixed arguments, a file this test wrote
        [pdftotext, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_minutes_pdf_names_attendance_deputy_recusal_and_every_decision(client, demo, tmp_path):
    response = client.get(reverse("meetings:minutes_pdf", args=[demo.past.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(_pdf_text(response.content, tmp_path).split())
    for name in ("Tuula Antola", "Juha Ala-Mursula", "Teppo Rantanen", "Pekka Sundman"):
        assert name in text
    assert "Jaakko Niinistö (varajäsenenä: Kimmo Viljamaa) – Jäsen, Vantaan kaupunki" in text
    assert "Poissa • Kimmo Viljamaa (tilalla varajäsen Jaakko Niinistö) • Johanna Osenius" in text
    assert (
        "Juha Ala-Mursula oli esteellinen (peruste: BusinessOulu on hankkeen osatoteuttaja.) ja "
        "poistui kokouksesta asian käsittelyn ajaksi." in text
    )
    assert "Tiina Huotari – Jäsen, Uudenmaan liitto – poistui ennen § 5" in text
    for outcome in ("Hyväksytty", "Hyväksytty ehdoin", "Hylätty", "Palautettu valmisteluun"):
        assert f"Päätös: {outcome}" in text
    for decision in Decision.objects.filter(agenda_item__meeting=demo.past):
        assert decision.agenda_item.title in text
    assert "LUONNOS" not in text


def test_agenda_pdf_lists_items_and_draft_decisions(client_as, demo, tmp_path):
    response = client_as("johtoryhma").get(reverse("meetings:agenda_pdf", args=[demo.upcoming.pk]))
    text = " ".join(_pdf_text(response.content, tmp_path).split())
    assert "Esityslista" in text
    for item in demo.upcoming.items.all():
        assert f"§ {item.order} {item.title}" in text
        assert item.draft_decision in text


def test_draft_minutes_pdf_is_not_public(client, client_as, live_meeting, office, seats):
    attend(live_meeting, seats, office)
    services.decision_record(
        item=live_meeting.items.get(), outcome="approved", text="Puolletaan.", by=office
    )
    services.minutes_draft(meeting=live_meeting, by=office)
    url = reverse("meetings:minutes_pdf", args=[live_meeting.pk])
    assert client.get(url).status_code == 302
    assert client_as("rahoittaja").get(url).status_code == 403
    assert client_as("johtoryhma").get(url).status_code == 200


def test_pdf_language_is_set(demo):
    from governance.pdf import _render

    html = _render("pdf/minutes.html", demo.past)
    assert '<html lang="fi">' in html


def test_higher_apps_add_panels_to_agenda_items_through_the_hook(client_as, demo):
    from django.utils.html import format_html

    from governance import extensions

    item = demo.upcoming.items.get(order=2)

    def panel(*, request, items):
        assert item.pk in [i.pk for i in items]
        return {item.pk: format_html("<p>{} hakemusta</p>", 4)}

    extensions.register_agenda_item_panel(panel)
    try:
        html = (
            client_as("johtoryhma")
            .get(reverse("meetings:detail", args=[demo.upcoming.pk]))
            .content.decode()
        )
    finally:
        extensions._agenda_item_panels.remove(panel)
    assert "<p>4 hakemusta</p>" in html


def test_meeting_list_shows_only_the_users_bodies(client_as, demo):
    board_member = client_as("johtoryhma").get(reverse("meetings:list")).content.decode()
    assert reverse("meetings:detail", args=[demo.past.pk]) in board_member
    steering = client_as("ohjausryhma").get(reverse("meetings:list")).content.decode()
    assert reverse("meetings:detail", args=[demo.past.pk]) not in steering
    assert "Ei vielä kokouksia." in steering
    assert client_as("rahoittaja").get(reverse("meetings:list")).status_code == 403


@pytest.mark.parametrize("extra_meetings", [0, 10])
def test_meeting_list_selector_is_one_query(
    demo, office, django_assert_num_queries, extra_meetings
):
    from governance.models import Meeting
    from governance.selectors import meetings_list

    for i in range(extra_meetings):
        meeting = services.meeting_create(
            body=demo.past.body,
            starts_at=timezone.now() + timedelta(days=30 + i),
            place="Oulu",
            by=office,
        )
        services.agenda_item_add(meeting=meeting, title="Asia", by=office)
    with django_assert_num_queries(1):
        rows = [
            (m.body.name, m.item_count, getattr(m, "minutes", None))
            for m in meetings_list(Meeting.objects.all())
        ]
    assert len(rows) == 3 + extra_meetings


def _options(html: str, name: str) -> set[str]:
    """The names a select offers (its empty choice left out)."""
    import re

    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, name
    return {
        label.strip()
        for value, label in re.findall(r'<option value="(\d*)"[^>]*>([^<]*)</option>', select[1])
        if value
    }


def test_the_chair_chooses_the_checkers_at_the_meeting_among_the_members_present(
    client_as, live_meeting, office, seats
):
    """Pöytäkirjan tarkastajat: at the meeting, before any minutes exist, whoever presides
    records the two members the meeting chose; only members present are offered (not the chair,
    who signs, nor the absent), and only the two chosen check the minutes."""
    present = [s for s in seats if s.member.last_name != "Osenius"]
    attend(live_meeting, present, office)
    sundman, huotari = person("Pekka", "Sundman"), person("Tiina", "Huotari")
    chair = client_as("johtoryhma-pj")
    detail = reverse("meetings:detail", args=[live_meeting.pk])
    url = reverse("meetings:minutes_action", args=[live_meeting.pk])
    html = chair.get(detail).content.decode()
    assert not Minutes.objects.filter(meeting=live_meeting).exists()
    assert "Valitse tarkastajat" in html
    offered = _options(html, "first")
    assert {"Pekka Sundman", "Tiina Huotari"} <= offered
    assert "Tuula Antola" not in offered  # the chair signs
    assert "Johanna Osenius" not in offered  # absent
    assert "Mika Perttunen" not in offered  # the presenter is no member
    assert (
        chair.post(
            url, {"action": "checkers", "first": sundman.pk, "second": huotari.pk}
        ).status_code
        == 302
    )
    chosen = MinutesChecker.objects.filter(meeting=live_meeting)
    assert {c.person for c in chosen} == {sundman, huotari}
    assert {c.chosen_by.username for c in chosen} == {"johtoryhma-pj"}
    html = chair.get(detail).content.decode()
    assert "Pöytäkirjan tarkastajat" in html and "ei vielä tarkastanut" in html

    # A member who does not preside records no choice.
    member = client_as("johtoryhma")
    assert "Valitse tarkastajat" not in member.get(detail).content.decode()
    viljamaa = person("Kimmo", "Viljamaa")
    answer = member.post(url, {"action": "checkers", "first": viljamaa.pk, "second": huotari.pk})
    assert answer.status_code == 403
    assert {c.person for c in chosen.all()} == {sundman, huotari}

    # Only the two chosen check the minutes.
    item = live_meeting.items.get()
    services.decision_record(item=item, outcome="approved", by=office)
    assert client_as("toimisto").post(url, {"action": "draft"}).status_code == 302
    assert member.post(url, {"action": "check"}).status_code == 403
    assert client_as("johtoryhma-vpj").post(url, {"action": "check"}).status_code == 302
    # Once a checker has checked, the choice stands.
    chair.post(url, {"action": "checkers", "first": viljamaa.pk, "second": huotari.pk})
    assert {c.person for c in chosen.all()} == {sundman, huotari}
    assert "Valitse tarkastajat" not in chair.get(detail).content.decode()


def test_the_choice_of_checkers_is_refused_with_the_reason(
    client_as, live_meeting, demo, office, seats, chair_user
):
    from django.core.exceptions import ValidationError

    present = [s for s in seats if s.member.last_name != "Osenius"]
    attend(live_meeting, present, office)
    sundman, huotari = person("Pekka", "Sundman"), person("Tiina", "Huotari")
    for people, message in (
        ([sundman], "Valitse kaksi eri tarkastajaa."),
        ([sundman, person("Johanna", "Osenius")], "kokouksessa läsnä oleva jäsen: Johanna Osenius"),
        ([sundman, person("Tuula", "Antola")], "Puheenjohtaja allekirjoittaa pöytäkirjan"),
    ):
        with pytest.raises(ValidationError, match=message):
            services.minutes_checkers_choose(meeting=live_meeting, people=people, by=chair_user)
    # Not before the meeting has started (the upcoming one's agenda is open).
    with pytest.raises(ValidationError, match="valitaan kokouksessa"):
        services.minutes_checkers_choose(
            meeting=demo.upcoming, people=[sundman, huotari], by=office
        )
    assert not MinutesChecker.objects.filter(meeting__in=[live_meeting, demo.upcoming]).exists()
    # The page says why, in the chair's words.
    response = client_as("johtoryhma-pj").post(
        reverse("meetings:minutes_action", args=[live_meeting.pk]),
        {"action": "checkers", "first": sundman.pk, "second": sundman.pk},
        follow=True,
    )
    assert "Valitse kaksi eri tarkastajaa." in response.content.decode()


def test_a_pack_read_counts_for_its_own_meeting_only(client_as, demo, django_assert_num_queries):
    from governance import selectors
    from governance.models import Meeting

    client = client_as("johtoryhma")
    meeting = demo.upcoming
    client.post(reverse("meetings:pack_read", args=[meeting.pk]))
    read = MeetingPackRead.objects.get(meeting=meeting, person__last_name="Viljamaa")
    other = Meeting.objects.exclude(pk=meeting.pk).first()
    with django_assert_num_queries(1):
        assert selectors.pack_read(person_id=read.person_id, meeting=meeting)
    assert not selectors.pack_read(person_id=read.person_id, meeting=other)
    # another member of the body has not read it
    chair = client_as("johtoryhma-pj").get(reverse("meetings:detail", args=[meeting.pk]))
    assert "Merkitse kokousaineisto luetuksi" in chair.content.decode()
