"""Exports and imports for the strategy office (django-import-export resources).

The portfolio and the status reports reuse ``projects.exports`` (the projects import exists
there); decisions and the organisation directory have resources here. Every exported text cell
that a spreadsheet would run as a formula is neutralised with ``projects.exports.neutralise``.
The organisation directory is imported through the same resource: every row is checked first
(a dry run in a transaction that is rolled back), and rows are written through
``governance.services.organisation_upsert``, all or nothing.
"""

import tablib
from django.db import transaction
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from governance.models import City, Decision, Organisation
from governance.services import organisation_upsert
from projects.exports import neutralise, portfolio_dataset, reports_dataset
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


class OrganisationResource(resources.ModelResource):
    city = fields.Field(
        attribute="city", column_name="city", widget=widgets.ForeignKeyWidget(City, "slug")
    )

    class Meta:
        model = Organisation
        fields = ("name", "kind", "business_id", "city")
        export_order = fields
        import_id_fields = ("name",)
        skip_unchanged = True
        clean_model_instances = True
        use_transactions = True

    def save_instance(self, instance, is_create, row, **kwargs):
        # Writes go through the service (it validates and finds the organisation by name).
        saved = organisation_upsert(
            name=instance.name,
            kind=instance.kind,
            city=instance.city,
            business_id=instance.business_id,
        )
        instance.pk = saved.pk


def dataset(what: str) -> tablib.Dataset:
    """The export ``what`` (portfolio, status_reports, decisions, organisations), neutralised."""
    from projects.selectors import portfolio

    if what == "portfolio":
        return portfolio_dataset(portfolio_export_rows(portfolio().order_by("name_fi")))
    if what == "status_reports":
        reports = StatusReport.objects.select_related("project", "period").order_by(
            "period__start_date", "project__name_fi"
        )
        return reports_dataset(reports)
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


def organisations_import(data: tablib.Dataset, *, dry_run: bool) -> tuple[list, list[str]]:
    """Import the organisation directory: (preview rows, errors). Nothing is saved when there is
    any error, or on a dry run."""
    resource = OrganisationResource()
    missing = [c for c in ("name", "kind") if c not in (data.headers or [])]
    if missing:
        return [], [_("Missing columns: %(columns)s") % {"columns": ", ".join(missing)}]
    with transaction.atomic():
        result = resource.import_data(
            data, dry_run=True, raise_errors=False, use_transactions=True, collect_failed_rows=True
        )
    errors: list[str] = []
    for line, row_errors in result.row_errors():
        for error in row_errors:
            errors.append(_("Row %(row)d: %(message)s") % {"row": line + 1, "message": error.error})
    for invalid in result.invalid_rows:
        for field_name, messages in invalid.error_dict.items():
            errors.append(
                _("Row %(row)d, column %(column)s: %(message)s")
                % {"row": invalid.number + 1, "column": field_name, "message": " ".join(messages)}
            )
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
