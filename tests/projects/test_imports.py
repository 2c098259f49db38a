# ruff: noqa: E501 - the rows of a spreadsheet read best one per line
"""import_projects and the office's browser import: formats, all or nothing, errors with row,
column and what to fix, re-import updates; exports neutralise formula cells."""

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from governance.models import Organisation
from projects.exports import EXPORT_COLUMNS, PORTFOLIO_COLUMNS
from projects.imports import projects_import
from projects.models import Project

from . import factories

HEADER = ",".join(PORTFOLIO_COLUMNS)

GOOD_ROWS = [
    # code, name_fi, name_en, programme, lead, partners, cities, instrument, funder, total, granted, start, end, theme, target_groups
    ["A70011", "Avoin data", "Open data", "6aika", "Helsingin kaupunki", "Espoon kaupunki; Uusi Yritys Oy", "Helsinki; Espoo", "EAKR", "Uudenmaan liitto", "1 234 567,89", "864197,52", "31.1.2022", "2024-12-31", "Avoin data", "Yritykset; Nuoret"],
    ["S21375", "Osaajat", "", "6aika", "Tampereen kaupunki", "Turun kaupunki", "", "ESR", "Hämeen ELY-keskus", "500000.00", "400000", "2023-01-01", "31.12.2025", "", ""],
    ["", "Vanha hanke", "", "6aika", "Oulun kaupunki", "", "", "", "", "100000", "", "1.1.2015", "31.12.2016", "", ""],
]  # fmt: skip


def csv_bytes(rows, delimiter=",", bom=False, header=None):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header or PORTFOLIO_COLUMNS)
    writer.writerows(rows)
    data = out.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(PORTFOLIO_COLUMNS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def snapshot():
    return (
        Project.objects.count(),
        Organisation.objects.count(),
        sorted(Project.objects.values_list("name_fi", "total_cost", "granted")),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "filename"),
    [
        (csv_bytes(GOOD_ROWS), "p.csv"),
        (csv_bytes(GOOD_ROWS, bom=True), "p.csv"),
        (csv_bytes(GOOD_ROWS, delimiter=";"), "p.csv"),
        (csv_bytes(GOOD_ROWS, delimiter=";", bom=True), "p.csv"),
        (xlsx_bytes(GOOD_ROWS), "p.xlsx"),
    ],
)
def test_import_formats(org_6aika, content, filename):
    result = projects_import(
        content=content, filename=filename, dry_run=False, create_organisations=True
    )
    assert result.ok, [str(e) for e in result.errors]
    assert (result.created, result.updated) == (3, 0)
    p = Project.objects.get(code="A70011")
    assert p.total_cost == Decimal("1234567.89") and p.granted == Decimal("864197.52")
    assert p.start_date.isoformat() == "2022-01-31" and p.end_date.isoformat() == "2024-12-31"
    assert p.implementers.get(is_lead=True).organisation.name == "Helsingin kaupunki"
    assert sorted(i.organisation.name for i in p.implementers.filter(is_lead=False)) == [
        "Espoon kaupunki",
        "Uusi Yritys Oy",
    ]
    assert Organisation.objects.filter(name="Uusi Yritys Oy").exists()  # unknown: created
    assert Organisation.objects.filter(name__iexact="helsingin kaupunki").count() == 1
    assert sorted(c.slug for c in p.cities.all()) == ["espoo", "helsinki"]
    assert sorted(t.name for t in p.target_groups.all()) == ["Nuoret", "Yritykset"]
    assert p.grants.get().instrument == "EAKR" and not p.needs_completion
    old = Project.objects.get(name_fi="Vanha hanke")
    assert old.needs_completion and "6Aika" in old.completion_notes


@pytest.mark.django_db
def test_reimport_updates_never_duplicates(org_6aika):
    projects_import(
        content=csv_bytes(GOOD_ROWS), filename="p.csv", dry_run=False, create_organisations=True
    )
    before = snapshot()
    rows = [list(r) for r in GOOD_ROWS]
    rows[0][1] = "Avoin data (uusi nimi)"  # matched on code
    rows[2][9] = "120000"  # no code: matched on name
    result = projects_import(content=csv_bytes(rows), filename="p.csv", dry_run=False)
    assert result.ok and (result.created, result.updated) == (0, 3)
    assert Project.objects.count() == before[0]
    assert Project.objects.get(code="A70011").name_fi == "Avoin data (uusi nimi)"
    assert Project.objects.get(name_fi="Vanha hanke").total_cost == Decimal("120000")


@pytest.mark.django_db
def test_dry_run_writes_nothing(org_6aika):
    before = snapshot()
    result = projects_import(content=csv_bytes(GOOD_ROWS), filename="p.csv", dry_run=True)
    assert result.ok and result.created == 3
    assert snapshot() == before


@pytest.mark.django_db
def test_bad_rows_are_all_reported_and_nothing_is_imported(org_6aika):
    before = snapshot()
    rows = [list(r) for r in GOOD_ROWS]
    rows[0][9] = "noin miljoona"
    rows[1][11] = "32.1.2023"
    rows[1][6] = "Lahti"
    rows[2][1] = ""
    rows[2][3] = "kuusiaika"
    rows.append(["X1", "Liian suuri", "", "other", "Oulun kaupunki", "", "", "AKKE", "Pirkanmaan liitto", "100", "200", "", "", "", ""])  # fmt: skip  # noqa: E501
    rows.append(["X2", "Outo väline", "", "other", "Oulun kaupunki", "", "", "ESF+X", "Pirkanmaan liitto", "100", "50", "", "", "", ""])  # fmt: skip  # noqa: E501
    rows.append(["X2", "Sama koodi", "", "other", "Oulun kaupunki", "", "", "", "", "", "", "31.12.2024", "1.1.2024", "", ""])  # fmt: skip  # noqa: E501
    result = projects_import(content=csv_bytes(rows), filename="p.csv", dry_run=False)
    messages = [str(e) for e in result.errors]
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (2, "total_budget_eur"),
        (3, "start_date"),
        (3, "cities"),
        (4, "name_fi"),
        (4, "programme"),
        (5, "granted_eur"),
        (6, "instrument"),
        (7, "code"),
        (7, "end_date"),
    }, messages
    assert any("1 234 567,89" in m and m.startswith("Rivi 2") for m in messages), messages
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "filename", "expected"),
    [
        (b"code;name\n1;2\n", "p.csv", "name_fi"),
        ("nimi\n\xe4".encode("latin-1"), "p.csv", "UTF-8"),
        (b"not a workbook", "p.xlsx", "XLSX"),
        (b"x", "p.pdf", ".csv"),
        (csv_bytes([]), "p.csv", "tietorivi"),
    ],
)
def test_unreadable_files_say_why(org_6aika, content, filename, expected):
    result = projects_import(content=content, filename=filename, dry_run=False)
    assert not result.ok
    assert expected in str(result.errors[0]), str(result.errors[0])
    assert Project.objects.count() == 0


@pytest.mark.django_db
def test_command_imports_and_dry_run(org_6aika, tmp_path, capsys):
    path = tmp_path / "p.csv"
    path.write_bytes(csv_bytes(GOOD_ROWS, delimiter=";"))
    call_command("import_projects", str(path), "--dry-run")
    assert Project.objects.count() == 0
    assert "3 new" in capsys.readouterr().out
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_projects", str(path))  # "Uusi Yritys Oy" is not known
    assert "Uusi Yritys Oy" in capsys.readouterr().err
    call_command("import_projects", str(path), "--create-organisations")
    assert Project.objects.count() == 3


@pytest.mark.django_db
def test_command_fails_with_errors(org_6aika, tmp_path, capsys):
    rows = [list(GOOD_ROWS[0])]
    rows[0][12] = "huomenna"
    path = tmp_path / "p.csv"
    path.write_bytes(csv_bytes(rows))
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_projects", str(path))
    assert "end_date" in capsys.readouterr().err
    assert Project.objects.count() == 0


@pytest.mark.django_db
def test_browser_import_preview_then_confirm(client_as):
    office = client_as("toimisto")
    url = reverse("projects:import")
    before = Project.objects.count()
    upload = SimpleUploadedFile("p.csv", csv_bytes(GOOD_ROWS), content_type="text/csv")
    preview = office.post(url, {"file": upload})
    assert preview.status_code == 200
    assert "Avoin data" in preview.content.decode()
    assert Project.objects.count() == before
    assert 'id="unknown-organisations"' in preview.content.decode()
    refused = office.post(url, {"confirm": "1"})  # the new organisation not confirmed
    assert refused.status_code == 400 and "Uusi Yritys Oy" in refused.content.decode()
    assert Project.objects.count() == before
    assert not Organisation.objects.filter(name="Uusi Yritys Oy").exists()
    done = office.post(url, {"confirm": "1", "create_organisations": "1"})
    assert done.status_code == 302
    assert Project.objects.count() == before + 3
    assert Organisation.objects.filter(name="Uusi Yritys Oy").exists()


@pytest.mark.django_db
def test_browser_import_shows_errors(client_as):
    office = client_as("toimisto")
    rows = [list(GOOD_ROWS[0])]
    rows[0][10] = "-5"
    upload = SimpleUploadedFile("p.csv", csv_bytes(rows), content_type="text/csv")
    response = office.post(reverse("projects:import"), {"file": upload})
    assert response.status_code == 400
    assert "granted_eur" in response.content.decode()
    assert office.post(reverse("projects:import"), {"confirm": "1"}).status_code == 302
    assert not Project.objects.filter(code="A70011").exists()


@pytest.mark.django_db
def test_coordinator_cannot_import(client_as):
    upload = SimpleUploadedFile("p.csv", csv_bytes(GOOD_ROWS), content_type="text/csv")
    response = client_as("koordinaattori-oulu").post(reverse("projects:import"), {"file": upload})
    assert response.status_code == 403


@pytest.mark.django_db
def test_export_neutralises_formulas_and_round_trips(org_6aika, client):
    rows = [list(GOOD_ROWS[0])]
    rows[0][1] = '=HYPERLINK("http://x")'
    rows[0][2] = "@SUM(A1)"
    projects_import(
        content=csv_bytes(rows), filename="p.csv", dry_run=False, create_organisations=True
    )
    response = client.get(reverse("projects:export"), {"format": "csv", "headings": "ids"})
    text = response.content.decode("utf-8-sig")
    data = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert data[0]["name_fi"].startswith("'=")
    assert data[0]["name_en"].startswith("'@")
    assert list(data[0].keys()) == EXPORT_COLUMNS
    xlsx = client.get(reverse("projects:export"), {"format": "xlsx", "city": "espoo"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    values = [c.value for c in sheet[2]]
    assert values[1].startswith("'=") and sheet[2][1].data_type == "s"
    assert Decimal(str(values[9])) == Decimal("1234567.89")


@pytest.mark.django_db
def test_report_export_needs_login_and_neutralises(client, client_as):
    assert client.get(reverse("projects:report_export")).status_code == 302
    response = client_as("rahoittaja").get(
        reverse("projects:report_export"), {"format": "xlsx", "headings": "ids"}
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet[1][0].value == "project_code" and sheet.max_row >= 4


@pytest.mark.django_db
def test_ragged_semicolon_file_names_the_row(org_6aika):
    header = ";".join(PORTFOLIO_COLUMNS)
    row = "A1;Nimi;;6aika;Helsingin kaupunki;Espoon kaupunki; Vantaan kaupunki;;;;1000;;;;;"
    result = projects_import(content=f"{header}\n{row}\n".encode(), filename="p.csv", dry_run=False)
    message = str(result.errors[0])
    assert message.startswith("Rivi 2") and "16" in message and "15" in message, message
    assert Project.objects.count() == 0


@pytest.mark.django_db
def test_reimport_keeps_what_the_file_does_not_hold(org_6aika):
    """Parent, summaries, sub-budgets, contributions and status are not columns; a re-import,
    also one with cells left empty, keeps them and everything else stored."""
    project = factories.full_project()
    before = factories.project_state(project)
    row = [
        "A70099", "Täysi hanke", "Full project", "6aika", "Helsingin kaupunki",
        "Espoon kaupunki", "Oulu", "EAKR", "Uudenmaan liitto", "500000", "350000",
        "1.1.2024", "31.12.2026", "", "Yritykset; Nuoret",
    ]  # fmt: skip
    result = projects_import(content=csv_bytes([row]), filename="p.csv", dry_run=False)
    assert result.ok and result.updated == 1, [str(e) for e in result.errors]
    assert factories.project_state(project) == before
    sparse = ["A70099", "Täysi hanke"] + [""] * 13
    sparse[3] = "6aika"
    result = projects_import(content=csv_bytes([sparse]), filename="p.csv", dry_run=False)
    assert result.ok and result.updated == 1, [str(e) for e in result.errors]
    assert factories.project_state(project) == before


FORMULAS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_report_export_neutralises_every_formula_start(demo_users, client_as, fmt):
    from projects import services as project_services
    from projects.models import StatusReport

    project = factories.project(name="@Kaava-hanke", cities=("helsinki", "espoo"))
    period = project_services.reporting_periods_generate(
        first_start=dt.date(2017, 1, 1), months=6, count=1
    )[0]
    report = project_services.status_report_start(
        project=project, period=period, by=demo_users["koordinaattori-helsinki"]
    )
    StatusReport.objects.filter(pk=report.pk).update(
        narrative=FORMULAS[0], risks=FORMULAS[1], next_steps=FORMULAS[2], costs_to_date=12
    )
    response = client_as("toimisto").get(
        reverse("projects:report_export"),
        {"format": fmt, "period": period.name, "headings": "ids"},
    )
    assert response.status_code == 200
    if fmt == "csv":
        assert response["Content-Type"].startswith("text/csv")
        text = response.content.decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        values = list(sheet.values)
        rows = [dict(zip(values[0], row, strict=True)) for row in values[1:]]
    assert len(rows) == 1
    row = rows[0]
    assert row["project"] == "'@Kaava-hanke"
    assert [row["narrative"], row["risks"], row["next_steps"]] == ["'" + f for f in FORMULAS[:3]]
    assert Decimal(str(row["costs_to_date_eur"])) == 12  # numbers are not touched


@pytest.mark.django_db
def test_portfolio_csv_neutralises_every_formula_start(org_6aika, client):
    rows = []
    for number, formula in enumerate(FORMULAS, start=1):
        row = list(GOOD_ROWS[2])
        row[1] = f"{formula} {number}"
        rows.append(row)
    result = projects_import(content=csv_bytes(rows), filename="p.csv", dry_run=False)
    assert result.ok, [str(e) for e in result.errors]
    response = client.get(reverse("projects:export"), {"format": "csv", "headings": "ids"})
    text = response.content.decode("utf-8-sig")
    exported = sorted(r["name_fi"] for r in csv.DictReader(io.StringIO(text), delimiter=";"))
    assert exported == sorted(f"'{formula} {n}" for n, formula in enumerate(FORMULAS, start=1))
