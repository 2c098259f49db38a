"""Exports of the portfolio and of status reports as CSV or XLSX (tablib, as used by
django-import-export). Text cells that a spreadsheet would run as a formula are neutralised
(``core.spreadsheets``)."""

from collections.abc import Iterable
from decimal import Decimal

import tablib
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

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
# Added later, optional in an import: each funder's granted sum, in the order of ``funder``.
PORTFOLIO_EXTRA_COLUMNS = ["granted_by_funder_eur"]
EXPORT_COLUMNS = PORTFOLIO_COLUMNS + PORTFOLIO_EXTRA_COLUMNS

# The headings a person reads (in the reader's language, Finnish first); a program asks for the
# machine ids (``?headings=ids``). An import takes either, in any of the three languages.
PORTFOLIO_HEADINGS = {
    "code": _("Project code"),
    "name_fi": _("Name in Finnish"),
    "name_en": _("Name in English"),
    "programme": _("Programme"),
    "lead_organisation": _("Lead implementer"),
    "partner_organisations": _("Co-implementers"),
    "cities": _("Cities"),
    "instrument": _("Funding instrument"),
    "funder": _("Funder"),
    "total_budget_eur": _("Total budget (EUR)"),
    "granted_eur": _("Granted (EUR)"),
    "start_date": _("Start date"),
    "end_date": _("End date"),
    "theme": _("Theme"),
    "target_groups": _("Target groups"),
    "granted_by_funder_eur": _("Granted per funder (EUR)"),
}


def heading_aliases() -> dict[str, str]:
    """Every heading an import accepts, lower-case, -> its machine id."""
    aliases = {column: column for column in EXPORT_COLUMNS}
    for language in ("fi", "sv", "en"):
        with translation.override(language):
            for column, heading in PORTFOLIO_HEADINGS.items():
                aliases.setdefault(str(heading).strip().lower(), column)
    return aliases


def amount_text(value: Decimal, *, decimal_comma: bool) -> str:
    text = f"{value:.2f}"
    return text.replace(".", ",") if decimal_comma else text


def portfolio_dataset(
    projects: Iterable[Project], *, headings: str = "labels", fmt: str = "xlsx"
) -> tablib.Dataset:
    """The portfolio in the import's columns. ``headings`` "labels" (for people) or "ids" (for
    programs). XLSX gets numbers and date cells; CSV text that a Finnish spreadsheet reads
    (decimal comma) unless the headings are the machine ids."""
    csv_for_people = fmt == "csv" and headings != "ids"

    def amount(value: Decimal | None) -> object:
        if value is None:
            return ""
        return amount_text(value, decimal_comma=True) if csv_for_people else value

    def day(value) -> object:
        if value is None:
            return ""
        return value if fmt == "xlsx" else value.isoformat()

    def row(p: Project) -> list[object]:
        implementers = list(p.implementers.all())
        lead = next((i.organisation.name for i in implementers if i.is_lead), "")
        partners = [i.organisation.name for i in implementers if not i.is_lead]
        grants = sorted(p.grants.all(), key=lambda g: (-g.amount, g.funder.name, g.instrument))
        return [
            p.code,
            p.name_fi,
            p.name_en or "",
            p.programme.slug,
            lead,
            "; ".join(partners),
            "; ".join(c.name_fi for c in p.cities.all()),
            # one instrument per funder, in the same order: the import reads them back so
            "; ".join(g.instrument for g in grants),
            "; ".join(g.funder.name for g in grants),
            amount(p.total_cost),
            amount(p.granted) if grants or p.granted else "",
            day(p.start_date),
            day(p.end_date),
            p.theme.slug if p.theme else "",
            "; ".join(t.name for t in p.target_groups.all()),
            "; ".join(amount_text(g.amount, decimal_comma=csv_for_people) for g in grants),
        ]

    header = (
        EXPORT_COLUMNS
        if headings == "ids"
        else [str(PORTFOLIO_HEADINGS[c]) for c in EXPORT_COLUMNS]
    )
    return dataset(header, (row(p) for p in projects))


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


REPORT_HEADINGS = {
    "project_code": _("Project code"),
    "project": _("Project"),
    "period": _("Reporting period"),
    "state": _("State"),
    "overall_status": _("Overall status"),
    "schedule_status": _("Schedule"),
    "budget_status": _("Budget"),
    "scope_status": _("Scope"),
    "costs_to_date_eur": _("Costs to date (EUR)"),
    "narrative": _("Progress"),
    "risks": _("Risks"),
    "next_steps": _("Next steps"),
    "updated_at": _("Updated"),
}


def reports_dataset(
    reports: Iterable[StatusReport], *, headings: str = "labels", fmt: str = "xlsx"
) -> tablib.Dataset:
    """Status reports: for people (``headings`` "labels") the headings, states and colours in
    the reader's language; for a program (``"ids"``) the machine ids and values. XLSX gets
    number and date-time cells, a CSV for people decimal commas."""
    people = headings != "ids"

    def costs(value: Decimal | None) -> object:
        if value is None:
            return ""
        if fmt == "xlsx":
            return value
        return amount_text(value, decimal_comma=people)

    def updated(r: StatusReport) -> object:
        if fmt == "xlsx":  # a spreadsheet's date-time has no time zone: the portal's local time
            return timezone.localtime(r.updated_at).replace(tzinfo=None, microsecond=0)
        return r.updated_at.isoformat(timespec="seconds")

    def shown(r: StatusReport, name: str) -> str:
        return (
            getattr(r, f"get_{name}_display")() if people and getattr(r, name) else getattr(r, name)
        )

    header = REPORT_COLUMNS if not people else [str(REPORT_HEADINGS[c]) for c in REPORT_COLUMNS]
    return dataset(
        header,
        (
            [
                r.project.code,
                r.project.name_fi,
                r.period.name,
                shown(r, "state"),
                shown(r, "overall_status"),
                shown(r, "schedule_status"),
                shown(r, "budget_status"),
                shown(r, "scope_status"),
                costs(r.costs_to_date),
                r.narrative,
                r.risks,
                r.next_steps,
                updated(r),
            ]
            for r in reports
        ),
    )
