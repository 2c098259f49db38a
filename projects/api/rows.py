"""The project list from plain values: the representation ``serializers.ProjectSerializer``
gives, built from ``selectors.projects_public_values`` and ``project_relations_values`` without
model objects, field objects or a ``reverse()`` per link (issue 19: the serializer spent about
80 ms of CPU on a page of 50). The serializer stays the documented schema and serves the
detail; tests/api/test_projects.py proves both give the same JSON."""

import decimal
from collections import defaultdict
from collections.abc import Callable

from django.urls import reverse
from rest_framework.request import Request

LANGUAGE_CODES = ("fi", "sv", "en")
_MARK = "987654321"  # a primary key no link is built with; its place in the reversed URL


def link_maker(request: Request | None, view_name: str) -> Callable[[object], str]:
    """``lambda pk: absolute URL of view_name for pk``, reversing the pattern only once."""
    url = reverse(view_name, args=[_MARK])
    if request is not None:
        url = request.build_absolute_uri(url)
    head, tail = url.rsplit(_MARK, 1)
    return lambda key: f"{head}{key}{tail}"


def money(value: decimal.Decimal | None, places: int = 2) -> str | None:
    """DRF DecimalField's string: quantized to the field's places, plain notation."""
    if value is None:
        return None
    if not isinstance(value, decimal.Decimal):  # a raw SQLite cursor gives numbers
        value = decimal.Decimal(str(value))
    return f"{value.quantize(decimal.Decimal(1).scaleb(-places)):f}"


def translated(row: dict, prefix: str) -> dict:
    return {code: row[f"{prefix}{code}"] or None for code in LANGUAGE_CODES}


def funding_rate(total_cost: decimal.Decimal, granted: decimal.Decimal) -> str | None:
    """As ``Project.funding_rate``: granted / total cost to four places."""
    if not total_cost:
        return None
    return money((granted / total_cost).quantize(decimal.Decimal("0.0001")), 4)


def _grouped(rows: list[dict]) -> dict[int, list[dict]]:
    by_project: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        by_project[row["project_id"]].append(row)
    return by_project


def project_rows(request: Request | None, rows: list[dict], related: dict[str, list[dict]]):
    """The API's project dicts, in the order of ``rows``."""
    project_link = link_maker(request, "api:project-detail")
    organisation_link = link_maker(request, "api:organisation-detail")
    city_link = link_maker(request, "api:city-detail")
    programme_link = link_maker(request, "api:programme-detail")
    theme_link = link_maker(request, "api:theme-detail")
    city_cache: dict[str, dict] = {}

    def city(row: dict) -> dict:
        slug = row["city__slug"]
        if slug not in city_cache:
            city_cache[slug] = {
                "slug": slug,
                "url": city_link(slug),
                "name": translated(row, "city__name_"),
            }
        return city_cache[slug]

    def organisation(pk: int, name: str) -> dict:
        return {"id": pk, "url": organisation_link(pk), "name": name}

    implementers = _grouped(related["implementers"])
    grants = _grouped(related["grants"])
    contributions = _grouped(related["city_contributions"])
    cities = _grouped(related["cities"])
    indicators = _grouped(related["indicators"])
    out = []
    for p in rows:
        pk = p["id"]
        theme = p["theme__slug"]
        out.append(
            {
                "id": pk,
                "url": project_link(pk),
                "code": p["code"] or None,
                "name": translated(p, "name_"),
                "summary": translated(p, "summary_"),
                "programme": {
                    "slug": p["programme__slug"],
                    "url": programme_link(p["programme__slug"]),
                    "name": translated(p, "programme__name_"),
                    "kind": p["programme__kind"],
                },
                "theme": {
                    "slug": theme,
                    "url": theme_link(theme),
                    "name": translated(p, "theme__name_"),
                }
                if theme is not None
                else None,
                "parent": project_link(p["parent_id"]) if p["parent_id"] is not None else None,
                "status": p["status"],
                "start_date": p["start_date"].isoformat() if p["start_date"] else None,
                "end_date": p["end_date"].isoformat() if p["end_date"] else None,
                "total_cost": money(p["total_cost"]),
                "granted": money(p["granted"]),
                "funding_rate": funding_rate(p["total_cost"], p["granted"]),
                "grants": [
                    {
                        "funder": organisation(g["funder_id"], g["funder__name"]),
                        "instrument": g["instrument"],
                        "amount": money(g["amount"]),
                    }
                    for g in grants.get(pk, ())
                ],
                "city_contributions": [
                    {"city": city(c), "amount": money(c["amount"])}
                    for c in contributions.get(pk, ())
                ],
                "implementers": [
                    {
                        "organisation": organisation(i["organisation_id"], i["organisation__name"]),
                        "is_lead": i["is_lead"],
                        "budget": money(i["budget"]),
                    }
                    for i in implementers.get(pk, ())
                ],
                "cities": [city(c) for c in cities.get(pk, ())],
                "indicators": [
                    {
                        "code": i["code"],
                        "name": translated(i, "name_"),
                        "unit": i["unit"],
                        "target": money(i["target"]),
                        "achieved": money(i["accepted_achieved"]),
                        "achieved_period": i["accepted_period"],
                    }
                    for i in indicators.get(pk, ())
                ],
            }
        )
    return out
