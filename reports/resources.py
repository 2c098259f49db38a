"""Exports and imports for the strategy office (django-import-export resources).

The portfolio and the status reports reuse ``projects.exports`` (the projects import exists
there); decisions and the organisation directory have resources here. Every exported text cell
that a spreadsheet would run as a formula is neutralised with ``core.spreadsheets.neutralise``.
The organisation directory is imported through the same resource: the file is read by
``projects.tables`` (as every import), every row is checked first (a name or a Business ID
twice, a Business ID of another organisation, then a dry run in a transaction that is rolled
back), and rows are written through ``governance.services.organisation_upsert``, all or nothing.
An organisation is matched on its name whatever the case, as the service matches it.
"""

import tablib
from django.db import transaction
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from core.spreadsheets import neutralise
from core.tables import Table, TableProblem, read_table
from governance.models import City, Decision, Organisation
from governance.services import organisation_upsert
from projects.exports import portfolio_dataset, reports_dataset
from projects.models import StatusReport
from projects.selectors import portfolio_export_rows


def neutralised(data: tablib.Dataset) -> tablib.Dataset:
    clean = tablib.Dataset(headers=data.headers)
    for row in data:
        clean.append([neutralise(value) for value in row])
    return clean


class DecisionResource(resources.ModelResource):
    meeting_date = fields.Field(attribute="agenda_item__meeting__starts_at", column_name="meeting")
    body = fields.Field(attribute="agenda_item__meeting__body__name", column_name="body")
    item = fields.Field(attribute="agenda_item__order", column_name="item")
    title = fields.Field(attribute="agenda_item__title", column_name="title")

    class Meta:
        model = Decision
        fields = ("meeting_date", "body", "item", "title", "outcome", "text", "conditions")
        export_order = fields

    def dehydrate_meeting_date(self, decision: Decision) -> str:
        return decision.agenda_item.meeting.starts_at.date().isoformat()


class CityWidget(widgets.ForeignKeyWidget):
    """A city by its identifier or its name in any language; an unknown one is named."""

    def __init__(self):
        super().__init__(City, "slug")

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return None
        for city in City.objects.all():
            names = (city.slug, city.name_fi, city.name_sv, city.name_en)
            if text.casefold() in {n.casefold() for n in names if n}:
                return city
        raise ValueError(
            _(
                "“%(name)s” is not one of the six cities (Helsinki, Espoo, Vantaa, "
                "Tampere, Turku, Oulu)."
            )
            % {"name": text}
        )


class OrganisationResource(resources.ModelResource):
    city = fields.Field(attribute="city", column_name="city", widget=CityWidget())

    class Meta:
        model = Organisation
        fields = ("name", "kind", "business_id", "city")
        export_order = fields
        import_id_fields = ("name",)
        skip_unchanged = True
        clean_model_instances = True
        use_transactions = True

    def get_instance(self, instance_loader, row):
        # The service finds an organisation by its name whatever the case; so does the preview.
        name = " ".join(str(row.get("name") or "").split())
        return Organisation.objects.filter(name__iexact=name).first() if name else None

    def save_instance(self, instance, is_create, row, **kwargs):
        # Writes go through the service (it validates and finds the organisation by name).
        saved = organisation_upsert(
            name=instance.name,
            kind=instance.kind,
            city=instance.city,
            business_id=instance.business_id,
        )
        instance.pk = saved.pk


def dataset(what: str, *, fmt: str = "xlsx") -> tablib.Dataset:
    """The export ``what`` (portfolio, status_reports, decisions, organisations), neutralised."""
    from projects.selectors import portfolio

    if what == "portfolio":
        rows = portfolio_export_rows(portfolio().order_by("name_fi"))
        return portfolio_dataset(rows, fmt=fmt)
    if what == "status_reports":
        reports = StatusReport.objects.select_related("project", "period").order_by(
            "period__start_date", "project__name_fi"
        )
        return reports_dataset(reports, fmt=fmt)
    if what == "decisions":
        queryset = Decision.objects.select_related("agenda_item__meeting__body").order_by(
            "agenda_item__meeting__starts_at", "agenda_item__order"
        )
        return neutralised(DecisionResource().export(queryset))
    if what == "organisations":
        queryset = Organisation.objects.select_related("city").order_by("name")
        return neutralised(OrganisationResource().export(queryset))
    raise KeyError(what)


EXPORTS = ("portfolio", "status_reports", "decisions", "organisations")


ORGANISATION_COLUMNS = ["name", "kind", "business_id", "city"]


def _dataset(table: Table) -> tablib.Dataset:
    data = tablib.Dataset(headers=table.headers)
    for row in table.rows.values():
        data.append([row[h] for h in table.headers])
    return data


def _duplicates(table: Table) -> dict[int, list[tuple[str, str]]]:
    """(column, message) per row number: a name or a Business ID twice in the file, or a
    Business ID that another organisation in the portal already has."""
    taken = dict(Organisation.objects.exclude(business_id="").values_list("business_id", "name"))
    names: dict[str, int] = {}
    business_ids: dict[str, int] = {}
    problems: dict[int, list[tuple[str, str]]] = {}
    for number, row in table.rows.items():
        name = " ".join(str(row.get("name") or "").split())
        business_id = str(row.get("business_id") or "").strip()
        if name:
            if name.casefold() in names:
                problems.setdefault(number, []).append(
                    (
                        "name",
                        _("The same name is already on row %(row)d.")
                        % {"row": names[name.casefold()]},
                    )
                )
            names.setdefault(name.casefold(), number)
        if business_id:
            if business_id in business_ids:
                message = _("The same Business ID is already on row %(row)d.") % {
                    "row": business_ids[business_id]
                }
            elif business_id in taken and taken[business_id].casefold() != name.casefold():
                message = _("Business ID %(value)s already belongs to %(name)s.") % {
                    "value": business_id,
                    "name": taken[business_id],
                }
            else:
                business_ids[business_id] = number
                continue
            problems.setdefault(number, []).append(("business_id", message))
    return problems


def _row_message(row: int, column: str, message: str) -> str:
    if column and column != "__all__":
        return _("Row %(row)d, column %(column)s: %(message)s") % {
            "row": row,
            "column": column,
            "message": message,
        }
    return _("Row %(row)d: %(message)s") % {"row": row, "message": message}


def organisations_import(*, content: bytes, filename: str, dry_run: bool) -> tuple[list, list[str]]:
    """Import the organisation directory from a CSV or XLSX file: (preview rows, errors).
    Nothing is saved when there is any error, or on a dry run."""
    try:
        table = read_table(content, filename)
    except TableProblem as problem:
        return [], [_row_message(problem.row, problem.column, str(problem))]
    missing = [c for c in ("name", "kind") if c not in table.headers]
    if missing:
        problem = _("Missing columns: %(columns)s") % {"columns": ", ".join(missing)}
        return [], [_row_message(1, "", problem)]
    unknown = [c for c in table.headers if c not in ORGANISATION_COLUMNS]
    if unknown:
        problem = _("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)}
        return [], [_row_message(1, "", problem)]
    if not table.rows:
        return [], [_row_message(1, "", _("The file has no data rows."))]
    numbers = list(table.rows)  # blank rows are left out: the n-th data row is row numbers[n-1]
    problems = _duplicates(table)
    resource = OrganisationResource()
    data = _dataset(table)
    with transaction.atomic():
        result = resource.import_data(
            data, dry_run=True, raise_errors=False, use_transactions=True, collect_failed_rows=True
        )
    for line, row_errors in result.row_errors():
        for error in row_errors:
            problems.setdefault(numbers[line - 1], []).append(("", str(error.error)))
    for invalid in result.invalid_rows:
        number = numbers[invalid.number - 1]
        flagged = {column for column, _message in problems.get(number, [])}
        for field_name, messages in invalid.error_dict.items():
            if field_name == "__all__" and "business_id" in flagged:
                continue  # the unique constraint's words for what is said above
            problems.setdefault(number, []).append((field_name, " ".join(messages)))
    errors = [
        _row_message(number, column, message)
        for number in sorted(problems)
        for column, message in problems[number]
    ]
    labels = {"new": _("New"), "update": _("Updated"), "skip": _("Unchanged")}
    preview = [
        (labels.get(row.import_type, row.import_type), row.object_repr or "")
        for row in result.rows
        if row.import_type != "error" and not row.validation_error
    ]
    if errors or dry_run:
        return preview, errors
    with transaction.atomic():
        final = resource.import_data(data, dry_run=False, raise_errors=True, use_transactions=True)
    return [(labels.get(r.import_type, r.import_type), r.object_repr or "") for r in final.rows], []
