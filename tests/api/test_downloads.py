"""Bulk downloads: every dataset as CSV and JSON, with the licence and the update time, in a
fixed number of queries, streamed in bounded memory."""

import csv
import datetime as dt
import hashlib
import io
import json
import math
import tracemalloc

import pytest
from django.urls import reverse

from projects.api import downloads
from projects.api.downloads import COLUMNS, DATASETS
from projects.models import Project
from sixaika.generator import generate_portfolio

from . import factories
from .responses import json_of, text


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
    data = json_of(as_json)
    assert data["licence"]["name"] == "CC BY 4.0"
    assert data["data_updated"] == as_json["X-Data-Updated"]
    assert data["count"] == len(data["results"]) > 0
    # The JSON is the API's own representation, the same as the list gives.
    listed = api.get(reverse(f"api:{dataset[:-1] if dataset != 'bodies' else 'body'}-list"))
    assert data["results"][0] == listed.json()["results"][0]
    assert as_csv["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(text(as_csv))))
    assert rows[0] == COLUMNS[dataset]
    assert len(rows) > 1


@pytest.mark.django_db
def test_project_csv_row(api):
    project = factories.project(code="A70011")
    [row] = csv.DictReader(io.StringIO(text(_download(api, "projects", "csv"))))
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
    [row] = csv.DictReader(io.StringIO(text(_download(api, "projects", "csv"))))
    assert row["name_fi"] == '\'=HYPERLINK("http://x")'
    # The JSON keeps the text as it is.
    assert json_of(_download(api, "projects", "json"))["results"][0]["name"]["fi"].startswith("=")


@pytest.mark.django_db
def test_empty_dataset_still_has_its_header(api):
    rows = list(csv.reader(io.StringIO(text(_download(api, "decisions", "csv")))))
    assert rows == [COLUMNS["decisions"]]
    assert json_of(_download(api, "decisions", "json"))["count"] == 0


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
    items = json_of(_download(api, "projects", "json"))["results"]
    assert [p["id"] for p in items] == [parent.pk, child.pk]
    for item in items:
        assert item == api.get(reverse("api:project-detail", args=[item["id"]])).json()


def _peak_memory(api, dataset: str, fmt: str) -> int:
    tracemalloc.start()
    try:
        _download(api, dataset, fmt)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_large_portfolio_is_streamed_in_batches_in_bounded_memory(
    api, org_6aika, monkeypatch, django_assert_num_queries, fmt
):
    """The whole portfolio is read a batch at a time (the queries grow by the five relation
    reads per batch, never per project) and streamed from a file; the memory a download takes
    while being made follows the batch, not the portfolio."""
    generate_portfolio(projects=200, seed=2, today=dt.date(2025, 10, 1))
    projects = Project.objects.count()
    monkeypatch.setattr(downloads, "CHUNK", 40)
    batches = math.ceil(projects / 40)
    assert batches >= 5
    with django_assert_num_queries(1 + 5 * batches + DATA_UPDATED_QUERIES):
        response = _download(api, "projects", fmt)
    assert response.streaming
    body = b"".join(response.streaming_content)
    assert len(body) == int(response["Content-Length"])
    if fmt == "json":
        data = json.loads(body)
        assert data["count"] == projects == len(data["results"])
        assert [p["id"] for p in data["results"]] == sorted(
            Project.objects.values_list("pk", flat=True)
        )
    else:
        assert len(list(csv.reader(io.StringIO(body.decode())))) == projects + 1
    # Batches of 10 take a fraction of the memory of one batch holding every project (which
    # is what a body built whole takes, and more).
    monkeypatch.setattr(downloads, "CHUNK", 10)
    small = _peak_memory(api, "projects", fmt)
    monkeypatch.setattr(downloads, "CHUNK", projects)
    whole = _peak_memory(api, "projects", fmt)
    assert small < whole / 3, (small, whole)


@pytest.mark.django_db
def test_the_streamed_download_is_the_whole_body_it_was_before(api):
    """Byte for byte what one ``json.dumps`` of the wrapped list gives, and its ETag the hash
    of those bytes."""
    for _ in range(3):
        factories.project()
    response = _download(api, "projects", "json")
    body = b"".join(response.streaming_content)
    data = json.loads(body)
    assert body == json.dumps(data, ensure_ascii=False).encode()
    assert response["ETag"] == f'"{hashlib.sha256(body).hexdigest()[:40]}"'
    assert int(response["Content-Length"]) == len(body)
