"""The decision on an item, conflicts of interest and who chairs (hallintolaki 27-30 §): each rule
through the services and the pages, as the chair, the vice-chair, the secretary and a member."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from governance import services
from governance.chairing import ChairCandidate, chair_at_item
from governance.models import Attendance, ConflictDeclaration, Decision, Dissent, Seat
from governance.quorum import Presence
from governance.selectors import item_record, meeting_quorum

from .conftest import approve_minutes, attend, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def sitting(past_meeting, seats, office):
    """The past meeting with every member present."""
    attend(past_meeting, seats, office)
    return past_meeting


def _item(meeting, order=2):
    return meeting.items.get(order=order)


def _decide_url(meeting, item):
    return reverse("meetings:item_decision", args=[meeting.pk, item.pk])


# --- The decision -------------------------------------------------------------------------


def test_the_decision_form_chooses_no_outcome_in_advance(client_as, sitting):
    page = client_as("johtoryhma-pj").get(reverse("meetings:detail", args=[sitting.pk]))
    html = page.content.decode()
    radios = re.findall(r'<input type="radio" name="item\d+-outcome"[^>]*>', html)
    assert len(radios) == 3 * 6  # three items, six outcomes each
    assert not [r for r in radios if "checked" in r]


def test_posting_no_outcome_records_nothing(client_as, sitting):
    item = _item(sitting)
    response = client_as("johtoryhma-pj").post(
        _decide_url(sitting, item), {f"item{item.pk}-text": ""}
    )
    assert response.status_code == 400
    assert "Tämä kenttä vaaditaan." in response.content.decode()
    assert not Decision.objects.filter(agenda_item=item).exists()


def test_as_proposed_takes_the_draft_decision(sitting, chair_user):
    item = _item(sitting)
    decision = services.decision_record(
        item=item, outcome="approved", text="Jotain aivan muuta.", by=chair_user
    )
    assert decision.text == item.draft_decision
    assert decision.get_outcome_display() == "Hyväksytty esityksen mukaisesti"


def test_an_amended_decision_needs_its_text(client_as, sitting, chair_user):
    item = _item(sitting)
    with pytest.raises(ValidationError) as error:
        services.decision_record(item=item, outcome="amended", text="  ", by=chair_user)
    assert "Kirjoita päätös muutettuna." in str(error.value)
    response = client_as("johtoryhma-pj").post(
        _decide_url(sitting, item), {f"item{item.pk}-outcome": "amended"}
    )
    assert response.status_code == 400
    assert "Kirjoita päätös muutettuna." in response.content.decode()
    assert not Decision.objects.filter(agenda_item=item).exists()
    decision = services.decision_record(
        item=item, outcome="amended", text="Puolletaan 300 000 eurolla.", by=chair_user
    )
    assert decision.text == "Puolletaan 300 000 eurolla."


def test_as_proposed_without_a_draft_is_refused(sitting, chair_user, office):
    item = services.agenda_item_add(meeting=sitting, title="Muut asiat", by=office)
    with pytest.raises(ValidationError) as error:
        services.decision_record(item=item, outcome="approved", by=chair_user)
    assert "Asialla ei ole päätösehdotusta" in str(error.value)
    assert not Decision.objects.filter(agenda_item=item).exists()


@pytest.mark.parametrize("outcome", ["rejected", "returned", "tabled"])
def test_rejected_returned_and_tabled_need_no_text(sitting, chair_user, outcome):
    decision = services.decision_record(item=_item(sitting), outcome=outcome, by=chair_user)
    assert decision.outcome == outcome and decision.text == ""


def test_a_vote_has_all_three_counts_within_the_seats_present(client_as, sitting, chair_user):
    item = _item(sitting)
    with pytest.raises(ValidationError) as error:
        services.decision_record(item=item, outcome="approved", votes_for=5, by=chair_user)
    assert "kaikki kolme lukua" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.decision_record(
            item=item,
            outcome="approved",
            votes_for=5,
            votes_against=3,
            votes_abstaining=1,
            by=chair_user,
        )
    assert "9 ääntä, enemmän kuin läsnä olevia paikkoja (8)" in str(error.value)
    response = client_as("johtoryhma-pj").post(
        _decide_url(sitting, item),
        {f"item{item.pk}-outcome": "approved", f"item{item.pk}-votes_for": "5"},
    )
    assert response.status_code == 400
    assert not Decision.objects.filter(agenda_item=item).exists()
    decision = services.decision_record(
        item=item,
        outcome="approved",
        votes_for=5,
        votes_against=2,
        votes_abstaining=1,
        by=chair_user,
    )
    assert (decision.votes_for, decision.votes_against, decision.votes_abstaining) == (5, 2, 1)


def test_dissenting_opinions_by_name_only_from_those_who_took_part(
    client_as, sitting, chair_user, office
):
    item = _item(sitting)
    services.conflict_declare(
        item=item, person=person("Juha", "Ala-Mursula"), reason="x", stage="at_item", by=office
    )
    with pytest.raises(ValidationError) as error:
        services.decision_record(
            item=item,
            outcome="approved",
            dissenters=[person("Juha", "Ala-Mursula")],  # stepped aside
            by=chair_user,
        )
    assert "Juha Ala-Mursula" in str(error.value)
    with pytest.raises(ValidationError):
        services.decision_record(
            item=item,
            outcome="approved",
            dissenters=[person("Jaakko", "Niinistö")],  # a deputy not sitting
            by=chair_user,
        )
    assert not Decision.objects.filter(agenda_item=item).exists()
    huotari = person("Tiina", "Huotari")
    response = client_as("johtoryhma-pj").post(
        _decide_url(sitting, item),
        {
            f"item{item.pk}-outcome": "approved",
            f"item{item.pk}-votes_for": "6",
            f"item{item.pk}-votes_against": "1",
            f"item{item.pk}-votes_abstaining": "0",
            f"item{item.pk}-dissenters": [huotari.pk],
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get(agenda_item=item)
    assert [d.person for d in decision.dissents.all()] == [huotari]
    # Changed before the minutes are checked: the dissent goes with the change.
    services.decision_record(item=item, outcome="approved", dissenters=[], by=chair_user)
    assert not Dissent.objects.filter(decision=decision).exists()


# --- Conflicts of interest ------------------------------------------------------------------


@pytest.fixture
def proposed(sitting, office):
    """The portal proposes a conflict for Juha Ala-Mursula (BusinessOulu applies)."""
    return services.conflict_propose(
        item=_item(sitting),
        person=person("Juha", "Ala-Mursula"),
        reason="BusinessOulu hakee rahoitusta.",
        by=office,
    )


def test_a_proposed_conflict_blocks_the_decision_until_resolved(sitting, proposed, chair_user):
    item = _item(sitting)
    with pytest.raises(ValidationError) as error:
        services.decision_record(item=item, outcome="approved", by=chair_user)
    assert "Ratkaise ensin ehdotetut esteellisyydet (Juha Ala-Mursula)" in str(error.value)
    assert not Decision.objects.filter(agenda_item=item).exists()
    # An item without a proposal is decided as before.
    services.decision_record(item=_item(sitting, 1), outcome="approved", by=chair_user)


def test_the_secretary_confirms_a_proposal_the_member_is_out_of_the_quorum(
    sitting, proposed, office, chair_user
):
    item = _item(sitting)
    assert meeting_quorum(sitting)[item.pk].present == 8
    services.conflict_resolve(declaration=proposed, confirmed=True, by=office)
    proposed.refresh_from_db()
    assert proposed.confirmed and proposed.confirmed_by == office
    assert proposed.history.latest().history_user == office  # who clicked, in the audit trail
    assert meeting_quorum(sitting)[item.pk].present == 7
    decision = services.decision_record(item=item, outcome="approved", by=chair_user)
    assert decision.seats_present == 7


def test_the_chair_dismisses_a_proposal_the_member_takes_part(sitting, proposed, chair_user):
    item = _item(sitting)
    services.conflict_resolve(declaration=proposed, confirmed=False, by=chair_user)
    proposed.refresh_from_db()
    assert proposed.dismissed and not proposed.confirmed and proposed.dismissed_by == chair_user
    decision = services.decision_record(item=item, outcome="approved", by=chair_user)
    assert decision.seats_present == 8


def test_nobody_dismisses_their_own_conflict(sitting, office, chair_user):
    declaration = services.conflict_propose(
        item=_item(sitting), person=person("Tuula", "Antola"), reason="Espoo hakee.", by=office
    )
    with pytest.raises(ValidationError) as error:
        services.conflict_resolve(declaration=declaration, confirmed=False, by=chair_user)
    assert "Et voi hylätä omaa esteellisyyttäsi." in str(error.value)
    declaration.refresh_from_db()
    assert declaration.is_open


def test_conflicts_are_not_resolved_after_the_decision(sitting, proposed, office, chair_user):
    services.conflict_resolve(declaration=proposed, confirmed=False, by=office)
    services.decision_record(item=_item(sitting), outcome="approved", by=chair_user)
    with pytest.raises(ValidationError):
        services.conflict_resolve(declaration=proposed, confirmed=True, by=office)
    proposed.refresh_from_db()
    assert proposed.dismissed


def test_resolving_conflicts_is_for_the_items_chair_and_the_secretary(client_as, sitting, proposed):
    item = _item(sitting)
    url = reverse("meetings:conflict_resolve", args=[sitting.pk, item.pk, proposed.pk])
    for username in ("johtoryhma", "johtoryhma-vpj", "ohjausryhma", "koordinaattori-espoo"):
        assert client_as(username).post(url, {"verdict": "dismiss"}).status_code == 403
    proposed.refresh_from_db()
    assert proposed.is_open
    assert client_as("johtoryhma-pj").post(url, {"verdict": "bogus"}).status_code == 400
    assert client_as("toimisto").post(url, {"verdict": "confirm"}).status_code == 302
    proposed.refresh_from_db()
    assert proposed.confirmed
    record = reverse("meetings:conflict_record", args=[sitting.pk, item.pk])
    assert client_as("johtoryhma").get(record).status_code == 403
    assert client_as("johtoryhma-pj").get(record).status_code == 200


def test_the_secretary_records_a_conflict_the_meeting_decided(client_as, sitting):
    item = _item(sitting)
    url = reverse("meetings:conflict_record", args=[sitting.pk, item.pk])
    client = client_as("toimisto")
    viljamaa = person("Kimmo", "Viljamaa")
    response = client.post(url, {"person": viljamaa.pk, "reason": ""})
    assert response.status_code == 400
    assert not ConflictDeclaration.objects.filter(agenda_item=item).exists()
    response = client.post(url, {"person": viljamaa.pk, "reason": "Vantaa on osatoteuttaja."})
    assert response.status_code == 302
    declaration = ConflictDeclaration.objects.get(agenda_item=item, person=viljamaa)
    assert declaration.confirmed and declaration.stage == "at_item"
    assert declaration.declared_by.username == "toimisto"
    assert viljamaa.pk in item_record(item).recused_person_ids


def test_the_minutes_and_the_register_name_the_conflict_its_ground_and_the_leaving(
    client, sitting, proposed, office, chair_user
):
    from governance.pdf import minutes_pdf

    from .test_meeting_views import _pdf_text

    services.conflict_resolve(declaration=proposed, confirmed=True, by=office)
    for item in sitting.items.all():
        services.decision_record(item=item, outcome="approved", by=chair_user)
    approve_minutes(services.minutes_draft(meeting=sitting, by=office), office)
    sentence = (
        "Juha Ala-Mursula oli esteellinen (peruste: BusinessOulu hakee rahoitusta.) ja poistui "
        "kokouksesta asian käsittelyn ajaksi."
    )
    register = client.get(reverse("meetings:decisions")).content.decode()
    assert sentence in register
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        text = " ".join(_pdf_text(minutes_pdf(sitting), Path(tmp)).split())
    assert sentence in text


# --- Who chairs ----------------------------------------------------------------------------


def _chair_steps_aside(sitting, chair_user):
    """The chair declares a conflict at the sitting's first item; that item."""
    item = _item(sitting)
    services.conflict_declare(
        item=item,
        person=person("Tuula", "Antola"),
        reason="Espoon kaupunki on hakija.",
        stage="at_item",
        by=chair_user,
    )
    return item


def test_a_chair_with_a_conflict_cannot_record_the_vice_chair_chairs_the_item(
    client_as, sitting, office, chair_user, demo_users
):
    item = _chair_steps_aside(sitting, chair_user)
    with pytest.raises(ValidationError) as error:
        services.decision_record(item=item, outcome="approved", by=chair_user)
    assert "Olet esteellinen tässä asiassa" in str(error.value)
    assert (
        client_as("johtoryhma-pj")
        .post(_decide_url(sitting, item), {f"item{item.pk}-outcome": "approved"})
        .status_code
        == 403
    )
    assert not Decision.objects.filter(agenda_item=item).exists()
    # The vice-chair chairs this item only; the chair the others.
    page = client_as("johtoryhma-vpj").get(reverse("meetings:detail", args=[sitting.pk]))
    html = page.content.decode()
    assert f'name="item{item.pk}-outcome"' in html
    assert f'name="item{_item(sitting, 1).pk}-outcome"' not in html
    response = client_as("johtoryhma-vpj").post(
        _decide_url(sitting, item), {f"item{item.pk}-outcome": "approved"}
    )
    assert response.status_code == 302
    decision = Decision.objects.get(agenda_item=item)
    assert decision.chaired_by == person("Pekka", "Sundman")
    assert decision.recorded_by == demo_users["johtoryhma-vpj"]
    assert decision.seats_present == 7
    assert (
        client_as("johtoryhma-vpj")
        .post(
            _decide_url(sitting, _item(sitting, 3)),
            {f"item{_item(sitting, 3).pk}-outcome": "approved"},
        )
        .status_code
        == 403
    )


def test_a_chair_with_a_conflict_cannot_change_the_decision_the_vice_chair_recorded(
    client_as, sitting, chair_user, demo_users
):
    item = _chair_steps_aside(sitting, chair_user)
    services.decision_record(item=item, outcome="rejected", by=demo_users["johtoryhma-vpj"])
    response = client_as("johtoryhma-pj").post(
        _decide_url(sitting, item), {f"item{item.pk}-outcome": "approved"}
    )
    assert response.status_code == 403
    with pytest.raises(ValidationError) as error:
        services.decision_record(item=item, outcome="approved", by=chair_user)
    assert "Olet esteellinen tässä asiassa" in str(error.value)
    decision = Decision.objects.get(agenda_item=item)
    assert decision.outcome == "rejected" and decision.recorded_by == demo_users["johtoryhma-vpj"]


def test_with_chair_and_vice_chair_away_the_bodys_order_decides(sitting, board, seats, office):
    chair, vice = (next(s for s in seats if s.role == role) for role in ("chair", "vice_chair"))
    for seat in (chair, vice):
        services.attendance_record(
            meeting=sitting, seat=seat, person=seat.member, present=False, by=office
        )
    item = _item(sitting)
    assert item_record(item).chair_id is None  # no order set: nobody chairs
    huotari_seat = next(s for s in seats if s.member.last_name == "Huotari")
    Seat.objects.filter(pk=huotari_seat.pk).update(chairing_order=1)
    assert item_record(item).chair_id == huotari_seat.member_id


def test_chair_at_item_follows_the_order_presence_and_conflicts():
    order = [ChairCandidate(1, 10), ChairCandidate(2, 20), ChairCandidate(3, 30)]
    everyone = [Presence(1, 10), Presence(2, 20), Presence(3, 30)]
    assert chair_at_item(candidates=order, presences=everyone, item_order=1) == 10
    assert (
        chair_at_item(candidates=order, presences=everyone, item_order=1, recused_person_ids={10})
        == 20
    )
    leaving = [Presence(1, 10, left_before=2), Presence(2, 20), Presence(3, 30)]
    assert chair_at_item(candidates=order, presences=leaving, item_order=1) == 10
    assert chair_at_item(candidates=order, presences=leaving, item_order=2) == 20
    # The chair's deputy in the chair's seat is not the chair.
    deputy = [Presence(1, 11), Presence(3, 30)]
    assert chair_at_item(candidates=order, presences=deputy, item_order=1) == 30
    assert chair_at_item(candidates=order, presences=[], item_order=1) is None


def test_the_presenters_attendance_is_recorded_on_the_sheet(client_as, past_meeting, seats):
    live_meeting = past_meeting
    presenter = Seat.objects.get(body=live_meeting.body, role=Seat.Role.PRESENTER)
    data = {f"seat{s.pk}-attending": "member" for s in seats}
    data[f"seat{presenter.pk}-attending"] = "member"
    url = reverse("meetings:attendance", args=[live_meeting.pk])
    page = client_as("toimisto").get(url).content.decode()
    assert f'name="seat{presenter.pk}-attending"' in page
    assert client_as("toimisto").post(url, data).status_code == 302
    row = Attendance.objects.get(meeting=live_meeting, seat=presenter)
    assert row.present and row.person.last_name == "Perttunen"
    # not a voting seat: the quorum counts the eight seats
    assert meeting_quorum(live_meeting)[_item(live_meeting).pk].present == 8


def test_a_proposal_for_someone_not_sitting_does_not_block(sitting, office, chair_user):
    """Jaakko Niinistö is Kimmo Viljamaa's deputy; Viljamaa sits, so Niinistö's proposal waits."""
    item = _item(sitting)
    services.conflict_propose(
        item=item, person=person("Jaakko", "Niinistö"), reason="Vantaa hakee.", by=office
    )
    assert item_record(item).open_conflict_names == ()
    services.decision_record(item=item, outcome="approved", by=chair_user)


DISSENT_REASON = "Hankkeen kustannusarvio on ylimitoitettu tavoitteisiin nähden."


def test_a_dissent_has_its_reason_in_the_form_the_minutes_their_pdf_and_the_register(
    client, client_as, sitting, chair_user, office
):
    """The chair records a dissent with its reason in the decision form; the meeting page, the
    minutes PDF and, once approved, the public register give the reason after the name."""
    from tests.reports.data import pdftotext

    item = _item(sitting)
    huotari = person("Tiina", "Huotari")
    chair = client_as("johtoryhma-pj")
    page = chair.get(reverse("meetings:detail", args=[sitting.pk])).content.decode()
    assert f'name="item{item.pk}-dissent_reason_{huotari.pk}"' in page
    assert "Tiina Huotari: eriävän mielipiteen perustelu" in page
    response = chair.post(
        _decide_url(sitting, item),
        {
            f"item{item.pk}-outcome": "approved",
            f"item{item.pk}-dissenters": [huotari.pk],
            f"item{item.pk}-dissent_reason_{huotari.pk}": f"  {DISSENT_REASON}  ",
        },
    )
    assert response.status_code == 302
    dissent = Dissent.objects.get(decision__agenda_item=item)
    assert (dissent.person, dissent.reason) == (huotari, DISSENT_REASON)
    said = f"Tiina Huotari jätti eriävän mielipiteen. {DISSENT_REASON}"
    page = chair.get(reverse("meetings:detail", args=[sitting.pk])).content.decode()
    assert said in page
    # The form shows the reason again to whoever changes the decision.
    assert f"{DISSENT_REASON}</textarea>" in page

    for other in sitting.items.exclude(pk=item.pk):
        services.decision_record(item=other, outcome="approved", by=chair_user)
    minutes = services.minutes_draft(meeting=sitting, by=office)
    draft_pdf = client_as("toimisto").get(reverse("meetings:minutes_pdf", args=[sitting.pk]))
    assert said in " ".join(pdftotext(draft_pdf.content).split())
    approve_minutes(minutes, office)
    approved_pdf = client.get(reverse("meetings:minutes_pdf", args=[sitting.pk]))
    assert said in " ".join(pdftotext(approved_pdf.content).split())
    register = client.get(reverse("meetings:decisions"), {"q": item.title}).content.decode()
    assert said in register


def test_a_reason_without_its_dissent_is_refused_and_nothing_is_recorded(
    client_as, sitting, chair_user
):
    item = _item(sitting)
    huotari = person("Tiina", "Huotari")
    response = client_as("johtoryhma-pj").post(
        _decide_url(sitting, item),
        {
            f"item{item.pk}-outcome": "approved",
            f"item{item.pk}-dissent_reason_{huotari.pk}": DISSENT_REASON,
        },
    )
    assert response.status_code == 400
    assert (
        "Merkitse henkilö eriävän mielipiteen jättäneisiin tai jätä perustelu tyhjäksi."
        in response.content.decode()
    )
    assert not Decision.objects.filter(agenda_item=item).exists()
    with pytest.raises(ValidationError, match="Perustelu annetaan vain eriävälle mielipiteelle."):
        services.decision_record(
            item=item,
            outcome="approved",
            dissent_reasons={huotari.pk: DISSENT_REASON},
            by=chair_user,
        )
    assert not Decision.objects.filter(agenda_item=item).exists()


def test_a_changed_reason_is_a_new_version_and_an_unchanged_one_is_not(sitting, chair_user):
    item = _item(sitting)
    huotari = person("Tiina", "Huotari")

    def decide(reason):
        return services.decision_record(
            item=item,
            outcome="approved",
            dissenters=[huotari],
            dissent_reasons={huotari.pk: reason},
            by=chair_user,
        )

    decide(DISSENT_REASON)
    dissent = Dissent.objects.get(decision__agenda_item=item)
    decide(DISSENT_REASON)
    assert dissent.history.count() == 1
    decide("Toinen perustelu.")
    dissent.refresh_from_db()
    assert dissent.reason == "Toinen perustelu." and dissent.history.count() == 2
    assert dissent.history.earliest().reason == DISSENT_REASON
