"""Spreadsheet downloads (CSV or XLSX from a tablib dataset) and formula neutralising: a text
cell that a spreadsheet would run as a formula gets a leading apostrophe in every export.
A CSV download is separated by semicolons and starts with a UTF-8 BOM, as a Finnish Excel
expects; XLSX is the first choice offered."""

from collections.abc import Iterable

import tablib
from django.http import HttpResponse

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A text cell starting with = + - @ (or tab/CR) gets a leading apostrophe, so a
    spreadsheet shows it as text instead of running it. Numbers and dates stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def dataset(headers: list[str], rows: Iterable[list[object]]) -> tablib.Dataset:
    """A dataset of ``rows`` under ``headers``, every cell neutralised."""
    data = tablib.Dataset(headers=headers)
    for row in rows:
        data.append([neutralise(v) for v in row])
    return data


def response(data: tablib.Dataset, fmt: str, filename: str) -> HttpResponse:
    if fmt == "xlsx":
        content: bytes | str = data.export("xlsx")
    else:
        # A semicolon and a BOM: a Finnish Excel then splits the columns (its list separator is
        # ";") and reads UTF-8 right.
        content = "\ufeff" + data.export("csv", delimiter=";")
    resp = HttpResponse(content, content_type=FORMATS[fmt])
    resp["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return resp
