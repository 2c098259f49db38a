"""Coordination pages as users see them: public facts, permissions, forms and bad input."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from coordination import demo
from coordination.models import (
    AnnualClockEvent,
    CityCoordinator,
    Event,
    EventMaterial,
    RotatingSeatTurn,
    VisitorGroup,
)
from governance.models import City, Organisation, Seat
from projects.models import Project
from projects.services import theme_upsert
from tests.projects.factories import project as project_factory

from .factories import PersonFactory, VisitorGroupFactory, project_with_contacts

pytestmark = pytest.mark.django_db


# --- Coordinators and the city page -------------------------------------------------------------


def test_coordinators_page_is_public_without_contact_details(client, demo_users):
    html = client.get(reverse("coordination:coordinators")).content.decode()
    assert "Demo Koordinaattori Tampere" in html
    assert "koordinaattori.tampere@example.invalid" not in html
    assert (
        "Nyt vuorossa: Tampere" in html
    )  # the rotating seat's current turn (demo: this year Tampere)


def test_logged_in_user_sees_contact_details(client_as):
    html = client_as("rahoittaja").get(reverse("coordination:coordinators")).content.decode()
    assert "koordinaattori.tampere@example.invalid" in html


def test_office_assigns_a_coordinator_in_the_browser(client_as):
    person = PersonFactory()
    response = client_as("toimisto").post(
        reverse("coordination:coordinator_assign"),
        {"city": City.objects.get(slug="oulu").pk, "person": person.pk, "since": "2026-01-02"},
    )
    assert response.status_code == 302
    current = CityCoordinator.objects.get(city__slug="oulu", until__isnull=True)
    assert current.person == person
    assert CityCoordinator.objects.get(city__slug="oulu", until__isnull=False).until == (
        datetime.date(2026, 1, 1)
    )


def test_assign_form_bad_input_says_what_and_saves_nothing(client_as):
    before = CityCoordinator.objects.count()
    response = client_as("toimisto").post(
        reverse("coordination:coordinator_assign"),
        {"city": City.objects.get(slug="oulu").pk, "person": "", "since": "2099-01-01"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "error-summary" in html
    assert "Tämä kenttä vaaditaan" in html
    assert CityCoordinator.objects.count() == before
    person = PersonFactory()
    response = client_as("toimisto").post(
        reverse("coordination:coordinator_assign"),
        {"city": City.objects.get(slug="oulu").pk, "person": person.pk, "since": "2099-01-01"},
    )
    assert "Aloituspäivä ei voi olla tulevaisuudessa." in response.content.decode()
    assert CityCoordinator.objects.count() == before


def test_coordinator_cannot_assign_coordinators(client_as):
    assert (
        client_as("koordinaattori-oulu").get(reverse("coordination:coordinator_assign")).status_code
        == 403
    )


def test_seat_turn_form_rejects_overlap(client_as):
    seat = Seat.objects.get(is_rotating=True)
    before = RotatingSeatTurn.objects.count()
    response = client_as("toimisto").post(
        reverse("coordination:seat_turn_add"),
        {
            "seat": seat.pk,
            "city": City.objects.get(slug="oulu").pk,
            "starts_on": timezone.localdate().isoformat(),
        },
    )
    assert "päällekkäin" in response.content.decode()
    assert RotatingSeatTurn.objects.count() == before


def test_city_page_shows_coordinator_and_representatives(client, demo_users):
    html = client.get(reverse("coordination:city", args=["oulu"])).content.decode()
    assert "Demo Koordinaattori Oulu" in html
    assert "Juha Ala-Mursula" in html  # board member for BusinessOulu
    assert "Aarne Kultalahti" in html  # deputy on the board, member of the steering group
    assert "Ari Saine" in html
    assert "Tuula Antola" not in html  # Espoo
    assert "@example.invalid" not in html


def test_city_page_lists_projects_with_their_contacts(client, client_as, demo_users):
    project = project_with_contacts(1)
    elsewhere = project_factory(name="Helsingin ja Espoon testihanke", cities=("helsinki", "espoo"))
    page = reverse("coordination:city", args=["oulu"])
    html = client.get(page).content.decode()
    assert "Oulun testihanke 1" in html
    assert reverse("projects:detail", args=[project.pk]) in html
    assert elsewhere.name not in html
    # The demo's Oulu projects, with their implementers' people.
    assert "Demo – Kiertotalouden kokeilualusta" in html
    assert "Marko Puhtila" in html  # Turku Science Park, an implementer of the circular pilot
    # The named contact person first, then the people of each implementer.
    row = html[html.index("Oulun testihanke 1") :]
    row = row[: row.index("</tr>")]
    assert row.index("Hankkeen yhteyshenkilöt") < row.index("Yhteyshenkilö1 Henkilö")
    assert "Toteuttaja1 Henkilö" in row
    assert "Toteuttaja oulu" in row and "(päätoteuttaja)" in row
    # Personal details are for logged-in users only.
    assert "yhteyshenkilo1@example.invalid" not in html
    assert "toteuttaja1@example.invalid" not in html
    logged_in = client_as("rahoittaja").get(page).content.decode()
    assert 'href="mailto:yhteyshenkilo1@example.invalid"' in logged_in
    assert 'href="tel:0407654321"' in logged_in
    assert 'href="mailto:toteuttaja1@example.invalid"' in logged_in


def test_city_page_leaves_out_inactive_contact_persons(client, demo_users):
    project = project_with_contacts(2)
    get_user_model().objects.filter(username="yhteyshenkilo2").update(is_active=False)
    html = client.get(reverse("coordination:city", args=["oulu"])).content.decode()
    row = html[html.index(project.name) :]
    row = row[: row.index("</tr>")]
    assert "Hankkeen yhteyshenkilöt" not in row
    assert "Toteuttaja2 Henkilö" in row


def test_unknown_city_is_404(client, org_6aika):
    response = client.get(reverse("coordination:city", args=["pori"]))
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="fi">' in html and "<h1>Sivua ei löydy</h1>" in html  # the portal's page


def test_refused_page_is_the_portals_own_in_its_language(client_as):
    url = reverse("coordination:coordinator_assign")
    response = client_as("koordinaattori-oulu").get(url)
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="fi">' in html and "<h1>Ei käyttöoikeutta</h1>" in html


# --- Annual clock ---------------------------------------------------------------------------------


def test_annual_clock_shows_yearly_entries_in_every_later_year(client, demo_users):
    year = timezone.localdate().year + 1
    html = client.get(reverse("coordination:annual_clock"), {"year": year}).content.decode()
    assert "Hankkeiden seurantaraportit" in html
    assert f"Vuosikello {year}" in html
    listed = client.get(reverse("coordination:annual_clock"), {"year": year, "view": "list"})
    assert "Strategian vuosiraportin ajo" in listed.content.decode()


def test_coordinator_adds_a_city_entry_and_cannot_pick_another_city(client_as):
    client = client_as("koordinaattori-oulu")
    data = {
        "title_fi": "Oulun 6Aika-päivä",
        "kind": "other",
        "starts_on": "2026-09-10",
        "recurrence": "once",
        "city": City.objects.get(slug="turku").pk,
    }
    response = client.post(reverse("coordination:clock_event_create"), data)
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert not AnnualClockEvent.objects.filter(title_fi="Oulun 6Aika-päivä").exists()
    data["city"] = City.objects.get(slug="oulu").pk
    assert client.post(reverse("coordination:clock_event_create"), data).status_code == 302
    event = AnnualClockEvent.objects.get(title_fi="Oulun 6Aika-päivä")
    edit = reverse("coordination:clock_event_edit", args=[event.pk])
    assert client.get(edit).status_code == 200
    assert client_as("koordinaattori-turku").get(edit).status_code == 403
    assert client_as("toimisto").get(edit).status_code == 200


def test_clock_form_bad_times_say_what_and_save_nothing(client_as):
    before = AnnualClockEvent.objects.count()
    response = client_as("toimisto").post(
        reverse("coordination:clock_event_create"),
        {
            "title_fi": "Kokous",
            "kind": "other",
            "starts_on": "2026-09-10",
            "ends_on": "2026-09-01",
            "recurrence": "once",
        },
    )
    assert "Päättymispäivä ei voi olla ennen päivämäärää." in response.content.decode()
    response = client_as("toimisto").post(
        reverse("coordination:clock_event_create"),
        {
            "title_fi": "Kokous",
            "kind": "other",
            "starts_on": "2026-09-10",
            "start_time": "14:00",
            "end_time": "13:00",
            "recurrence": "once",
        },
    )
    assert "Päättymisajan on oltava aloitusajan jälkeen." in response.content.decode()
    assert AnnualClockEvent.objects.count() == before


def test_clock_entry_delete_is_post_only_and_checked(client_as):
    event = AnnualClockEvent.objects.first()
    url = reverse("coordination:clock_event_delete", args=[event.pk])
    assert client_as("toimisto").get(url).status_code == 405
    assert client_as("koordinaattori-oulu").post(url).status_code == 403
    assert client_as("toimisto").post(url).status_code == 302
    assert not AnnualClockEvent.objects.filter(pk=event.pk).exists()


# --- Visitor groups -------------------------------------------------------------------------------


def _group_data(**overrides):
    data = {
        "name": "Delegaatio Göteborgista",
        "origin": "international",
        "country": "Ruotsi",
        "requested_on": "2026-02-01",
        "visit_starts": "2026-04-01",
        "visit_ends": "2026-04-02",
        "host_cities": [City.objects.get(slug="oulu").pk],
        "topics": "Älykäs kaupunki",
    }
    data.update(overrides)
    return data


def test_coordinator_creates_a_visitor_group_for_their_city(client_as):
    client = client_as("koordinaattori-oulu")
    response = client.post(reverse("coordination:visitor_group_create"), _group_data())
    group = VisitorGroup.objects.get(name="Delegaatio Göteborgista")
    assert response["Location"] == reverse("coordination:visitor_group", args=[group.pk])
    assert (
        client.get(reverse("coordination:visitor_group_edit", args=[group.pk])).status_code == 200
    )
    other = client_as("koordinaattori-turku")
    assert other.get(reverse("coordination:visitor_group_edit", args=[group.pk])).status_code == 403
    assert other.get(reverse("coordination:visitor_group", args=[group.pk])).status_code == 200


def test_visitor_group_form_bad_input(client_as):
    client = client_as("koordinaattori-oulu")
    response = client.post(
        reverse("coordination:visitor_group_create"),
        _group_data(host_cities=[City.objects.get(slug="turku").pk], visit_ends="2026-03-01"),
    )
    html = response.content.decode()
    assert "Valitse isäntäkaupungeista jokin koordinoimasi kaupunki." in html
    assert "Vierailu ei voi päättyä ennen kuin se alkaa." in html
    assert not VisitorGroup.objects.filter(name="Delegaatio Göteborgista").exists()


def test_visitor_group_status_changes_through_the_detail_page(client_as):
    group = VisitorGroup.objects.get(name=demo.DEMO_VISITOR_GROUP)
    url = reverse("coordination:visitor_group_status", args=[group.pk])
    assert client_as("koordinaattori-oulu").post(url, {"status": "confirmed"}).status_code == 403
    client = client_as("koordinaattori-tampere")
    response = client.post(url, {"status": "held"}, follow=True)
    assert VisitorGroup.objects.get(pk=group.pk).status == "requested"
    assert "error" in response.content.decode()
    client.post(url, {"status": "confirmed"})
    assert VisitorGroup.objects.get(pk=group.pk).status == "confirmed"


def _shared_group_data(group, host_slugs):
    data = _group_data(name=group.name, origin=group.origin, country=group.country)
    data["requested_on"] = group.requested_on.isoformat()
    data["visit_starts"] = group.visit_starts.isoformat() if group.visit_starts else ""
    data["visit_ends"] = group.visit_ends.isoformat() if group.visit_ends else ""
    data["topics"] = group.topics
    data["host_cities"] = [City.objects.get(slug=slug).pk for slug in host_slugs]
    return data


def test_a_host_city_cannot_remove_another_from_a_shared_visit(client_as):
    group = VisitorGroup.objects.get(name=demo.DEMO_VISITOR_GROUP)  # Tampere and Helsinki
    url = reverse("coordination:visitor_group_edit", args=[group.pk])
    response = client_as("koordinaattori-tampere").post(url, _shared_group_data(group, ["tampere"]))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Et voi poistaa isäntäkaupungeista: Helsinki" in html
    assert {c.slug for c in group.host_cities.all()} == {"tampere", "helsinki"}

    # Helsinki's own coordinator takes Helsinki off; the strategy office may take any city off.
    response = client_as("koordinaattori-helsinki").post(
        url, _shared_group_data(group, ["tampere"])
    )
    assert response.status_code == 302
    assert {c.slug for c in group.host_cities.all()} == {"tampere"}
    both = _shared_group_data(group, ["tampere", "helsinki"])
    assert client_as("toimisto").post(url, both).status_code == 302
    assert client_as("toimisto").post(url, _shared_group_data(group, ["helsinki"])).status_code
    assert {c.slug for c in group.host_cities.all()} == {"helsinki"}


def test_visitor_groups_need_login(client, demo_users):
    response = client.get(reverse("coordination:visitor_groups"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- Events ---------------------------------------------------------------------------------------


def test_event_form_needs_place_or_link_and_an_organiser_of_own_city(client_as):
    client = client_as("koordinaattori-oulu")
    data = {
        "title": "Roadshow Oulussa",
        "kind": "roadshow",
        "starts_on": "2026-05-05",
        "organiser": Organisation.objects.get(name="BusinessOulu").pk,
    }
    response = client.post(reverse("coordination:event_create"), data)
    assert "Anna paikka, verkkolinkki tai molemmat." in response.content.decode()
    data["place"] = "Oulu"
    data["organiser"] = Organisation.objects.get(name="Turun kaupunki").pk
    response = client.post(reverse("coordination:event_create"), data)
    assert "error-summary" in response.content.decode()
    assert not Event.objects.filter(title="Roadshow Oulussa").exists()
    data["organiser"] = Organisation.objects.get(name="BusinessOulu").pk
    data["online_link"] = "https://example.org/live"
    assert client.post(reverse("coordination:event_create"), data).status_code == 302
    assert Event.objects.get(title="Roadshow Oulussa").is_hybrid


def test_material_upload_is_validated(client_as):
    event = Event.objects.get(title=demo.DEMO_EVENT)
    client = client_as("koordinaattori-tampere")
    url = reverse("coordination:event_material_add", args=[event.pk])
    before = EventMaterial.objects.count()
    bad = SimpleUploadedFile("virus.exe", b"MZ...", content_type="application/octet-stream")
    response = client.post(url, {"title": "Ohjelma", "file": bad})
    assert "ei ole sallittu" in response.content.decode()
    response = client.post(url, {"title": "Ei mitään"})
    assert "Anna joko tiedosto tai linkki." in response.content.decode()
    assert EventMaterial.objects.count() == before
    good = SimpleUploadedFile("kalvot.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    assert client.post(url, {"title": "Kalvot", "file": good}).status_code == 302
    material = EventMaterial.objects.get(title="Kalvot")
    download = client_as("rahoittaja").get(
        reverse("coordination:event_material_download", args=[material.pk])
    )
    assert b"".join(download.streaming_content) == b"%PDF-1.4 test"
    assert (
        client_as("koordinaattori-oulu")
        .post(reverse("coordination:event_material_delete", args=[material.pk]))
        .status_code
        == 403
    )
    client.post(reverse("coordination:event_material_delete", args=[material.pk]))
    assert not EventMaterial.objects.filter(pk=material.pk).exists()


def test_material_too_large_is_refused(client_as, settings):
    from coordination import models

    event = Event.objects.get(title=demo.DEMO_EVENT)
    big = SimpleUploadedFile("iso.pdf", b"x" * (models.MATERIAL_MAX_BYTES + 1))
    response = client_as("toimisto").post(
        reverse("coordination:event_material_add", args=[event.pk]), {"title": "Iso", "file": big}
    )
    assert "suurin sallittu on 20 Mt" in response.content.decode()
    assert not EventMaterial.objects.filter(title="Iso").exists()


def test_visitor_group_factory_hosts_show_on_detail(client_as):
    group = VisitorGroupFactory()
    html = (
        client_as("johtoryhma")
        .get(reverse("coordination:visitor_group", args=[group.pk]))
        .content.decode()
    )
    assert group.hosts.get().full_name in html


def test_a_visits_status_history_shows_who_moved_it(client_as):
    group = VisitorGroupFactory(visit_starts=datetime.date(2026, 5, 5))
    page = reverse("coordination:visitor_group", args=[group.pk])
    assert "Tilahistoria" not in client_as("johtoryhma").get(page).content.decode()
    response = client_as("toimisto").post(
        reverse("coordination:visitor_group_status", args=[group.pk]), {"status": "confirmed"}
    )
    assert response.status_code == 302
    html = client_as("johtoryhma").get(page).content.decode()
    history = html[html.index("Tilahistoria") :]
    assert "<strong>Vahvistettu</strong>" in history and "(toimisto)" in history


# --- Results adoption and the contact finder ------------------------------------------------------


def test_results_page_shows_the_spread_between_cities(client_as):
    html = client_as("johtoryhma").get(reverse("coordination:results")).content.decode()
    assert demo.DEMO_RESULT in html
    assert "Tulosten käyttöönotto" in html


def test_coordinator_records_an_adoption_for_their_city_only(client_as):
    from coordination.models import ResultAdoption
    from projects.models import Project

    project = Project.objects.first()
    client = client_as("koordinaattori-turku")
    data = {
        "project": project.pk,
        "result": "Palvelumuotoilun malli",
        "city": City.objects.get(slug="oulu").pk,
        "adopted_on": "2026-03-01",
    }
    response = client.post(reverse("coordination:result_create"), data)
    assert response.status_code == 400 and "error-summary" in response.content.decode()
    assert not ResultAdoption.objects.filter(result="Palvelumuotoilun malli").exists()
    data["city"] = City.objects.get(slug="turku").pk
    assert client.post(reverse("coordination:result_create"), data).status_code == 302
    response = client.post(reverse("coordination:result_create"), data)
    assert "Kaupunki on jo ottanut tämän tuloksen käyttöön." in response.content.decode()
    adoption = ResultAdoption.objects.get(result="Palvelumuotoilun malli")
    delete = reverse("coordination:result_delete", args=[adoption.pk])
    assert client_as("koordinaattori-oulu").post(delete).status_code == 403
    assert client.post(delete).status_code == 302
    assert not ResultAdoption.objects.filter(pk=adoption.pk).exists()


def test_contact_finder_who_in_oulu(client, demo_users):
    oulu = City.objects.get(slug="oulu")
    url = reverse("coordination:contacts")
    html = client.get(url, {"city": oulu.pk, "role": "board"}).content.decode()
    assert "Juha Ala-Mursula" in html and "Aarne Kultalahti" in html
    assert "Tuula Antola" not in html
    html = client.get(url, {"city": oulu.pk, "role": "coordinator"}).content.decode()
    assert "Demo Koordinaattori Oulu" in html
    assert "koordinaattori.oulu@example.invalid" not in html


def test_contact_finder_shows_details_to_logged_in_users(client_as):
    oulu = City.objects.get(slug="oulu")
    html = (
        client_as("rahoittaja")
        .get(reverse("coordination:contacts"), {"city": oulu.pk, "text": "koordinaattori"})
        .content.decode()
    )
    assert "koordinaattori.oulu@example.invalid" in html


def test_contact_finder_by_project_theme_words(client, demo_users):
    from projects.models import Implementer

    implementer = Implementer.objects.select_related("organisation", "project").first()
    person = PersonFactory(organisation=implementer.organisation, title="Hankeasiantuntija")
    word = implementer.project.name.split()[-1]
    html = client.get(reverse("coordination:contacts"), {"text": word}).content.decode()
    assert person.full_name in html
    assert implementer.organisation.name in html


def _themed_projects():
    """Two projects of Oulu and Turku under different themes, a person in each Oulu
    implementer and one in an Oulu organisation that implements nothing."""
    open_data = theme_upsert(slug="test-open-data", names={"fi": "Testiteema: avoin data"})
    circular = theme_upsert(slug="test-circular", names={"fi": "Testiteema: kiertotalous"})
    data_project = project_factory(name="Rajapintahanke", cities=("oulu", "turku"))
    circular_project = project_factory(name="Materiaalihanke", cities=("oulu", "turku"))
    Project.objects.filter(pk=data_project.pk).update(theme=open_data)
    Project.objects.filter(pk=circular_project.pk).update(theme=circular)

    def person_in(project, city_slug: str, name: str):
        organisation = project.implementers.get(organisation__city__slug=city_slug).organisation
        return PersonFactory(first_name=name, organisation=organisation)

    return {
        "open_data": open_data,
        "circular": circular,
        "oulu_data": person_in(data_project, "oulu", "Datahenkilö"),
        "turku_data": person_in(data_project, "turku", "Turkulainen"),
        "oulu_circular": person_in(circular_project, "oulu", "Kiertohenkilö"),
        "no_projects": PersonFactory(first_name="Hankkeeton"),  # in Oulun kaupunki
    }


def test_contact_finder_theme_filter(client, org_6aika):
    """The theme filter itself, no words: the people of organisations implementing a project
    of the theme, narrowed by city; the theme's name never appears in the search words."""
    data = _themed_projects()
    url = reverse("coordination:contacts")
    oulu = City.objects.get(slug="oulu")

    response = client.get(url, {"theme": data["open_data"].pk})
    assert set(response.context["people"]) == {data["oulu_data"], data["turku_data"]}
    html = response.content.decode()
    assert "Rajapintahanke" in html and "Materiaalihanke" not in html

    response = client.get(url, {"theme": data["open_data"].pk, "city": oulu.pk})
    assert response.context["people"] == [data["oulu_data"]]
    organisations = response.context["organisations"]
    assert [o.name for o in organisations] == [data["oulu_data"].organisation.name]
    html = response.content.decode()
    assert "Datahenkilö Henkilö" in html
    assert "Kiertohenkilö" not in html and "Hankkeeton" not in html and "Turkulainen" not in html

    response = client.get(url, {"theme": data["circular"].pk, "city": oulu.pk})
    assert response.context["people"] == [data["oulu_circular"]]


def test_contact_finder_theme_combines_with_role_and_words(client, org_6aika):
    data = _themed_projects()
    url = reverse("coordination:contacts")
    theme = data["open_data"].pk
    # Everyone found by the theme works in an organisation implementing projects.
    response = client.get(url, {"theme": theme, "role": "project"})
    assert set(response.context["people"]) == {data["oulu_data"], data["turku_data"]}
    # Nobody found by the theme sits in the board.
    response = client.get(url, {"theme": theme, "role": "board"})
    assert response.context["people"] == []
    assert response.context["organisations"] == []
    # Words narrow the theme's people further.
    response = client.get(url, {"theme": theme, "text": "Turkulainen"})
    assert response.context["people"] == [data["turku_data"]]


def test_contact_finder_unknown_theme_says_what_and_searches_nothing(client, org_6aika):
    response = client.get(reverse("coordination:contacts"), {"theme": "999999"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "error-summary" in html
    assert "Teema" in html and "Valitse oikea vaihtoehto" in html
    assert response.context["searched"] is False
    assert response.context["people"] == []


def test_contact_finder_bad_input_is_reported(client, org_6aika):
    response = client.get(reverse("coordination:contacts"), {"city": "999999"})
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()


def test_sixnet_roadshow_is_seeded_once_sixnet_exists(client_as):
    from projects.seed import sixnet_load

    sixnet_load()
    demo.coordination_demo_load()
    demo.coordination_demo_load()
    roadshow = Event.objects.get(title=demo.DEMO_ROADSHOW)
    assert roadshow.is_hybrid and roadshow.kind == "roadshow"
    assert roadshow.project.name_fi.startswith("SIXNET")
    html = client_as("rahoittaja").get(reverse("coordination:events")).content.decode()
    assert demo.DEMO_ROADSHOW in html
    assert "ja verkossa (hybridi)" in html


def test_contact_finder_lists_own_matches_before_organisation_matches(client, demo_users):
    from governance.models import Person

    oulu = City.objects.get(slug="oulu")
    expert = PersonFactory(title="Avoimen datan asiantuntija")  # in Oulun kaupunki
    response = client.get(reverse("coordination:contacts"), {"city": oulu.pk, "text": "datan"})
    people = response.context["people"]
    assert people[0] == expert
    others = [p for p in people[1:] if p != expert]
    assert all(not p.direct_match for p in others)
    assert Person.objects.filter(organisation__city=oulu).count() >= len(people)


def test_office_ends_a_term_and_the_coordinator_loses_the_city(client_as, demo_users):
    from django.contrib.auth import get_user_model

    term = CityCoordinator.objects.get(city__slug="turku", until__isnull=True)
    url = reverse("coordination:coordinator_end", args=[term.pk])
    response = client_as("toimisto").post(url, {"until": "2099-01-01"})
    assert "Päättymispäivä ei voi olla tulevaisuudessa." in response.content.decode()
    assert CityCoordinator.objects.get(pk=term.pk).until is None
    assert (
        client_as("toimisto").post(url, {"until": timezone.localdate().isoformat()}).status_code
        == 302
    )
    user = get_user_model().objects.get(username="koordinaattori-turku")
    client = client_as("koordinaattori-turku")
    client.force_login(user)
    assert client.get(reverse("coordination:visitor_group_create")).status_code == 403


def test_visit_report_is_written_after_the_visit(client_as):
    group = VisitorGroup.objects.get(name=demo.DEMO_VISITOR_GROUP)
    client = client_as("koordinaattori-helsinki")
    url = reverse("coordination:visitor_group_report", args=[group.pk])
    response = client.post(url, {"report": "Hyvä käynti."})
    assert "Kirjoita raportti, kun vierailu on pidetty." in response.content.decode()
    status = reverse("coordination:visitor_group_status", args=[group.pk])
    client.post(status, {"status": "confirmed"})
    client.post(status, {"status": "held"})
    assert client.post(url, {"report": ""}).status_code == 400  # required: nothing saved
    assert client.post(url, {"report": "Hyvä käynti."}).status_code == 302
    assert VisitorGroup.objects.get(pk=group.pk).report == "Hyvä käynti."
