"""The applications import's django-import-export resource (docs/imports.md, "How the imports
are built").

``services.applications_import`` reads the file with ``core.tables`` and checks its columns;
the rows then go through ``ApplicationResource``: every cell is read by a widget
(``projects.resources``: amounts and dates by ``projects.parsing``, the one parser of every
import), a title twice in the file or already in the call is found before any row is written,
and each good row is registered through ``services.application_register`` in a savepoint.
import-export runs the rows in one transaction and rolls it back when any row is refused, so
a file is imported whole or not at all.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from governance.models import Organisation
from projects.resources import (
    AmountWidget,
    CellProblems,
    ChoiceWidget,
    CityWidget,
    DateWidget,
    ListWidget,
    TextWidget,
)

from . import services
from .models import Application, Call


def split_names(value: str) -> list[str]:
    """A cell listing names: ``;`` or a line break between them."""
    return [part.strip() for part in value.replace("\n", ";").split(";") if part.strip()]


def not_an_amount(text: str) -> str:
    return _("“%(value)s” is not an amount in euros.") % {"value": text}


def not_a_date(text: str) -> str:
    return _("“%(value)s” is not a date (use 31.12.2026 or 2026-12-31).") % {"value": text}


def unknown_city(name: str) -> str:
    return _("Unknown city “%(name)s”.") % {"name": name}


def unknown_stage(text: str) -> str:
    return _("The stage is “idea” or “full”, not “%(value)s”.") % {"value": text}


class OrganisationWidget(widgets.Widget):
    """An organisation the portal knows, by its name whatever the case and spacing."""

    def __init__(self):
        super().__init__()
        self._index: dict[str, Organisation] | None = None

    def clean(self, value, row=None, **kwargs) -> Organisation | None:
        name = "" if value is None else str(value)
        if not name.strip():
            return None
        if self._index is None:  # once per import
            self._index = {o.name.casefold(): o for o in Organisation.objects.all()}
        found = self._index.get(" ".join(name.split()).casefold())
        if found is None:
            raise CellProblems(
                [_("Unknown organisation “%(name)s”: add it first.") % {"name": name}]
            )
        return found


class ApplicationResource(resources.ModelResource):
    """A call's applications file, each column read by its widget. ``numbers`` are the file's
    row numbers of the dataset's rows (blank rows are no rows)."""

    title = fields.Field(column_name="title", widget=TextWidget(collapse=False))
    stage = fields.Field(
        column_name="stage",
        widget=ChoiceWidget(
            {stage: stage for stage in Application.Stage.values}, unknown_stage, fold=False
        ),
    )
    applicant = fields.Field(column_name="applicant", widget=OrganisationWidget())
    co_applicants = fields.Field(
        column_name="co_applicants", widget=ListWidget(OrganisationWidget(), split=split_names)
    )
    cities = fields.Field(
        column_name="cities", widget=ListWidget(CityWidget(unknown_city), split=split_names)
    )
    summary = fields.Field(column_name="summary", widget=TextWidget(collapse=False))
    budget = fields.Field(column_name="budget", widget=AmountWidget(not_an_amount))
    requested = fields.Field(column_name="requested", widget=AmountWidget(not_an_amount))
    start_date = fields.Field(column_name="start_date", widget=DateWidget(not_a_date))
    end_date = fields.Field(column_name="end_date", widget=DateWidget(not_a_date))

    class Meta:
        model = Application
        fields = tuple(services.IMPORT_COLUMNS)
        skip_diff = True
        clean_model_instances = False  # the service validates what it registers
        use_transactions = True

    def __init__(self, *, call: Call, by, today, numbers: list[int]):
        super().__init__()
        self.call = call
        self.by = by
        self.today = today
        self.numbers = numbers
        self.duplicates: dict[int, list[tuple[str, str]]] = {}  # by the file's row number
        self.specs: dict[int, services.ApplicationSpec] = {}
        self.created: list[Application] = []
        self._current = 0
        # one organisation index for the applicant and co-applicant columns
        self.fields["co_applicants"].widget.item = self.fields["applicant"].widget

    def before_import(self, dataset, **kwargs):
        """A title twice in the file, or already registered in the call at the same stage (an
        idea paper and its full application share a title), before any row is written."""

        def key(stage: str, title: str) -> tuple[str, str]:
            return (stage or Application.Stage.FULL, " ".join(title.split()).casefold())

        registered = {key(a.stage, a.title) for a in self.call.applications.only("stage", "title")}
        seen: dict[tuple[str, str], int] = {}
        for number, row in zip(self.numbers, dataset.dict, strict=True):
            title = " ".join((row.get("title") or "").split())
            if not title:
                continue
            found = key((row.get("stage") or "").strip(), title)
            if found in seen:
                message = _("The same title is already on row %(row)d.") % {"row": seen[found]}
            elif found in registered:
                message = _("“%(title)s” is already registered in this call.") % {"title": title}
            else:
                seen[found] = number
                continue
            self.duplicates.setdefault(number, []).append(("title", message))

    def before_import_row(self, row, **kwargs):
        self._current = kwargs["row_number"]

    def get_instance(self, instance_loader, row):
        return None  # every row is a new application (a repeat is refused above)

    def import_instance(self, instance, row, **kwargs):
        number = self.numbers[self._current - 1]
        problems = list(self.duplicates.get(number, []))
        for column in services.REQUIRED_COLUMNS:
            if not (row.get(column) or "").strip():
                problems.append((column, _("This column is required.")))
        values = {}
        for name in (
            "applicant",
            "co_applicants",
            "cities",
            "budget",
            "requested",
            "start_date",
            "end_date",
            "stage",
            "title",
            "summary",
        ):
            if name not in row:
                values[name] = None
                continue
            try:
                values[name] = self.fields[name].clean(row)
            except CellProblems as exc:
                problems.extend((name, message) for message in exc.messages)
        if problems:
            by_column: dict[str, list[str]] = {}
            for column, message in problems:
                by_column.setdefault(column or NON_FIELD_ERRORS, []).append(message)
            raise ValidationError(by_column)
        self.specs[self._current] = services.ApplicationSpec(
            title=values["title"],
            stage=values["stage"] or Application.Stage.FULL,
            applicant=values["applicant"],
            co_applicants=values["co_applicants"] or [],
            declared_cities=values["cities"] or [],
            summary=values["summary"],
            budget=values["budget"],
            requested=values["requested"],
            start_date=values["start_date"],
            end_date=values["end_date"],
        )

    def save_instance(self, instance, is_create, row, **kwargs):
        try:
            # a savepoint: a refused row leaves the transaction usable for the next rows
            with transaction.atomic():
                application = services.application_register(
                    call=self.call, spec=self.specs[self._current], by=self.by, today=self.today
                )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                raise ValidationError(
                    {
                        NON_FIELD_ERRORS if column == "__all__" else column: messages
                        for column, messages in error.message_dict.items()
                    }
                ) from error
            raise ValidationError({NON_FIELD_ERRORS: error.messages}) from error
        instance.pk = application.pk
        instance.title = application.title
        self.created.append(application)

    def save_m2m(self, instance, row, **kwargs):
        pass  # the service has written the application's relations
