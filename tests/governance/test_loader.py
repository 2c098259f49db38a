"""The loader puts 6Aika's organisation into the portal exactly as the source page gives it."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from governance import organisation_6aika as data
from governance.models import Body, City, Organisation, Person, Seat

SOURCE = Path(__file__).resolve().parents[2] / "docs" / "sources" / "miten-6aika-toimii.txt"


def seat_rows(kind):
    return [
        (
            s.role,
            s.member.full_name if s.member else None,
            s.member.title if s.member else None,
            s.organisation.name if s.organisation else None,
            s.deputy.full_name if s.deputy else None,
            s.deputy.title if s.deputy else None,
            s.deputy.organisation.name if s.deputy else None,
        )
        for s in Seat.objects.filter(body__kind=kind).order_by("order")
    ]


@pytest.mark.django_db
def test_board_seats_are_exactly_the_page():
    call_command("load_6aika")
    assert seat_rows("board") == [
        ("chair", "Tuula Antola", "Elinkeinojohtaja", "Espoon kaupunki",
         "Pia Wollsten", "Kehittämispäällikkö", "Espoon kaupunki"),
        ("member", "Juha Ala-Mursula", "Johtaja", "BusinessOulu",
         "Aarne Kultalahti", "Innovaatiopäällikkö", "BusinessOulu"),
        ("member", "Kimmo Viljamaa", "Elinkeinojohtaja", "Vantaan kaupunki",
         "Jaakko Niinistö", "Kasvupalvelujohtaja", "Vantaan kaupunki"),
        ("member", "Teppo Rantanen", "Elinvoiman ja kilpailukyvyn palvelualueen johtaja",
         "Tampereen kaupunki", "Tero Tenhunen", "Hankejohtaja", "Tampereen kaupunki"),
        ("member", "Marja-Leena Rinkineva", "Elinkeinojohtaja", "Helsingin kaupunki",
         "Santtu von Bruun", "Yksikön päällikkö", "Helsingin kaupunki"),
        ("vice_chair", "Pekka Sundman", "Kaupunkikehitysryhmän johtaja", "Turun kaupunki",
         "Niko Kyynäräinen", "Toimitusjohtaja", "Turku Science Park Oy"),
        ("member", "Tiina Huotari", "Ohjelmajohtaja", "Uudenmaan liitto",
         "Hanna Laaksonen", "Rakennerahastoasiantuntija", "Uudenmaan liitto"),
        ("member", "Johanna Osenius", "Aluekehitysjohtaja", "Työ- ja elinkeinoministeriö",
         None, None, None),
        ("presenter", "Mika Perttunen", "Erityisasiantuntija", "Vantaan kaupunki",
         None, None, None),
    ]  # fmt: skip


@pytest.mark.django_db
def test_steering_group_seats_are_exactly_the_page():
    call_command("load_6aika")
    rows = seat_rows("steering_group")
    assert rows[:10] == [
        ("chair", "Mika Perttunen", "Erityisasiantuntija", "Vantaan kaupunki",
         None, None, None),
        ("member", "Riitta Birkstedt", "Hankejohtaja", "Turun kaupunki",
         "Marko Puhtila", "Kasvuvalmentaja", "Turku Science Park Oy"),
        ("member", "Aarne Kultalahti", "Innovaatiopäällikkö", "BusinessOulu",
         "Ari Saine", "Rahoitusasiantuntija", "BusinessOulu"),
        ("member", "Kimmo Heinonen", "Johtava asiantuntija", "Helsingin kaupunki",
         "Anna Lehtovaara", "Erityissuunnittelija", "Helsingin kaupunki"),
        ("member", "Päivi Sutinen", "Palvelukehitysjohtaja", "Espoon kaupunki",
         "Teuvo Savikko", "Tutkimusjohtaja", "Espoon kaupunki"),
        ("vice_chair", "Seppo Haataja", "Johtaja", "Business Tampere Oy",
         "Timo Antikainen", "Elinkeinojohtaja", "Tampereen kaupunki"),
        ("member", "Tiina Huotari", "Ohjelmajohtaja", "Uudenmaan liitto",
         "Hanna Laaksonen", "Rakennerahastoasiantuntija", "Uudenmaan liitto"),
        ("member", "Jukka Anttila", "Rahoitusasiantuntija", "Hämeen ELY-keskus",
         None, None, None),
        ("member", "Olli Voutilainen", "Ylitarkastaja", "Työ- ja elinkeinoministeriö",
         None, None, None),
        ("member", "Maaria Mäntyniemi", "Neuvotteleva virkamies",
         "Liikenne- ja viestintäministeriö", None, None, None),
    ]  # fmt: skip
    rotating = Seat.objects.get(body__kind="steering_group", is_rotating=True)
    assert rows[10] == ("member", None, None, None, None, None, None)
    assert rotating.label_fi == "6Aika-kaupunkikoordinaattori (vaihtuva edustus)"
    assert Person.objects.get(last_name="Voutilainen").unit == "alueet ja kasvupalvelut"


@pytest.mark.django_db
def test_counts_and_shared_people():
    call_command("load_6aika")
    board = Body.objects.get(kind="board")
    steering = Body.objects.get(kind="steering_group")
    assert board.seats.count() == 9
    assert board.seats.exclude(deputy=None).count() == 7
    assert steering.seats.filter(is_rotating=False).count() == 10
    assert steering.seats.exclude(deputy=None).count() == 6
    assert steering.seats.filter(is_rotating=True).count() == 1
    # One person, several places: member in both bodies, or member here and deputy there.
    perttunen = Person.objects.get(last_name="Perttunen")
    assert set(perttunen.seats.values_list("body__kind", "role")) == {
        ("board", "presenter"),
        ("steering_group", "chair"),
    }
    kultalahti = Person.objects.get(last_name="Kultalahti")
    assert kultalahti.seats.get().body.kind == "steering_group"
    assert kultalahti.deputy_seats.get().body.kind == "board"
    assert Person.objects.get(last_name="Laaksonen").deputy_seats.count() == 2
    assert City.objects.count() == 6
    assert Organisation.objects.get(name="BusinessOulu").city.slug == "oulu"


@pytest.mark.django_db
def test_loader_is_idempotent():
    call_command("load_6aika")
    before = {
        m.__name__: list(m.objects.order_by("pk").values())
        for m in (City, Organisation, Person, Body, Seat)
    }
    call_command("load_6aika")
    after = {
        m.__name__: list(m.objects.order_by("pk").values())
        for m in (City, Organisation, Person, Body, Seat)
    }
    assert before == after


def _flat(text):
    return re.sub(r"\s+", " ", text)


def test_every_transcribed_fact_stands_in_the_source_page():
    """Guards the transcription: each name, title (case-insensitive), organisation and unit
    of data.py is found in the source page, within the member's own line."""
    page = SOURCE.read_text(encoding="utf-8")
    lines = [_flat(line) for line in page.splitlines() if line.strip()]
    people = [
        person
        for seats in (data.BOARD_SEATS, data.STEERING_GROUP_SEATS)
        for _role, member, deputy in seats
        for person in (member, deputy)
        if person
    ]
    assert len(people) == 9 + 7 + 10 + 6
    for first, last, title, org, unit in people:
        name = f"{first} {last}"
        line = next((ln for ln in lines if name in ln), None)
        assert line is not None, f"{name} is not on the source page"
        # A person can have several lines (Laaksonen); one of them holds all their facts.
        candidates = [ln for ln in lines if name in ln]
        org_names = [org, *data.SEED_ALIASES.get(org, [])]
        assert any(
            title.lower() in ln.lower()
            and any(o.lower() in ln.lower() for o in org_names)
            and unit in ln
            for ln in candidates
        ), f"{name}: title/organisation/unit not as on the page: {candidates}"
    assert _flat(data.ROTATING_SEAT_LABELS["fi"]) in lines


def test_roles_match_the_page():
    page = SOURCE.read_text(encoding="utf-8")
    assert "Tuula Antola, Espoon kaupunki, puheenjohtaja" in page
    assert data.BOARD_SEATS[0][0] == "chair"
    assert "Pekka Sundman, Turun kaupunki, varapuheenjohtaja" in page
    assert data.BOARD_SEATS[5][0] == "vice_chair"
    assert "Mika Perttunen, Vantaan kaupunki (esittelijä" in page
    assert data.BOARD_SEATS[8][0] == "presenter"
    assert "Mika Perttunen, Vantaan kaupunki, puheenjohtaja" in page
    assert data.STEERING_GROUP_SEATS[0][0] == "chair"
    assert "Seppo Haataja, Business Tampere, varapuheenjohtaja" in page
    assert data.STEERING_GROUP_SEATS[5][0] == "vice_chair"


@pytest.mark.django_db
def test_a_second_load_keeps_what_the_office_changed_and_resync_restores_the_page():
    """load_6aika runs at every deploy: it creates what is missing and reverts nothing; only an
    explicit --resync makes the bodies and their seats the source page again."""
    call_command("load_6aika")
    chair = Seat.objects.get(body__kind="board", role="chair")
    newcomer = Person.objects.create(
        first_name="Uusi", last_name="Jäsen", organisation=chair.organisation
    )
    chair.member = newcomer
    chair.save()
    Seat.objects.filter(body__kind="board", role="presenter").delete()
    board = Body.objects.get(kind="board")
    board.name_fi = "Johtoryhmä (muutettu)"
    board.save()
    City.objects.filter(slug="oulu").update(name_fi="Oulu (muutettu)")

    call_command("load_6aika")
    assert Seat.objects.get(body__kind="board", role="chair").member == newcomer
    assert not Seat.objects.filter(body__kind="board", role="presenter").exists()
    assert Body.objects.get(kind="board").name_fi == "Johtoryhmä (muutettu)"
    assert City.objects.get(slug="oulu").name_fi == "Oulu (muutettu)"

    call_command("load_6aika", "--resync")
    assert Seat.objects.get(body__kind="board", role="chair").member.full_name == "Tuula Antola"
    assert Seat.objects.filter(body__kind="board", role="presenter").count() == 1
    assert Body.objects.get(kind="board").name_fi != "Johtoryhmä (muutettu)"
    assert City.objects.get(slug="oulu").name_fi == "Oulu"


@pytest.mark.django_db
def test_a_missing_body_is_created_on_the_next_load():
    call_command("load_6aika")
    Body.objects.filter(kind="steering_group").delete()
    call_command("load_6aika")
    assert Body.objects.get(kind="steering_group").seats.count() == 11


@pytest.mark.django_db
def test_names_and_titles_in_swedish_and_english():
    """Cities, bodies and the people's titles read in Swedish and English (issue 18)."""
    from django.utils import translation

    call_command("load_6aika", verbosity=0)
    people = Person.objects.exclude(title_fi="")
    assert people.exists()
    assert not people.filter(title_sv="").exists(), "every title has its Swedish form"
    assert not people.filter(title_en="").exists(), "every title has its English form"
    with translation.override("sv"):
        assert [c.name for c in City.objects.order_by("order")] == [
            "Helsingfors",
            "Esbo",
            "Vanda",
            "Tammerfors",
            "Åbo",
            "Uleåborg",
        ]
        assert Body.objects.get(kind="board").name == "Ledningsgrupp"
        assert Person.objects.get(last_name="Antola").title == "Näringslivsdirektör"
        assert Person.objects.get(last_name="Mäntyniemi").unit.startswith("dataavdelningen")
    with translation.override("en"):
        assert Body.objects.get(kind="steering_group").name == "Steering group"
        assert Person.objects.get(last_name="Antola").title == "Director of Economic Development"
