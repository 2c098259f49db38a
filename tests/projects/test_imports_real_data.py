# ruff: noqa: E501 - the rows of a spreadsheet read best one per line
"""The project import with real data (issue 17): incomplete rows imported and flagged, several
funders per row, the portal's own CSV and XLSX imported back unchanged, unknown organisations
shown with the nearest names, and the bad files of the issue refused with row and column and
nothing saved (never a 500)."""

import csv
import datetime as dt
import html
import io
import time
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from governance.models import Organisation
from projects.exports import EXPORT_COLUMNS, PORTFOLIO_COLUMNS
from projects.imports import projects_import
from projects.models import Grant, Project

from . import factories

# code, name_fi, name_en, programme, lead, partners, cities, instrument, funder, total, granted, start, end, theme, target_groups
PUBLIC_LIST = [
    # as public project pages give them: the funder and the total, no granted sum
    ["A71001", "Julkinen hanke 1", "", "6aika", "Helsingin kaupunki", "Espoon kaupunki", "", "EAKR", "Uudenmaan liitto", "800000", "", "1.1.2021", "31.12.2022", "", ""],
    # one city only where the programme asks for two, and no partner
    ["A71002", "Julkinen hanke 2", "", "6aika", "Oulun kaupunki", "", "", "ESR", "Pohjois-Pohjanmaan ELY-keskus", "300000", "", "1.3.2021", "28.2.2023", "", ""],
]  # fmt: skip


def csv_bytes(rows, header=PORTFOLIO_COLUMNS, delimiter=","):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def run(rows, **kwargs):
    kwargs.setdefault("create_organisations", True)
    return projects_import(content=csv_bytes(rows), filename="p.csv", dry_run=False, **kwargs)


def everything():
    return (
        Project.objects.count(),
        Organisation.objects.count(),
        Grant.objects.count(),
        sorted(Project.objects.values_list("name_fi", "total_cost", "granted", "needs_completion")),
    )


@pytest.mark.django_db
def test_a_public_list_without_granted_sums_imports_flagged_and_reimports(org_6aika, client_as):
    result = run(PUBLIC_LIST)
    assert result.ok, [str(e) for e in result.errors]
    assert result.created == 2
    first = Project.objects.get(code="A71001")
    assert first.needs_completion and first.granted == 0 and not first.grants.exists()
    assert "Uudenmaan liitto" in first.completion_notes and "summa" in first.completion_notes
    second = Project.objects.get(code="A71002")
    assert second.needs_completion and "6Aika" in second.completion_notes
    before = everything()
    again = run(PUBLIC_LIST)
    assert again.ok and (again.created, again.updated) == (0, 2)
    assert everything() == before  # no duplicates, the same flags
    page = client_as("toimisto").get(reverse("projects:flagged"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Julkinen hanke 1" in text and "Uudenmaan liitto" in text
    # completing the granted sum clears the flag
    rows = [list(PUBLIC_LIST[0])]
    rows[0][10] = "560000"
    assert run(rows).ok
    first.refresh_from_db()
    assert not first.needs_completion and first.granted == Decimal("560000")


@pytest.mark.django_db
def test_what_is_missing_is_written_in_the_readers_language_whoever_imported(org_6aika, client_as):
    """The notes are kept as codes with their values (issue 18): a file imported from a Swedish
    page is read in Finnish on a Finnish page and in English on an English one, on the list of
    projects to complete, the project's page and the office's home, with the amount written
    in the reader's format; the Finnish text stays as the record."""
    undivided = ["A71004", "Jakamaton summa", "", "6aika", "Helsingin kaupunki", "Espoon kaupunki", "", "EAKR", "Uudenmaan liitto; Helsingin kaupunki", "2000000", "1250000,5", "1.1.2021", "", "", ""]  # fmt: skip
    with translation.override("sv"):
        assert run([*PUBLIC_LIST, undivided]).ok
    assert Project.objects.get(code="A71002").completion_notes == (
        "6Aika-hankkeella on oltava toteuttajia vähintään kahdesta kuudesta kaupungista; "
        "tämän hankkeen toteuttajat ovat 1 kaupungista.\n"
        "Rahoittajan Pohjois-Pohjanmaan ELY-keskus myöntämä summa puuttuu."
    )
    expected = {
        "fi": ["Rahoittajan Pohjois-Pohjanmaan ELY-keskus myöntämä summa puuttuu.", "tämän hankkeen toteuttajat ovat 1 kaupungista.", "Toteutusaika on puutteellinen.", "Myönnettyä summaa 1\xa0250\xa0000,50\xa0€ ei ole jaettu"],
        "sv": ["Den summa som Pohjois-Pohjanmaan ELY-keskus beviljat saknas.", "genomförarna här kommer från 1.", "Genomförandetiden är ofullständig.", "Den beviljade summan 1\xa0250\xa0000,50\xa0€ är inte fördelad"],
        "en": ["The granted sum of Pohjois-Pohjanmaan ELY-keskus is missing.", "the implementers here come from 1.", "The implementation period is incomplete.", "The granted sum 1,250,000.50\xa0€ is not divided"],
    }  # fmt: skip
    office = client_as("toimisto")
    pk = Project.objects.get(code="A71002").pk
    for language, texts in expected.items():
        office.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        others = [t for lang, ts in expected.items() if lang != language for t in ts]
        flagged = html.unescape(office.get(reverse("projects:flagged")).content.decode())
        assert all(t in flagged for t in texts), language
        assert not [t for t in others if t in flagged], language
        detail = html.unescape(office.get(reverse("projects:detail", args=[pk])).content.decode())
        assert texts[0] in detail and texts[1] in detail
        home = html.unescape(office.get("/").content.decode())
        assert texts[0] in home and not [t for t in others if t in home], language


@pytest.mark.django_db
def test_notes_stored_as_text_before_the_codes_get_their_codes():
    """The migration's reading of the notes written before the codes (in the importer's
    language, an amount as it was formatted then); a line it does not know stays as written."""
    from core.generated_migrations import code_for

    codes = ["projects.two_city_rule", "projects.grant_missing", "projects.grant_funder_missing", "projects.grant_undivided", "projects.period_incomplete"]  # fmt: skip
    assert code_for("Den summa som Uudenmaan liitto beviljat saknas.", codes) == (
        "projects.grant_missing",
        {"funders": "Uudenmaan liitto"},
    )
    assert code_for("Myönnetyn summan 1\xa0250\xa0000,00\xa0€ rahoittaja puuttuu.", codes) == (
        "projects.grant_funder_missing",
        {"amount": "1250000.00"},
    )
    assert code_for(
        "Ett 6Aika-projekt behöver genomförare från minst två av de sex städerna; "
        "genomförarna här kommer från 1.",
        codes,
    ) == ("projects.two_city_rule", {"count": 1})
    assert code_for("Toteutusaika on puutteellinen.", codes) == ("projects.period_incomplete", {})
    assert code_for("Kirjoitin tämän itse.", codes) is None
    legacy = Project(needs_completion=True, completion_notes="Kirjoitin tämän itse.")
    with translation.override("en"):
        assert legacy.completion_texts == ["Kirjoitin tämän itse."]


@pytest.mark.django_db
def test_several_funders_in_one_row(org_6aika):
    header = [*PORTFOLIO_COLUMNS, "granted_by_funder_eur"]
    row = ["A71003", "Kaksi rahoittajaa", "", "6aika", "Helsingin kaupunki", "Espoon kaupunki", "", "EAKR; kansallinen", "Uudenmaan liitto; Helsingin kaupunki", "500000", "300000", "2024-01-01", "2025-12-31", "", "", "200000; 100000"]  # fmt: skip
    result = projects_import(
        content=csv_bytes([row], header=header), filename="p.csv", dry_run=False
    )
    assert result.ok, [str(e) for e in result.errors]
    project = Project.objects.get(code="A71003")
    assert sorted((g.funder.name, g.instrument, g.amount) for g in project.grants.all()) == [
        ("Helsingin kaupunki", "national", Decimal("100000")),
        ("Uudenmaan liitto", "EAKR", Decimal("200000")),
    ]
    assert project.granted == Decimal("300000") and not project.needs_completion


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("instrument", "funder", "per_funder", "granted", "column", "words"),
    [
        ("EAKR; ESR; kansallinen", "A; B", "1; 2", "3", "instrument", "3 instrumenttia"),
        ("EAKR", "A; B", "1; 2; 3", "6", "granted_by_funder_eur", "3 summaa"),
        ("EAKR", "A; B", "1; 2", "4", "granted_eur", "3,00"),
        ("EAKR", "A; B", "1; 1e5", "", "granted_by_funder_eur", "1e5"),
        ("EAKR; EAKR", "A; A", "1; 2", "3", "funder", "kahdesti"),
    ],
)
def test_funders_that_do_not_add_up_are_refused(org_6aika, instrument, funder, per_funder, granted, column, words):  # fmt: skip
    header = [*PORTFOLIO_COLUMNS, "granted_by_funder_eur"]
    row = ["A71004", "Väärin", "", "other", "Helsingin kaupunki", "", "", instrument, funder, "100", granted, "", "", "", "", per_funder]  # fmt: skip
    before = everything()
    result = projects_import(
        content=csv_bytes([row], header=header),
        filename="p.csv",
        dry_run=False,
        create_organisations=True,
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, column)], [
        str(e) for e in result.errors
    ]
    assert words in str(result.errors[0]), str(result.errors[0])
    assert everything() == before


def _portfolio(client):
    """Projects with everything the import's columns hold: several funders, dates, partners,
    a theme and target groups."""
    header = [*PORTFOLIO_COLUMNS, "granted_by_funder_eur"]
    rows = [
        ["A71005", "Kiertotalous", "Circular economy", "6aika", "Helsingin kaupunki", "Espoon kaupunki; Vantaan kaupunki", "Helsinki; Espoo; Vantaa", "EAKR; national", "Uudenmaan liitto; Helsingin kaupunki", "1 000 000,50", "750000,50", "2023-02-01", "2025-01-31", "Kiertotalous", "Yritykset; Tutkijat"],
        ["S71006", "Osaamisen polut", "", "other", "Tampereen kaupunki", "", "Tampere", "ESR", "Hämeen ELY-keskus", "200000", "150000", "1.1.2022", "31.12.2023", "", "Nuoret"],
        ["", "Vanha tieto", "", "6aika", "Oulun kaupunki", "", "", "EAKR", "Pohjois-Pohjanmaan liitto", "90000", "", "", "", "", ""],
    ]  # fmt: skip
    rows[0].append("500000,25; 250000,25")
    rows[1].append("")
    rows[2].append("")
    result = projects_import(
        content=csv_bytes(rows, header=header),
        filename="p.csv",
        dry_run=False,
        create_organisations=True,
    )
    assert result.ok, [str(e) for e in result.errors]
    return [Project.objects.get(name_fi=r[1]) for r in rows]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fmt", "headings"), [("csv", ""), ("xlsx", ""), ("csv", "ids"), ("xlsx", "ids")]
)
def test_the_portals_own_export_imports_back_unchanged(org_6aika, client, fmt, headings):
    projects = _portfolio(client)
    states = [factories.project_state(p) for p in projects]
    flags = [(p.needs_completion, p.completion_notes) for p in projects]
    before = everything()
    response = client.get(reverse("projects:export"), {"format": fmt, "headings": headings})
    assert response.status_code == 200
    result = projects_import(content=response.content, filename=f"export.{fmt}", dry_run=False)
    assert result.ok, [str(e) for e in result.errors]
    assert not result.unknown and result.created == 0
    assert everything() == before
    assert [factories.project_state(p) for p in projects] == states
    assert [
        (p.needs_completion, p.completion_notes) for p in Project.objects.filter(pk__in=[p.pk for p in projects]).order_by("pk")
    ] == flags  # fmt: skip


@pytest.mark.django_db
def test_exports_open_right_in_a_finnish_excel(org_6aika, client):
    _portfolio(client)
    response = client.get(reverse("projects:export"), {"format": "csv"})
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM
    text = body.decode("utf-8-sig")
    header = text.splitlines()[0].split(";")
    assert header[:3] == ["Hankekoodi", "Nimi suomeksi", "Nimi englanniksi"], header
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    row = next(r for r in rows if r["Hankekoodi"] == "A71005")
    assert row["Kokonaisbudjetti (euroa)"] == "1000000,50"  # a decimal comma
    assert row["Rahoittaja"] == "Uudenmaan liitto; Helsingin kaupunki"
    assert row["Rahoitusinstrumentti"] == "EAKR; national"
    ids = client.get(reverse("projects:export"), {"format": "csv", "headings": "ids"})
    assert ids.content.decode("utf-8-sig").splitlines()[0].split(";") == EXPORT_COLUMNS
    xlsx = client.get(reverse("projects:export"))  # XLSX is the default
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.cell(1, 1).value == "Hankekoodi"
    data = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    start = data["A71005"][EXPORT_COLUMNS.index("start_date")]
    assert start.is_date and start.value.date() == dt.date(2023, 2, 1)
    total = data["A71005"][EXPORT_COLUMNS.index("total_budget_eur")]
    assert total.data_type == "n" and Decimal(str(total.value)) == Decimal("1000000.5")


@pytest.mark.django_db
def test_unknown_organisations_are_listed_with_the_nearest_names(org_6aika, client_as):
    rows = [list(PUBLIC_LIST[0])]
    rows[0][4] = "Helsingin kaupunkii"  # a typo
    office = client_as("toimisto")
    upload = SimpleUploadedFile("p.csv", csv_bytes(rows), content_type="text/csv")
    before = everything()
    preview = office.post(reverse("projects:import"), {"file": upload})
    assert preview.status_code == 200
    unknown = preview.context["result"].unknown
    assert [(u.row, u.column, u.name) for u in unknown] == [
        (2, "lead_organisation", "Helsingin kaupunkii")
    ]
    assert unknown[0].nearest[0] == "Helsingin kaupunki"
    assert "Helsingin kaupunkii" in preview.content.decode()
    refused = office.post(reverse("projects:import"), {"confirm": "1"})
    assert refused.status_code == 400
    assert "Tarkoititko “Helsingin kaupunki”" in refused.content.decode()
    assert everything() == before


@pytest.mark.django_db
def test_the_preview_file_is_not_in_the_session(org_6aika, client_as):
    office = client_as("toimisto")
    content = csv_bytes(PUBLIC_LIST)
    upload = SimpleUploadedFile("p.csv", content, content_type="text/csv")
    assert office.post(reverse("projects:import"), {"file": upload}).status_code == 200
    session = dict(office.session.items())
    assert len(repr(session)) < 1000, session
    assert "Julkinen" not in repr(session)
    done = office.post(reverse("projects:import"), {"confirm": "1", "create_organisations": "1"})
    assert done.status_code == 302
    assert Project.objects.filter(code__in=["A71001", "A71002"]).count() == 2
    # used once: a second confirm finds nothing to import
    again = office.post(reverse("projects:import"), {"confirm": "1"})
    assert again.status_code == 302 and again.url == reverse("projects:import")


# --- The bad files of the issue, through the office's page -------------------------------------


def refused(client, content: bytes, name: str = "p.csv") -> str:
    before = everything()
    upload = SimpleUploadedFile(name, content)
    response = client.post(reverse("projects:import"), {"file": upload})
    assert response.status_code == 400, response.status_code
    assert everything() == before
    return response.content.decode()


@pytest.fixture
def office(client_as):
    return client_as("toimisto")


@pytest.mark.django_db
def test_a_long_theme_is_refused_at_its_column(office):
    rows = [list(PUBLIC_LIST[0])]
    rows[0][13] = "T" * 201
    page = refused(office, csv_bytes(rows))
    assert "Rivi 2, sarake theme" in page and "201" in page and "200" in page


@pytest.mark.django_db
def test_a_long_lead_organisation_is_refused_at_its_column(office):
    rows = [list(PUBLIC_LIST[0])]
    rows[0][4] = "O" * 201
    page = refused(office, csv_bytes(rows))
    assert "Rivi 2, sarake lead_organisation" in page and "201" in page
    assert "sarake name_fi" not in page


@pytest.mark.django_db
def test_a_nul_byte_is_named_as_such(office):
    content = csv_bytes(PUBLIC_LIST).replace(b"Julkinen hanke 2", b"Julkinen\x00hanke 2")
    page = refused(office, content)
    assert "NUL" in page and "Rivi 3" in page and "UTF-16" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("length", [20_001, 200_000])
def test_an_over_long_cell_is_refused_in_the_users_language(office, length):
    rows = [list(PUBLIC_LIST[0])]
    rows[0][1] = "x" * length
    page = refused(office, csv_bytes(rows))
    assert "Rivi 2" in page and "20000" in page.replace("\xa0", "").replace(" ", "")
    assert "field larger than field limit" not in page


@pytest.mark.django_db
def test_an_exponent_is_no_amount_in_any_import(office, demo_users):
    rows = [list(PUBLIC_LIST[0])]
    rows[0][9] = "1e5"
    page = refused(office, csv_bytes(rows))
    assert "Rivi 2, sarake total_budget_eur" in page and "1e5" in page
    from calls.resources import ApplicationResource

    applications = ApplicationResource(call=None, by=None, today=None, numbers=[])
    with pytest.raises(ValueError):
        applications.fields["requested"].widget.clean("1e5")


def _zip_bomb(rows: int, pad: int = 1) -> bytes:
    """A workbook of ``rows`` rows (of ``pad`` characters) whose sheet XML compresses to
    almost nothing."""
    book = openpyxl.Workbook()
    book.active.append(PORTFOLIO_COLUMNS)
    out = io.BytesIO()
    book.save(out)
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info, source.read(info.filename))
                continue
            with target.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
                sheet.write(
                    b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                    b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                )
                row = '<row><c t="inlineStr"><is><t>' + "x" * pad + "</t></is></c></row>"
                for _n in range(rows):
                    sheet.write(row.encode())
                sheet.write(b"</sheetData></worksheet>")
    return bomb.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rows", "pad", "words"),
    [(1_000_000, 1, "Enintään 10000 riviä"), (60_000, 1000, "tuonti lukee (50 Mt)")],
)
def test_a_zip_bomb_is_refused_early(office, rows, pad, words):
    content = _zip_bomb(rows, pad)
    assert len(content) < 1_000_000
    started = time.monotonic()
    page = refused(office, content, "pommi.xlsx")
    assert time.monotonic() - started < 20
    assert words in page.replace("\xa0", "").replace(" 000", "000"), page[:3000]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 6])
def test_the_flagged_page_lists_what_is_missing_in_fixed_queries(
    client_as, django_assert_num_queries, count
):
    office = client_as("toimisto")
    office.get(reverse("projects:flagged"))  # the session and the user, once
    projects = [factories.project(cities=("oulu", "turku")) for _n in range(count)]
    Project.objects.filter(pk__in=[p.pk for p in projects]).update(
        needs_completion=True, completion_notes="Rahoittajan X myöntämä summa puuttuu."
    )
    with django_assert_num_queries(FLAGGED_PAGE_QUERIES):
        response = office.get(reverse("projects:flagged"))
    text = response.content.decode()
    assert response.status_code == 200
    assert text.count("Rahoittajan X myöntämä summa puuttuu.") == count
    assert all(p.name_fi in text for p in projects)
    assert "Toteuttaja oulu" in text  # the lead implementer


# measured: the same for one project and for six (session in Redis, the user with their roles)
FLAGGED_PAGE_QUERIES = 4


@pytest.mark.django_db
def test_the_office_imports_and_exports_in_the_admin(org_6aika, client_as):
    _portfolio(None)
    office = client_as("toimisto")
    changelist = office.get(reverse("admin:projects_project_changelist"))
    assert changelist.status_code == 200
    assert reverse("admin:projects_project_import") in changelist.content.decode()
    go = office.get(reverse("admin:projects_project_import"))
    assert go.status_code == 302 and go.url == reverse("projects:import")
    chosen = Project.objects.filter(code__in=["A71005", "S71006"])
    response = office.post(
        reverse("admin:projects_project_changelist"),
        {"action": "export_xlsx", "_selected_action": [p.pk for p in chosen]},
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sorted(r[0] for r in sheet.iter_rows(min_row=2, values_only=True)) == [
        "A71005",
        "S71006",
    ]
    organisations = office.get(reverse("admin:governance_organisation_changelist"))
    assert reverse("reports:organisations_import") in organisations.content.decode()


@pytest.mark.django_db
def test_the_organisations_preview_is_not_in_the_session(org_6aika, client_as):
    office = client_as("toimisto")
    content = "name,kind,business_id,city\nUusi Säätiö,other,,\n".encode()
    upload = SimpleUploadedFile("o.csv", content, content_type="text/csv")
    url = reverse("reports:organisations_import")
    assert office.post(url, {"file": upload}).status_code == 200
    assert "Säätiö" not in repr(dict(office.session.items()))
    assert office.post(url, {"confirm": "1"}).status_code == 302
    assert Organisation.objects.filter(name="Uusi Säätiö").exists()


def _broken_workbooks() -> list[tuple[str, bytes]]:
    book = openpyxl.Workbook()
    book.active.append(PORTFOLIO_COLUMNS)
    book.active.append(PUBLIC_LIST[0])
    out = io.BytesIO()
    book.save(out)
    good = out.getvalue()
    source = zipfile.ZipFile(io.BytesIO(good))
    bad_xml = io.BytesIO()
    with zipfile.ZipFile(bad_xml, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # the sheet cut in the middle of a tag
            target.writestr(info, data)
    return [
        ("truncated.xlsx", good[: len(good) // 2]),
        ("broken-sheet.xlsx", bad_xml.getvalue()),
        ("random.xlsx", b"PK\x03\x04" + bytes(range(256)) * 8),
        ("random.csv", bytes(range(1, 256)) * 8),
        ("quote.csv", csv_bytes(PUBLIC_LIST) + b'"A1,"unclosed\n'),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content"), _broken_workbooks(), ids=lambda v: str(v)[:20])
def test_no_file_makes_a_500(office, name, content):
    page = refused(office, content, name)
    assert "error-summary" in page or "field-error" in page


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_whole_demo_portfolio_round_trips(demo_users, client, fmt):
    """The 6Aika data and the demo as they are: every project exported and imported back."""
    projects = list(Project.objects.order_by("pk"))
    states = [factories.project_state(p) for p in projects]
    flags = list(Project.objects.order_by("pk").values_list("needs_completion", "completion_notes"))
    before = everything()
    response = client.get(reverse("projects:export"), {"format": fmt})
    result = projects_import(content=response.content, filename=f"all.{fmt}", dry_run=False)
    assert result.ok, [str(e) for e in result.errors][:10]
    assert not result.unknown and result.created == 0
    assert everything() == before
    assert [factories.project_state(p) for p in projects] == states
    assert (
        list(Project.objects.order_by("pk").values_list("needs_completion", "completion_notes"))
        == flags
    )


@pytest.mark.django_db
def test_the_status_report_export_reads_right_in_finnish(demo_users, client_as):
    office = client_as("toimisto")
    text = office.get(reverse("projects:report_export"), {"format": "csv"}).content
    assert text.startswith(b"\xef\xbb\xbf")
    header = text.decode("utf-8-sig").splitlines()[0].split(";")
    assert header[:4] == ["Hankekoodi", "Hanke", "Raportointikausi", "Tila"], header
    sheet = openpyxl.load_workbook(
        io.BytesIO(office.get(reverse("projects:report_export")).content)
    ).active
    assert sheet.cell(1, 1).value == "Hankekoodi" and sheet.max_row >= 2
    assert sheet.cell(2, 13).is_date  # updated: a date-time cell
