"""Exports of the portfolio and of status reports as CSV or XLSX (tablib, as used by
django-import-export). Text cells that a spreadsheet would run as a formula are neutralised."""

from collections.abc import Iterable

import tablib
from django.http import HttpResponse

from .models import Project, StatusReport

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

PORTFOLIO_COLUMNS = [
    "code",
    "name_fi",
    "name_en",
    "programme",
    "lead_organisation",
    "partner_organisations",
    "cities",
    "instrument",
    "funder",
    "total_budget_eur",
    "granted_eur",
    "start_date",
    "end_date",
    "theme",
    "target_groups",
]


def neutralise(value: object) -> object:
    """A text cell starting with = + - @ (or tab/CR) gets a leading apostrophe, so a
    spreadsheet shows it as text instead of running it. Numbers and dates stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _dataset(headers: list[str], rows: Iterable[list[object]]) -> tablib.Dataset:
    data = tablib.Dataset(headers=headers)
    for row in rows:
        data.append([neutralise(v) for v in row])
    return data


def portfolio_dataset(projects: Iterable[Project]) -> tablib.Dataset:
    def row(p: Project) -> list[object]:
        implementers = list(p.implementers.all())
        lead = next((i.organisation.name for i in implementers if i.is_lead), "")
        partners = [i.organisation.name for i in implementers if not i.is_lead]
        grants = list(p.grants.all())
        return [
            p.code,
            p.name_fi,
            p.name_en or "",
            p.programme.slug,
            lead,
            "; ".join(partners),
            "; ".join(c.name_fi for c in p.cities.all()),
            "; ".join(sorted({g.instrument for g in grants})),
            "; ".join(g.funder.name for g in grants),
            p.total_cost,
            p.granted,
            p.start_date.isoformat() if p.start_date else "",
            p.end_date.isoformat() if p.end_date else "",
            p.theme.slug if p.theme else "",
            "; ".join(t.name for t in p.target_groups.all()),
        ]

    return _dataset(PORTFOLIO_COLUMNS, (row(p) for p in projects))


REPORT_COLUMNS = [
    "project_code",
    "project",
    "period",
    "state",
    "overall_status",
    "schedule_status",
    "budget_status",
    "scope_status",
    "costs_to_date_eur",
    "narrative",
    "risks",
    "next_steps",
    "updated_at",
]


def reports_dataset(reports: Iterable[StatusReport]) -> tablib.Dataset:
    return _dataset(
        REPORT_COLUMNS,
        (
            [
                r.project.code,
                r.project.name_fi,
                r.period.name,
                r.state,
                r.overall_status,
                r.schedule_status,
                r.budget_status,
                r.scope_status,
                r.costs_to_date if r.costs_to_date is not None else "",
                r.narrative,
                r.risks,
                r.next_steps,
                r.updated_at.isoformat(timespec="seconds"),
            ]
            for r in reports
        ),
    )


def response(data: tablib.Dataset, fmt: str, filename: str) -> HttpResponse:
    if fmt == "xlsx":
        content: bytes | str = data.export("xlsx")
    else:
        content = "\ufeff" + data.export("csv")  # BOM: spreadsheets then read UTF-8 right
    resp = HttpResponse(content, content_type=FORMATS[fmt])
    resp["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return resp
