"""Bulk downloads: every dataset as CSV and JSON, with the licence and the update time, in a
fixed number of queries."""

import csv
import io

import pytest
from django.urls import reverse

from projects.api.downloads import COLUMNS, DATASETS
from projects.models import Project

from . import factories


def _download(api, dataset, fmt):
    response = api.get(reverse("api:download", kwargs={"dataset": dataset, "fmt": fmt}))
    assert response.status_code == 200
    return response


@pytest.mark.django_db
@pytest.mark.parametrize("dataset", list(DATASETS))
def test_every_dataset_in_both_formats_with_licence(api, dataset):
    factories.project()
    factories.meeting(approved=True)
    as_json = _download(api, dataset, "json")
    as_csv = _download(api, dataset, "csv")
    for response, fmt in ((as_json, "json"), (as_csv, "csv")):
        assert response["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
        assert response["X-Licence"] == "CC BY 4.0"
        assert response["X-Data-Updated"]
        assert response["Content-Disposition"] == f'attachment; filename="6aika-{dataset}.{fmt}"'
        assert response["ETag"] and response["Last-Modified"]
    data = as_json.json()
    assert data["licence"]["name"] == "CC BY 4.0"
    assert data["data_updated"] == as_json["X-Data-Updated"]
    assert data["count"] == len(data["results"]) > 0
    # The JSON is the API's own representation, the same as the list gives.
    listed = api.get(reverse(f"api:{dataset[:-1] if dataset != 'bodies' else 'body'}-list"))
    assert data["results"][0] == listed.json()["results"][0]
    assert as_csv["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(as_csv.content.decode())))
    assert rows[0] == COLUMNS[dataset]
    assert len(rows) > 1


@pytest.mark.django_db
def test_project_csv_row(api):
    project = factories.project(code="A70011")
    [row] = csv.DictReader(io.StringIO(_download(api, "projects", "csv").content.decode()))
    assert row["id"] == str(project.pk)
    assert row["code"] == "A70011"
    assert row["name_fi"] == project.name_fi
    assert row["granted_eur"] == "70000.00"
    assert row["grants"] == "API Rahoittaja (EAKR): 70000.00"
    assert row["cities"] == "helsinki; espoo"
    assert row["lead_implementer"].startswith("Toteuttaja")
    assert row["indicators"] == "V1 Kävijät: 40.00 / 100.00 hlö; Y1 Yritykset: - / 10.00 kpl"


@pytest.mark.django_db
def test_csv_cells_cannot_run_as_formulas(api):
    project = factories.project()
    Project.objects.filter(pk=project.pk).update(name_fi='=HYPERLINK("http://x")')
    [row] = csv.DictReader(io.StringIO(_download(api, "projects", "csv").content.decode()))
    assert row["name_fi"] == '\'=HYPERLINK("http://x")'
    # The JSON keeps the text as it is.
    assert _download(api, "projects", "json").json()["results"][0]["name"]["fi"].startswith("=")


@pytest.mark.django_db
def test_empty_dataset_still_has_its_header(api):
    rows = list(csv.reader(io.StringIO(_download(api, "decisions", "csv").content.decode())))
    assert rows == [COLUMNS["decisions"]]
    assert _download(api, "decisions", "json").json()["count"] == 0


def test_unknown_dataset_or_format_is_not_found(client):
    assert client.get("/api/v1/downloads/people.csv").status_code == 404
    assert client.get("/api/v1/downloads/projects.xlsx").status_code == 404


DATA_UPDATED_QUERIES = 4
DOWNLOAD_QUERIES = {
    "projects": 6 + DATA_UPDATED_QUERIES,  # projects, implementers, grants, contributions,
    "organisations": 1 + DATA_UPDATED_QUERIES,  # cities, indicators
    "bodies": 2 + DATA_UPDATED_QUERIES,
    "decisions": 1 + DATA_UPDATED_QUERIES,
}


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 5])
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_download_queries_are_fixed(api, django_assert_num_queries, size, fmt):
    for day in range(1, size + 1):
        factories.project()
        factories.meeting(approved=True, day=day)
    for dataset, expected in DOWNLOAD_QUERIES.items():
        with django_assert_num_queries(expected):
            _download(api, dataset, fmt)


@pytest.mark.django_db
def test_project_download_rows_equal_the_serializer(api):
    """The projects download is built from plain values, as the list's pages are: each of
    its projects is exactly the serializer's detail."""
    parent = factories.project(code="A70011")
    child = factories.project(code="", cities=("tampere",))
    child.parent = parent
    child.save()
    items = _download(api, "projects", "json").json()["results"]
    assert [p["id"] for p in items] == [parent.pk, child.pk]
    for item in items:
        assert item == api.get(reverse("api:project-detail", args=[item["id"]])).json()
