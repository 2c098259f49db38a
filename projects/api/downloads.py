"""Bulk downloads: each dataset whole, as JSON (the API's own representation, with the licence
and the update time) or as CSV (one row per project, organisation, seat or decision).

CSV text cells that a spreadsheet would run as a formula are neutralised, as in the portal's
own exports.

Memory stays bounded whatever the dataset's size: the rows are read ``CHUNK`` at a time
(``.iterator(chunk_size=...)``; a project batch's relations in five queries), serialised one by
one into a temporary file while their hash is taken, and the file is streamed to the client
(``FileResponse``). The file comes first, not a generator straight to the socket, because every
answer carries an ETag that is the hash of the whole representation (``conditional``), and the
JSON's ``count`` comes before its results."""

import csv
import hashlib
import itertools
import json
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import IO

from django.http import FileResponse, Http404
from rest_framework.request import Request
from rest_framework.utils.encoders import JSONEncoder

from core.spreadsheets import neutralise

from . import rows, selectors, serializers

FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def _names(ref: dict | None) -> str:
    return ref["name"] if ref else ""


def _fi(text: dict | None) -> str:
    return (text or {}).get("fi") or ""


def _indicator(i: dict) -> str:
    achieved = i["achieved"] if i["achieved"] is not None else "-"
    return f"{i['code']} {_fi(i['name'])}: {achieved} / {i['target']} {i['unit']}"


def _project_rows(items: Iterable[dict]) -> Iterable[dict]:
    for p in items:
        yield {
            "id": p["id"],
            "url": p["url"],
            "code": p["code"] or "",
            "name_fi": p["name"]["fi"] or "",
            "name_sv": p["name"]["sv"] or "",
            "name_en": p["name"]["en"] or "",
            "programme": p["programme"]["slug"],
            "theme": p["theme"]["slug"] if p["theme"] else "",
            "status": p["status"],
            "start_date": p["start_date"] or "",
            "end_date": p["end_date"] or "",
            "total_cost_eur": p["total_cost"],
            "granted_eur": p["granted"],
            "funding_rate": p["funding_rate"] or "",
            "grants": "; ".join(
                f"{g['funder']['name']} ({g['instrument']}): {g['amount']}" for g in p["grants"]
            ),
            "instruments": "; ".join(sorted({g["instrument"] for g in p["grants"]})),
            "lead_implementer": next(
                (i["organisation"]["name"] for i in p["implementers"] if i["is_lead"]), ""
            ),
            "implementers": "; ".join(i["organisation"]["name"] for i in p["implementers"]),
            "cities": "; ".join(c["slug"] for c in p["cities"]),
            "indicators": "; ".join(_indicator(i) for i in p["indicators"]),
        }


def _organisation_rows(items: Iterable[dict]) -> Iterable[dict]:
    for o in items:
        yield {
            "id": o["id"],
            "url": o["url"],
            "name": o["name"],
            "kind": o["kind"],
            "business_id": o["business_id"],
            "city": o["city"]["slug"] if o["city"] else "",
        }


def _person(prefix: str, person: dict | None) -> dict:
    return {
        f"{prefix}_name": person["name"] if person else "",
        f"{prefix}_title": _fi(person["title"]) if person else "",
        f"{prefix}_organisation": _names(person["organisation"]) if person else "",
    }


def _seat_rows(items: Iterable[dict]) -> Iterable[dict]:
    for body in items:
        for seat in body["seats"]:
            yield {
                "body_id": body["id"],
                "body": body["kind"],
                "body_name": _fi(body["name"]),
                "seat": seat["order"],
                "role": seat["role"],
                "is_rotating": seat["is_rotating"],
                "label": _fi(seat["label"]),
                "organisation": _names(seat["organisation"]),
                **_person("member", seat["member"]),
                **_person("deputy", seat["deputy"]),
                "term_start": seat["term_start"] or "",
                "term_end": seat["term_end"] or "",
            }


def _decision_rows(items: Iterable[dict]) -> Iterable[dict]:
    for d in items:
        yield {
            "id": d["id"],
            "url": d["url"],
            "body": d["body"]["kind"],
            "meeting_starts_at": d["meeting"]["starts_at"],
            "item_number": d["item_number"],
            "title_fi": d["title"]["fi"] or "",
            "title_sv": d["title"]["sv"] or "",
            "title_en": d["title"]["en"] or "",
            "outcome": d["outcome"],
            "conditions": d["conditions"],
            "text": d["text"],
            "minutes_pdf": d["meeting"]["minutes_pdf"],
        }


COLUMNS = {
    "projects": [
        "id", "url", "code", "name_fi", "name_sv", "name_en", "programme", "theme", "status",
        "start_date", "end_date", "total_cost_eur", "granted_eur", "funding_rate", "grants",
        "instruments", "lead_implementer", "implementers", "cities", "indicators",
    ],
    "organisations": ["id", "url", "name", "kind", "business_id", "city"],
    "bodies": [
        "body_id", "body", "body_name", "seat", "role", "is_rotating", "label", "organisation",
        "member_name", "member_title", "member_organisation",
        "deputy_name", "deputy_title", "deputy_organisation", "term_start", "term_end",
    ],
    "decisions": [
        "id", "url", "body", "meeting_starts_at", "item_number", "title_fi", "title_sv",
        "title_en", "outcome", "conditions", "text", "minutes_pdf",
    ],
}  # fmt: skip

# dataset -> (queryset, serializer, CSV rows)
DATASETS: dict[str, tuple[Callable, type, Callable[[Iterable[dict]], Iterable[dict]]]] = {
    "projects": (selectors.projects_public, serializers.ProjectSerializer, _project_rows),
    "organisations": (
        selectors.organisations_public,
        serializers.OrganisationSerializer,
        _organisation_rows,
    ),
    "bodies": (selectors.bodies_public, serializers.BodySerializer, _seat_rows),
    "decisions": (selectors.decisions_register, serializers.DecisionSerializer, _decision_rows),
}


# Rows read, and projects' relations fetched, this many at a time.
CHUNK = 500


def _batches(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _items(request: Request, dataset: str) -> Iterator[dict]:
    """The dataset's API representations one by one, read ``CHUNK`` rows at a time."""
    queryset, serializer_class, _csv_rows = DATASETS[dataset]
    if dataset == "projects":  # from plain values as the list's pages are, a batch at a time
        values = selectors.projects_public_values(queryset()).iterator(chunk_size=CHUNK)
        for batch in _batches(values, CHUNK):
            related = selectors.project_relations_values([row["id"] for row in batch])
            yield from rows.project_rows(request, batch, related)
        return
    for instance in queryset().iterator(chunk_size=CHUNK):
        yield serializer_class(instance, context={"request": request}).data


class _Spool:
    """A temporary file written in UTF-8, hashing what it is given."""

    def __init__(self) -> None:
        self.file: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
        self.hash = hashlib.sha256()

    def write(self, text: str) -> None:
        data = text.encode()
        self.hash.update(data)
        self.file.write(data)


def _updated() -> str | None:
    updated = selectors.data_updated()
    return updated.isoformat() if updated else None


def _json(spool: _Spool, items: Iterable[dict], *, licence: dict) -> str | None:
    """What ``json.dumps`` of the whole wrapped list gives, written an item at a time: the
    results go to a second file first, since the count precedes them (and the update time,
    read after the data as before). Returns the update time."""

    def dumps(value: object) -> str:
        return json.dumps(value, cls=JSONEncoder, ensure_ascii=False)

    count = 0
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as results:
        for item in items:
            results.write((", " if count else "") + dumps(item))
            count += 1
        updated = _updated()
        head = dumps({"licence": licence, "data_updated": updated, "count": count, "results": []})
        spool.write(head[: -len("]}")])
        results.seek(0)
        while text := results.read(64 * 1024):
            spool.write(text)
    spool.write("]}")
    return updated


def _csv(spool: _Spool, columns: list[str], rows: Iterable[dict]) -> None:
    writer = csv.DictWriter(spool, fieldnames=columns)  # a row with another column fails loudly
    writer.writeheader()
    for row in rows:
        writer.writerow({k: neutralise(v) for k, v in row.items()})


class DownloadResponse(FileResponse):
    """The spooled file, streamed in blocks of 64 KB; ``content_digest`` is its hash, for the
    ETag (``conditional``)."""

    block_size = 64 * 1024

    def __init__(self, spool: _Spool, *, content_type: str) -> None:
        self.content_digest = spool.hash.hexdigest()
        spool.file.seek(0)
        super().__init__(spool.file, content_type=content_type)


def response(request: Request, *, dataset: str, fmt: str, licence: dict) -> DownloadResponse:
    if dataset not in DATASETS or fmt not in FORMATS:
        raise Http404
    items = _items(request, dataset)
    spool = _Spool()
    try:
        if fmt == "json":
            updated = _json(spool, items, licence=licence)
        else:
            _csv(spool, COLUMNS[dataset], DATASETS[dataset][2](items))
            updated = _updated()
    except BaseException:
        spool.file.close()
        raise
    answer = DownloadResponse(spool, content_type=FORMATS[fmt])
    answer["Content-Disposition"] = f'attachment; filename="6aika-{dataset}.{fmt}"'
    answer["Link"] = f'<{licence["url"]}>; rel="license"'
    answer["X-Licence"] = licence["name"]
    if updated:
        answer["X-Data-Updated"] = updated
    return answer
