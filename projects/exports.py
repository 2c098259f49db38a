"""Exports of the portfolio and of status reports as CSV or XLSX (tablib, as used by
django-import-export). Text cells that a spreadsheet would run as a formula are neutralised
(``core.spreadsheets``)."""

from collections.abc import Iterable

import tablib

from core.spreadsheets import dataset

from .models import Project, StatusReport

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

    return dataset(PORTFOLIO_COLUMNS, (row(p) for p in projects))


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
    return dataset(
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
