"""Bad input to every import, through the page a person uses: what they are told (the row and
the column where it applies) and that nothing of the file was saved, nor kept for a later
"confirm".

The imports: projects (/projects/import/, CSV or XLSX), a call's applications
(/calls/<pk>/applications/import/, CSV) and the organisation directory
(/reports/exports/organisations/import/, CSV or XLSX). The admin offers no import
(``test_the_admin_offers_no_import`` keeps it so). Every import reads its file with
``projects.tables``; what each does with each bad input:

- Not UTF-8: refused. UTF-16 is named as such; otherwise the message names the byte and the row
  where the file stops being UTF-8 (Excel's plain "CSV" is Windows-1252). Nothing is guessed, so
  an ä is never stored as Ã¤.
- Text starting like a formula (= + - @): kept as typed (the portal shows it as text), and every
  spreadsheet export of it starts the cell with an apostrophe; re-importing an export takes the
  apostrophe off again. A formula in an amount, a date or a Business ID is refused like any bad
  value; a workbook formula with no saved result is refused with its row and column.
- A key twice in the file (project code or name, application title, organisation name or
  Business ID): refused, naming the earlier row. Against the database: a project's code and an
  organisation's name update the stored one (shown in the preview, never a second record); an
  application title already in the call, a Business ID of another organisation, or a project
  name whose stored project has another code: refused.
- Missing or unknown columns, no data rows, a blank file, a ragged row: refused, saying which.
- Unknown cities, end before start, granted or requested over the total, negative amounts,
  malformed Business IDs: refused with row and column.

Uploads of the wrong type, size or a lying extension are in ``test_bad_input_uploads.py``; a
50 MB and a zero-byte file in ``test_bad_input.py``.
"""

import csv
import html
import io
import re
import zipfile
from dataclasses import dataclass, field

import openpyxl
import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from calls import demo as calls_demo
from calls.models import Application, Call
from calls.services import IMPORT_COLUMNS
from governance.models import Organisation
from governance.validators import business_id_check_digit
from projects.exports import PORTFOLIO_COLUMNS, heading_aliases
from projects.models import Project

pytestmark = pytest.mark.django_db

FORMULAS = ['=HYPERLINK("http://example.org","x")', "+1+1", "-2+3", "@SUM(A1)"]


def business_id(body: str) -> str:
    return f"{body}-{business_id_check_digit(body)}"


# --- The imports --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Importer:
    id: str
    header: tuple[str, ...]
    key: str  # the column that names a row
    text: str  # a free-text column
    xlsx: bool  # takes a workbook too
    confirm: bool  # a preview first, then "confirm"
    session_key: str = ""
    exports: tuple[str, ...] = ()  # spreadsheet exports of what it imports
    duplicates: tuple[tuple[str, str], ...] = field(default=())  # (column, message) for a repeat

    def url(self) -> str:
        if self.id == "applications":
            return reverse("calls:application_import", args=[open_call().pk])
        return {
            "projects": reverse("projects:import"),
            "organisations": reverse("reports:organisations_import"),
        }[self.id]

    def row(self, n: int, **changes: str) -> dict[str, str]:
        """The n-th good row (each n unique), with ``changes``."""
        good = {
            "projects": {
                "code": f"T9900{n}",
                "name_fi": f"Testihanke {n}",
                "programme": "6aika",
                "lead_organisation": "Tampereen kaupunki",
                "partner_organisations": "Turun kaupunki",
                "cities": "Tampere; Turku",
                "instrument": "ESR",
                "funder": "Hämeen ELY-keskus",
                "total_budget_eur": "500000",
                "granted_eur": "400000",
                "start_date": "1.1.2023",
                "end_date": "31.12.2025",
            },
            "applications": {
                "title": f"Testihakemus {n}",
                "stage": "idea",
                "applicant": "Oulun kaupunki",
                "co_applicants": "Espoon kaupunki",
                "summary": "Tiivistelmä",
                "budget": "100000",
                "requested": "50000",
            },
            "organisations": {"name": f"Testiyritys {n} Oy", "kind": "company", "city": "oulu"},
        }[self.id]
        return {**good, **changes}

    def snapshot(self):
        if self.id == "projects":
            return sorted(
                Project.objects.values_list("code", "name_fi", "total_cost", "granted", "end_date")
            ), Organisation.objects.count()
        if self.id == "applications":
            return sorted(Application.objects.values_list("call_id", "stage", "title", "budget"))
        return sorted(Organisation.objects.values_list("name", "kind", "business_id", "city_id"))

    def stored_texts(self) -> list[str]:
        if self.id == "projects":
            return list(Project.objects.filter(code__startswith="T9900").values_list("name_fi"))
        if self.id == "applications":
            return list(open_call().applications.values_list("title"))
        return list(Organisation.objects.values_list("name"))


IMPORTERS = [
    Importer(
        "projects",
        tuple(PORTFOLIO_COLUMNS),
        key="code",
        text="name_fi",
        xlsx=True,
        confirm=True,
        session_key="projects_import_token",
        exports=(
            "/projects/export/?format=csv",
            "/projects/export/?format=xlsx",
            "/reports/exports/portfolio.csv",
            "/reports/exports/portfolio.xlsx",
        ),
        duplicates=(("code", "Sama tunnus on jo rivillä 2."), ("name_fi", "Sama nimi on jo")),
    ),
    Importer(
        "applications",
        tuple(IMPORT_COLUMNS),
        key="title",
        text="title",
        xlsx=False,
        confirm=True,
        session_key="calls_applications_import",
        # no export of applications exists: a title is shown on pages only (escaped)
        duplicates=(("title", "Sama otsikko on jo rivillä 2."),),
    ),
    Importer(
        "organisations",
        ("name", "kind", "business_id", "city"),
        key="name",
        text="name",
        xlsx=True,
        confirm=True,
        session_key="coordination_organisations_import",
        exports=("/reports/exports/organisations.csv", "/reports/exports/organisations.xlsx"),
        duplicates=(
            ("name", "Sama nimi on jo rivillä 2."),
            ("business_id", "Sama Y-tunnus on jo rivillä 2."),
        ),
    ),
]
BY_ID = {i.id: i for i in IMPORTERS}
with_xlsx = [i for i in IMPORTERS if i.xlsx]
with_exports = [i for i in IMPORTERS if i.exports]


def open_call() -> Call:
    return Call.objects.get(name=calls_demo.DEMO_OPEN_CALL)


# --- Files --------------------------------------------------------------------------------------


def csv_file(
    header, rows, *, delimiter: str = ",", encoding: str = "utf-8", extra: str = ""
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return (out.getvalue() + extra).encode(encoding)


def xlsx_file(header, rows, *, results: dict[str, object] | None = None) -> bytes:
    """A workbook; a value starting with = is a formula. ``results`` ({"J2": 500000}) writes
    the result a spreadsheet program would have saved with the formula in that cell."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append([row.get(column, "") for column in header])
    out = io.BytesIO()
    book.save(out)
    if not results:
        return out.getvalue()
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    patched = io.BytesIO()
    with zipfile.ZipFile(patched, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                for ref, value in results.items():
                    kind = ' t="str"' if isinstance(value, str) else ""
                    text, count = re.subn(
                        rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*(?:/>|>\s*</v>)',
                        rf'<c r="{ref}"\1{kind}><f>\2</f><v>{value}</v>',
                        text,
                    )
                    assert count == 1, f"no formula cell {ref} to patch"
                data = text.encode()
            target.writestr(item, data)
    return patched.getvalue()


def upload(client, importer: Importer, content: bytes, name: str = "tuonti.csv"):
    file = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(importer.url(), {"file": file})


# --- What the page says -------------------------------------------------------------------------

ROW = re.compile(r"^Rivi (\d+)(?:, sarake ([^:]+))?: (.*)$", re.S)


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def shown_errors(page: str) -> list[tuple[int | None, str, str]]:
    """(row, column, message) of every error on the page; the upload field's own error has
    the column "file"."""
    found: list[tuple[int | None, str, str]] = []
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    if summary:
        block = summary.group(0)
        cells = r"<tr>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*</tr>"
        for row, column, message in re.findall(cells, block, re.S):
            column = _text(column)
            found.append((int(_text(row)), "" if column == "–" else column, _text(message)))
        for item in re.findall(r"<li>(.*?)</li>", block, re.S):
            text = _text(item)
            match = ROW.match(text)
            found.append((int(match[1]), match[2] or "", match[3]) if match else (None, "", text))
    for item in re.findall(r'id="id_file_error"[^>]*>(.*?)</(?:p|ul)>', page, re.S):
        found.append((None, "file", _text(item)))
    return found


def assert_shown(response, row: int | None, column: str, *fragments: str) -> None:
    errors = shown_errors(response.content.decode())
    assert any(r == row and c == column and all(f in m for f in fragments) for r, c, m in errors), (
        f"row {row}, column {column!r}: {fragments} not among {errors}"
    )


def assert_nothing_saved(client, importer: Importer, before) -> None:
    assert importer.snapshot() == before, "a row of the file was saved"
    if importer.session_key:
        assert importer.session_key not in client.session, "the file is kept for a confirm"
    if importer.confirm:
        client.post(importer.url(), {"confirm": "1"})
        assert importer.snapshot() == before, "a confirm after the refusal saved something"


def refused(client, importer: Importer, content: bytes, name: str = "tuonti.csv"):
    before = importer.snapshot()
    response = upload(client, importer, content, name)
    assert response.status_code == 400, response.status_code
    assert_nothing_saved(client, importer, before)
    return response


def imported(client, importer: Importer, content: bytes, name: str = "tuonti.csv") -> str:
    """Upload and (after the preview) confirm; the preview page's HTML."""
    response = upload(client, importer, content, name)
    page = response.content.decode()
    if importer.confirm:
        assert response.status_code == 200, shown_errors(page)
        # the office confirms the organisations the file adds to the portal
        response = client.post(importer.url(), {"confirm": "1", "create_organisations": "1"})
    assert response.status_code == 302, shown_errors(response.content.decode())
    return page


@pytest.fixture
def office(client_as):
    return client_as("toimisto")


def ids(importers):
    return [i.id for i in importers]


# --- Encodings ----------------------------------------------------------------------------------


@pytest.mark.parametrize("importer", IMPORTERS, ids=ids(IMPORTERS))
def test_windows_1252_is_refused_naming_the_encoding_and_the_row(office, importer):
    rows = [importer.row(1), importer.row(2, **{importer.text: "Hyvä ja höpö"})]
    content = csv_file(importer.header, rows, encoding="cp1252")
    lines = content.split(b"\n")
    first = next(n for n, line in enumerate(lines, start=1) if any(b > 127 for b in line))
    byte = next(b for b in lines[first - 1] if b > 127)
    response = refused(office, importer, content)
    assert_shown(response, first, "", "ei ole UTF-8", f"0x{byte:02X}", "Windows-1252", "CSV UTF-8")


@pytest.mark.parametrize("importer", IMPORTERS, ids=ids(IMPORTERS))
def test_utf16_is_refused_naming_the_encoding(office, importer):
    content = csv_file(importer.header, [importer.row(1)], delimiter="\t", encoding="utf-16")
    response = refused(office, importer, content)
    assert_shown(response, 1, "", "UTF-16", "CSV UTF-8")


@pytest.mark.parametrize("importer", IMPORTERS, ids=ids(IMPORTERS))
def test_utf8_with_a_bom_and_semicolons_keeps_a_and_o(office, importer):
    """The right encoding, as Excel's "CSV UTF-8" saves it, is read with ä and ö intact."""
    text = "Hyvä höyry Å"
    rows = [importer.row(1, **{importer.text: text})]
    content = b"\xef\xbb\xbf" + csv_file(importer.header, rows, delimiter=";")
    imported(office, importer, content)
    assert (text,) in importer.stored_texts()


# --- Formulas -----------------------------------------------------------------------------------


def _exported_strings(response) -> list[str]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith("text/csv"):
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    else:
        rows = list(openpyxl.load_workbook(io.BytesIO(body)).active.values)
    return [cell for row in rows for cell in row if isinstance(cell, str)]


@pytest.mark.parametrize("importer", IMPORTERS, ids=ids(IMPORTERS))
def test_formula_text_is_kept_as_typed_and_every_export_neutralises_it(office, importer):
    typed = [f"{formula} {n}" for n, formula in enumerate(FORMULAS, start=1)]
    rows = [importer.row(n, **{importer.text: text}) for n, text in enumerate(typed, start=1)]
    page = imported(office, importer, csv_file(importer.header, rows))
    if importer.confirm:  # the preview shows the text, escaped
        assert "=HYPERLINK(&quot;http://example.org&quot;" in page
    stored = {value for (value,) in importer.stored_texts()}
    assert set(typed) <= stored, "stored as typed"
    for url in importer.exports:
        strings = _exported_strings(office.get(url))
        starts = [s for s in strings if s.startswith(("=", "+", "-", "@"))]
        assert not starts, f"{url}: cells a spreadsheet would run: {starts}"
        for text in typed:
            assert "'" + text in strings, f"{url}: {text} not exported"


@pytest.mark.parametrize("importer", with_exports, ids=ids(with_exports))
def test_an_exported_file_imports_back_unchanged(office, importer):
    """The export's apostrophe before a formula is taken off on import: a round trip through
    the portal's own export changes nothing and creates nothing."""
    typed = [f"{formula} {n}" for n, formula in enumerate(FORMULAS, start=1)]
    rows = [importer.row(n, **{importer.text: text}) for n, text in enumerate(typed, start=1)]
    imported(office, importer, csv_file(importer.header, rows))
    before = importer.snapshot()
    response = office.get(importer.exports[0])
    body = b"".join(response.streaming_content) if response.streaming else response.content
    exported = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    # the projects' export has headings for people; the import takes them as the ids
    aliases = heading_aliases()
    exported = [{aliases.get(k.lower(), k): v for k, v in r.items()} for r in exported]
    ours = [r for r in exported if r[importer.text].lstrip("'") in typed]
    assert len(ours) == len(typed) and all(r[importer.text].startswith("'") for r in ours)
    imported(office, importer, csv_file(importer.header, ours))
    assert importer.snapshot() == before
    assert set(typed) <= {value for (value,) in importer.stored_texts()}


FORMULA_IN_A_VALUE = {
    "projects": ("total_budget_eur", "=SUM(1;2)", "ei ole summa"),
    "applications": ("budget", "=1+1", "ei ole euromäärä"),
    "organisations": ("business_id", "=1+1", "Anna Y-tunnus muodossa 1234567-8"),
}
# the Business ID's message says the form it must have, not what was typed
VALUE_NOT_REPEATED = {"organisations"}


@pytest.mark.parametrize("importer", IMPORTERS, ids=ids(IMPORTERS))
def test_a_formula_in_an_amount_or_identifier_is_refused_with_row_and_column(office, importer):
    column, value, message = FORMULA_IN_A_VALUE[importer.id]
    rows = [importer.row(1), importer.row(2, **{column: value})]
    response = refused(office, importer, csv_file(importer.header, rows))
    if importer.id in VALUE_NOT_REPEATED:
        assert_shown(response, 3, column, message)
    else:
        assert_shown(response, 3, column, value, message)


WORKBOOK_FORMULA = {
    # column, its cell, a formula, the result a spreadsheet saves with it
    "projects": ("total_budget_eur", "J2", "=250000*2", 500000),
    "organisations": ("name", "A2", '="Kaava"&" Oy"', "Kaava Oy"),
}


@pytest.mark.parametrize("importer", with_xlsx, ids=ids(with_xlsx))
def test_a_workbook_formula_without_a_saved_result_is_refused(office, importer):
    column, _cell, formula, _result = WORKBOOK_FORMULA[importer.id]
    content = xlsx_file(importer.header, [importer.row(1, **{column: formula})])
    response = refused(office, importer, content, "tuonti.xlsx")
    assert_shown(response, 2, column, "kaava", "tallenna")


@pytest.mark.parametrize("importer", with_xlsx, ids=ids(with_xlsx))
def test_a_workbook_formula_gives_its_saved_result(office, importer):
    column, cell, formula, result = WORKBOOK_FORMULA[importer.id]
    content = xlsx_file(
        importer.header, [importer.row(1, **{column: formula})], results={cell: result}
    )
    imported(office, importer, content, "tuonti.xlsx")
    if importer.id == "projects":
        assert Project.objects.get(code="T99001").total_cost == result
    else:
        assert Organisation.objects.filter(name=result).exists()


# --- Duplicates ---------------------------------------------------------------------------------


def _repeat(importer: Importer, column: str) -> list[dict[str, str]]:
    """Two rows, the second repeating the first's ``column`` (in other letter case)."""
    if column == "business_id":
        same = business_id("7654321")
        return [importer.row(1, business_id=same), importer.row(2, business_id=same)]
    first = importer.row(1)
    return [first, importer.row(2, **{column: "  " + first[column].upper()})]


@pytest.mark.parametrize(
    ("importer", "column", "message"),
    [(i, column, message) for i in IMPORTERS for column, message in i.duplicates],
    ids=[f"{i.id}-{column}" for i in IMPORTERS for column, _m in i.duplicates],
)
def test_a_key_twice_in_the_file_is_refused_naming_the_first_row(office, importer, column, message):
    response = refused(office, importer, csv_file(importer.header, _repeat(importer, column)))
    assert_shown(response, 3, column, message)


def test_a_stored_project_code_updates_that_project(office):
    importer = BY_ID["projects"]
    stored = Project.objects.exclude(code="").order_by("pk").first()
    count = Project.objects.count()
    row = importer.row(1, code=stored.code.lower(), name_fi=stored.name_fi)
    page = imported(office, importer, csv_file(importer.header, [row]))
    assert "0 uutta ja 1 päivitettävää hanketta" in _text(page)
    assert Project.objects.count() == count
    stored.refresh_from_db()
    assert stored.total_cost == 500000


def test_a_stored_organisation_name_in_other_letters_updates_that_organisation(office):
    importer = BY_ID["organisations"]
    count = Organisation.objects.count()
    row = importer.row(1, name="TAMPEREEN kaupunki", kind="city", city="tampere")
    page = imported(office, importer, csv_file(importer.header, [row]))
    assert "Päivitetty" in page or "Ei muutoksia" in page
    assert "Uusi" not in re.search(r"<tbody\b.*?</tbody>", page, re.S).group(0)
    assert Organisation.objects.count() == count


def _against_the_database(importer: Importer) -> tuple[dict[str, str], str, str]:
    """A row that repeats a stored record where that is refused: (row, column, message)."""
    if importer.id == "projects":
        stored = Project.objects.exclude(code="").order_by("pk").first()
        row = importer.row(1, code="T99009", name_fi=stored.name_fi.upper())
        return row, "code", f"on jo tunnus {stored.code}"
    if importer.id == "applications":
        stored = open_call().applications.order_by("pk").first()
        row = importer.row(1, title=stored.title, stage=stored.stage)
        return row, "title", "on jo kirjattu tähän hakuun"
    taken = business_id("1572860")
    Organisation.objects.filter(name="Oulun kaupunki").update(business_id=taken)
    return importer.row(1, business_id=taken), "business_id", "kuuluu jo organisaatiolle Oulun"


@pytest.mark.parametrize("importer", IMPORTERS, ids=ids(IMPORTERS))
def test_a_key_of_another_stored_record_is_refused(office, importer):
    row, column, message = _against_the_database(importer)
    response = refused(office, importer, csv_file(importer.header, [importer.row(2), row]))
    assert_shown(response, 3, column, message)


# --- Columns and empty files --------------------------------------------------------------------

MISSING = {
    "projects": ("name_fi", "puuttuvat sarakkeet: name_fi"),
    "applications": ("applicant", "Puuttuvat sarakkeet: applicant."),
    "organisations": ("kind", "Sarakkeita puuttuu: kind"),
}
UNKNOWN = {
    "projects": "tuntemattomat sarakkeet: väri",
    "applications": "Tuntemattomat sarakkeet: väri.",
    "organisations": "Tuntemattomat sarakkeet: väri.",
}
NO_ROWS = {
    "projects": "Tiedostossa ei ole yhtään tietoriviä.",
    "applications": "Tiedostossa ei ole yhtään hakemusriviä.",
    "organisations": "Tiedostossa ei ole yhtään tietoriviä.",
}


@pytest.mark.parametrize("importer", IMPORTERS, ids=ids(IMPORTERS))
def test_a_missing_column_is_named(office, importer):
    column, message = MISSING[importer.id]
    header = [c for c in importer.header if c != column]
    response = refused(office, importer, csv_file(header, [importer.row(1)]))
    assert_shown(response, 1, "", message)


@pytest.mark.parametrize("importer", IMPORTERS, ids=ids(IMPORTERS))
def test_an_unknown_column_is_named(office, importer):
    header = [*importer.header, "väri"]
    response = refused(office, importer, csv_file(header, [importer.row(1, väri="punainen")]))
    assert_shown(response, 1, "", UNKNOWN[importer.id])


@pytest.mark.parametrize("importer", IMPORTERS, ids=ids(IMPORTERS))
def test_a_header_without_rows_is_refused(office, importer):
    content = csv_file(importer.header, [], extra="\n, ,\n\n")
    response = refused(office, importer, content)
    assert_shown(response, 1, "", NO_ROWS[importer.id])


@pytest.mark.parametrize("importer", IMPORTERS, ids=ids(IMPORTERS))
def test_a_file_of_blank_lines_is_refused(office, importer):
    response = refused(office, importer, b"\r\n\r\n  \r\n")
    assert_shown(response, 1, "", "Tiedosto on tyhjä", "sarakkeiden nimet")


@pytest.mark.parametrize("importer", IMPORTERS, ids=ids(IMPORTERS))
def test_a_row_with_a_cell_too_many_is_named(office, importer):
    cells = len(importer.header) + 1
    content = csv_file(importer.header, [importer.row(1)], extra=",".join(["x"] * cells) + "\n")
    response = refused(office, importer, content)
    assert_shown(response, 3, "", f"Rivillä on {cells} solua", f"ensimmäisellä rivillä {cells - 1}")


@pytest.mark.parametrize("importer", IMPORTERS, ids=ids(IMPORTERS))
def test_blank_rows_keep_the_row_numbers(office, importer):
    """A blank line in the middle is no row, but a later error names its row in the file."""
    content = csv_file(importer.header, [importer.row(1)], extra="\n\n")
    column, value, message = FORMULA_IN_A_VALUE[importer.id]
    content += csv_file(importer.header, [importer.row(2, **{column: value})]).split(b"\n", 1)[1]
    response = refused(office, importer, content)
    assert_shown(response, 5, column, message)


# --- Bad values ---------------------------------------------------------------------------------

BAD_VALUES = [
    # importer, the row's changes, the column named, the message
    ("projects", {"cities": "Tampere; Lahti"}, "cities", "”Lahti” ei ole yksi kuudesta"),
    ("projects", {"end_date": "31.12.2022"}, "end_date", "Päättymispäivä on ennen alkamispäivää"),
    ("projects", {"granted_eur": "500000,01"}, "granted_eur", "ylittää kokonaisbudjetin"),
    ("projects", {"total_budget_eur": "-5"}, "total_budget_eur", "”-5” on negatiivinen"),
    ("projects", {"granted_eur": "-1 000"}, "granted_eur", "on negatiivinen"),
    ("applications", {"cities": "Lahti"}, "cities", "Tuntematon kaupunki ”Lahti”"),
    (
        "applications",
        {"start_date": "2.1.2027", "end_date": "1.1.2027"},
        "end_date",
        "Päättymispäivä ei voi olla ennen alkamispäivää",
    ),
    ("applications", {"requested": "100000,01"}, "requested", "ylittää kokonaisbudjetin"),
    ("applications", {"budget": "-5"}, "budget", "”-5” on negatiivinen"),
    ("organisations", {"city": "Lahti"}, "city", "”Lahti” ei ole yksi kuudesta"),
    ("organisations", {"business_id": "1234567"}, "business_id", "muodossa 1234567-8"),
    ("organisations", {"business_id": "0201256-5"}, "business_id", "tarkistusnumero on väärä"),
]


@pytest.mark.parametrize(
    ("importer_id", "changes", "column", "message"),
    BAD_VALUES,
    ids=[f"{i}-{column}-{next(iter(c.values()))}" for i, c, column, _m in BAD_VALUES],
)
def test_a_bad_value_is_refused_with_row_and_column(office, importer_id, changes, column, message):
    importer = BY_ID[importer_id]
    rows = [importer.row(1), importer.row(2, **changes)]
    response = refused(office, importer, csv_file(importer.header, rows))
    assert_shown(response, 3, column, message)


# --- The admin ----------------------------------------------------------------------------------


def test_the_admin_offers_no_import():
    """Every import is one of the three above; an import-export admin would be a fourth that
    this suite does not cover."""
    from import_export.admin import ImportMixin

    importing = [
        type(m).__name__ for m in admin.site._registry.values() if isinstance(m, ImportMixin)
    ]
    assert importing == []
