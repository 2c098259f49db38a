"""Exports for the strategy office (formula cells neutralised) and the organisation import."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from governance.models import Organisation
from tests.reports import data as reports_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(org_6aika):
    client = Client()
    client.force_login(reports_data.user("strategy_office"))
    return client


def _csv(response) -> str:
    return b"".join(
        response.streaming_content if response.streaming else [response.content]
    ).decode("utf-8-sig")


@pytest.mark.parametrize("what", ["portfolio", "status_reports", "decisions", "organisations"])
def test_every_export_in_csv_and_xlsx(office, what):
    reports_data.portfolio()
    reports_data.past_board_meeting()
    csv_response = office.get(f"/reports/exports/{what}.csv")
    assert csv_response.status_code == 200
    assert csv_response["Content-Type"].startswith("text/csv")
    assert len(_csv(csv_response).strip().splitlines()) > 1
    xlsx = office.get(f"/reports/exports/{what}.xlsx")
    assert xlsx.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert book.active.max_row > 1


def test_formula_looking_cells_are_neutralised(office):
    meeting = reports_data.past_board_meeting()
    item = meeting.items.get()
    item.title = '=HYPERLINK("http://evil.example","x")'
    item.save()
    Organisation.objects.create(name="@SUM(1+1)", kind="company")
    decisions = _csv(office.get("/reports/exports/decisions.csv"))
    assert "'=HYPERLINK" in decisions
    organisations = openpyxl.load_workbook(
        io.BytesIO(office.get("/reports/exports/organisations.xlsx").content)
    ).active
    names = [row[0].value for row in organisations.iter_rows(min_row=2)]
    assert "'@SUM(1+1)" in names and "@SUM(1+1)" not in names


def test_only_the_strategy_office_exports(org_6aika):
    client = Client()
    client.force_login(reports_data.user("board"))
    assert client.get("/reports/exports/").status_code == 403
    assert client.get("/reports/exports/portfolio.csv").status_code == 403
    assert client.get("/reports/exports/organisations/import/").status_code == 403


def _upload(client, text: str, **extra):
    file = SimpleUploadedFile("orgs.csv", text.encode(), content_type="text/csv")
    return client.post("/reports/exports/organisations/import/", {"file": file, **extra})


def test_import_previews_then_saves_all_rows(office):
    before = Organisation.objects.count()
    text = "name,kind,business_id,city\nUusi Oy,company,,oulu\nToinen Oy,company,,\n"
    preview = _upload(office, text)
    assert preview.status_code == 200
    assert "Uusi Oy" in preview.content.decode()
    assert Organisation.objects.count() == before  # a preview saves nothing
    done = office.post("/reports/exports/organisations/import/", {"confirm": "1"})
    assert done.status_code == 302
    assert Organisation.objects.get(name="Uusi Oy").city.slug == "oulu"
    assert Organisation.objects.count() == before + 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,kind,business_id,city\nHyvä Oy,company,,\nHuono Oy,alien,,\n", "Rivi 3"),
        ("name,kind,business_id,city\nHyvä Oy,company,,\nHuono Oy,company,,atlantis\n", "Rivi 3"),
        ("name,kind,business_id,city\nHyvä Oy,company,,\nHuono Oy,company,1234567-2,\n", "Rivi 3"),
        ("nimi,tyyppi\nHyvä Oy,company\n", "Sarakkeita puuttuu"),
    ],
)
def test_a_bad_row_saves_nothing_and_says_where(office, text, message):
    before = Organisation.objects.count()
    response = _upload(office, text)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert Organisation.objects.count() == before
    assert not Organisation.objects.filter(name="Hyvä Oy").exists()
