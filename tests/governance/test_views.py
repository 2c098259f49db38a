"""The public governance page shows both bodies as the source page does, but structured."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

from governance.models import Body, Organisation, Person, Seat

# The source page, as transcribed in the seed (shared/seeds/000_65ac14275d5273b8.txt).
SOURCE = Path(__file__).resolve().parents[2] / "docs" / "sources" / "miten-6aika-toimii.txt"
NO_DEPUTY = "ei varajäsentä"


class _Bodies(HTMLParser):
    """Each <section>: its heading, table caption, column headings and body rows; a row is a
    list of (tag, text) cells, the text with its whitespace collapsed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[dict] = []
        self._text: list[str] | None = None
        self._cell_tag = ""
        self._in = ""  # "thead" or "tbody"

    def handle_starttag(self, tag, attrs):
        if tag == "section":
            self.sections.append({"heading": "", "caption": "", "columns": [], "rows": []})
        elif tag in ("thead", "tbody"):
            self._in = tag
        elif tag == "tr" and self._in == "tbody":
            self.sections[-1]["rows"].append([])
        elif tag in ("h2", "caption", "th", "td") and self.sections:
            self._text, self._cell_tag = [], tag
            if tag == "th" and self._in == "tbody":
                self._cell_tag = f"th scope={dict(attrs).get('scope')}"

    def handle_endtag(self, tag):
        if tag in ("thead", "tbody"):
            self._in = ""
        if self._text is None or tag not in ("h2", "caption", "th", "td"):
            return
        text = " ".join("".join(self._text).split())
        section = self.sections[-1]
        if tag == "h2":
            section["heading"] = text
        elif tag == "caption":
            section["caption"] = text
        elif self._in == "thead":
            section["columns"].append(text)
        else:
            section["rows"][-1].append((self._cell_tag, text))
        self._text = None

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)


def _seed_entries(heading: str, end: str | None) -> list[list[str]]:
    """The seed's entries under ``heading`` (up to ``end``): each a list of its lines."""
    text = SOURCE.read_text(encoding="utf-8")
    part = text.split(heading, 1)[1]
    if end:
        part = part.split(end, 1)[0]
    return [block.strip().splitlines() for block in re.split(r"\n\s*\n", part) if block.strip()]


def _plain(text: str) -> str:
    return " ".join(text.replace(",", " ").lower().split())


def _starts_with_person(seed_line: str, name_and_title: str) -> str:
    """``seed_line`` begins "Title First Last," as the page's "First Last, title" says; returns
    the rest of the seed line (organisation, role)."""
    name, _, title = name_and_title.partition(", ")
    expected = _plain(f"{title} {name}")
    assert _plain(seed_line).startswith(expected), f"{seed_line!r} is not {name_and_title!r}"
    return _plain(seed_line)[len(expected) :].strip()


def _same_organisation(page_org: str, seed_rest: str) -> bool:
    """The page gives a company's registered name ("Business Tampere Oy") where the seed may
    leave the "Oy" out."""
    org = _plain(page_org)
    return seed_rest.startswith(org) or seed_rest.startswith(org.removesuffix(" oy"))


def _seed_role(first_line: str) -> str:
    line = first_line.rstrip(", ")
    if "(esittelijä" in line:
        return "Esittelijä"
    if line.endswith(", varapuheenjohtaja"):
        return "Varapuheenjohtaja"
    if line.endswith(", puheenjohtaja"):
        return "Puheenjohtaja"
    return "Jäsen"


def _seed_deputy(entry: list[str]) -> str | None:
    """The deputy line "(varajäsen: Title Name, Organisation)" without its wrapping."""
    lines = [ln for ln in entry[1:] if ln.startswith("(varajäsen:")]
    return lines[0].removeprefix("(varajäsen:").rstrip(")").strip() if lines else None


def _check_rows_against_seed(rows, entries):
    assert len(rows) == len(entries), [r[1][1] for r in rows]
    for row, entry in zip(rows, entries, strict=True):
        (_, role), (member_tag, member), (_, org), (_, deputy) = row
        assert member_tag == "th scope=row", row
        assert role == _seed_role(entry[0]), (row, entry)
        rest = _starts_with_person(entry[0], member)
        assert _same_organisation(org, rest), f"{org!r} is not the seed's {entry[0]!r}"
        seed_deputy = _seed_deputy(entry)
        if seed_deputy is None:
            assert deputy == NO_DEPUTY, (row, entry)
            continue
        # "Name, title" and, when it differs from the seat's, "(organisation)"
        match = re.fullmatch(r"(?P<who>.+?)(?: \((?P<org>[^)]+)\))?", deputy)
        deputy_rest = _starts_with_person(seed_deputy, match["who"])
        deputy_org = match["org"] or org.split(", ")[0]
        assert _same_organisation(deputy_org, deputy_rest), (deputy, seed_deputy)


@pytest.mark.django_db
def test_governance_page_shows_each_seat_as_the_seed_gives_it(client, org_6aika):
    response = client.get(reverse("governance:bodies"))  # public: no login
    assert response.status_code == 200
    page = _Bodies()
    page.feed(response.content.decode())
    board, steering = page.sections
    columns = ["Rooli", "Jäsen", "Organisaatio", "Henkilökohtainen varajäsen"]

    assert (board["heading"], board["caption"]) == ("Johtoryhmä", "Johtoryhmä: 9 paikkaa")
    assert board["columns"] == columns
    board_entries = _seed_entries("Johtoryhmän jäsenet:", "Ohjausryhmän jäsenet:")
    # eight members and the presenter, seven of them with a personal deputy
    assert len(board["rows"]) == 9
    assert sum(row[3][1] != NO_DEPUTY for row in board["rows"]) == 7
    _check_rows_against_seed(board["rows"], board_entries)

    assert (steering["heading"], steering["caption"]) == ("Ohjausryhmä", "Ohjausryhmä: 11 paikkaa")
    assert steering["columns"] == columns
    *named, rotating = steering["rows"]
    steering_entries = _seed_entries("Ohjausryhmän jäsenet:", None)
    *named_entries, rotating_entry = steering_entries
    # ten named members, six of them with a personal deputy, and the rotating seat
    assert len(named) == 10
    assert sum(row[3][1] != NO_DEPUTY for row in named) == 6
    _check_rows_against_seed(named, named_entries)
    assert rotating_entry == ["6Aika-kaupunkikoordinaattori (vaihtuva edustus)"]
    assert rotating == [
        ("td", "Jäsen"),
        ("th scope=row", "6Aika-kaupunkikoordinaattori (vaihtuva edustus)"),
        ("td", "–"),
        ("td", NO_DEPUTY),
    ]


def test_the_seed_reader_reads_the_rows_the_checks_need():
    """The checks above compare with what this reader finds in the seed: make sure it finds
    the right entries, so that a page and a seed that both lost a row cannot pass."""
    board = _seed_entries("Johtoryhmän jäsenet:", "Ohjausryhmän jäsenet:")
    steering = _seed_entries("Ohjausryhmän jäsenet:", None)
    assert len(board) == 9 and len(steering) == 11
    assert [_seed_role(entry[0]) for entry in board] == [
        "Puheenjohtaja", *["Jäsen"] * 4, "Varapuheenjohtaja", "Jäsen", "Jäsen", "Esittelijä",
    ]  # fmt: skip
    assert [_seed_role(entry[0]) for entry in steering[:6]] == [
        "Puheenjohtaja", *["Jäsen"] * 4, "Varapuheenjohtaja",
    ]  # fmt: skip
    assert sum(_seed_deputy(entry) is not None for entry in board) == 7
    assert sum(_seed_deputy(entry) is not None for entry in steering) == 6
    lehtovaara = _seed_deputy(steering[3])
    assert _starts_with_person(lehtovaara, "Anna Lehtovaara, erityissuunnittelija") == (
        "helsingin kaupunki"
    )
    assert not _same_organisation("Business Oulu Oy", "businessoulu")
    assert _same_organisation("Business Tampere Oy", "business tampere varapuheenjohtaja")


def _add_seats(n):
    body = Body.objects.get(kind="board")
    org = Organisation.objects.create(name="Lisä Oy", kind="company")
    start = body.seats.count() + 1
    for i in range(n):
        member = Person.objects.create(first_name="Extra", last_name=f"Member{i}", organisation=org)
        deputy = Person.objects.create(first_name="Extra", last_name=f"Deputy{i}", organisation=org)
        Seat.objects.create(
            body=body, order=start + i, member=member, organisation=org, deputy=deputy
        )


@pytest.mark.django_db
@pytest.mark.parametrize("extra_seats", [0, 25])
def test_governance_page_query_count_does_not_grow_with_seats(
    client, org_6aika, django_assert_num_queries, extra_seats
):
    _add_seats(extra_seats)
    with django_assert_num_queries(2):  # bodies, seats with people and organisations
        response = client.get(reverse("governance:bodies"))
    assert response.status_code == 200
