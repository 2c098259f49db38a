"""Import of the portfolio from CSV or XLSX, all or nothing (docs/imports.md).

The file is read by ``core.tables`` (encoding, separator, formula cells, the row cap while
reading: the same for every import); the headings may be the column ids or the headings of the
portal's own export in any of its languages. The rows then go through the django-import-export
resource ``projects.resources.ProjectResource``: every row is read and checked before anything
is written, every problem is reported with its row number, column and what to fix, and the rows
are written through ``services.project_upsert`` in one transaction that a dry run (the preview)
or any refused row rolls back.

Wrong rows are refused; rows that are incomplete but not wrong are imported and flagged
``needs_completion`` with what is missing: a funder without its granted sum, a broken two-city
rule, no lead implementer or period. Several funders are given as the export writes them
(aligned lists in ``funder``, ``instrument`` and ``granted_by_funder_eur``), so the portal's
own export imports back unchanged. Organisations the portal does not know are listed with the
nearest known names and created only when the office confirms them. A re-import changes only
what the row holds: empty cells, and what the file has no column for (parent, summaries,
sub-budgets, city contributions, status), keep what is stored.
"""

from dataclasses import dataclass, field

import tablib
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _

from core.tables import MAX_ROWS, TableProblem, read_table

from .exports import heading_aliases
from .resources import (
    COLUMNS,
    OPTIONAL_COLUMNS,
    ProjectResource,
    UnknownOrganisation,
)

__all__ = ["COLUMNS", "OPTIONAL_COLUMNS", "UnknownOrganisation", "projects_import", "read_rows"]


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("Row %(row)d, column %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class PreviewRow:
    row: int
    name: str
    code: str
    action: str  # "new" or "update"
    flags: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    rows: list[PreviewRow] = field(default_factory=list)
    unknown: list[UnknownOrganisation] = field(default_factory=list)
    dry_run: bool = True

    @property
    def new_organisations(self) -> list[str]:
        """The unknown names once each, in the file's order."""
        return list(dict.fromkeys(u.name for u in self.unknown))

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def created(self) -> int:
        return sum(1 for r in self.rows if r.action == "new")

    @property
    def updated(self) -> int:
        return sum(1 for r in self.rows if r.action == "update")


FileProblem = TableProblem  # the file as a whole cannot be read


def read_rows(content: bytes, filename: str) -> dict[int, dict[str, str]]:
    """The file's data rows by row number, as dicts keyed by column; raises FileProblem."""
    table = read_table(content, filename, max_rows=MAX_ROWS)
    aliases = heading_aliases()
    headers = [aliases.get(h, h) for h in table.headers]
    missing = [c for c in COLUMNS if c not in headers]
    unknown = [h for h in table.headers if aliases.get(h) is None]
    twice = sorted({h for h in headers if headers.count(h) > 1})
    if twice:
        raise FileProblem(
            _("The columns %(cols)s are named twice in the first row.") % {"cols": ", ".join(twice)}
        )
    if missing or unknown:
        parts = []
        if missing:
            parts.append(_("missing columns: %(cols)s") % {"cols": ", ".join(missing)})
        if unknown:
            parts.append(_("unknown columns: %(cols)s") % {"cols": ", ".join(unknown)})
        raise FileProblem(
            _("The first row must name exactly the columns %(expected)s; %(problems)s.")
            % {"expected": ", ".join(COLUMNS), "problems": "; ".join(parts)}
        )
    if not table.rows:
        raise FileProblem(_("The file has no data rows."))
    by_id = dict(zip(table.headers, headers, strict=True))
    rows = {}
    for number, raw in table.rows.items():
        row = dict.fromkeys(OPTIONAL_COLUMNS, "")
        row.update({by_id[h]: value for h, value in raw.items()})
        rows[number] = row
    return rows


def projects_import(
    *, content: bytes, filename: str, dry_run: bool, create_organisations: bool = False
) -> ImportResult:
    """Import a file all or nothing; returns the errors or, if none, the preview of the rows.

    Organisations the portal does not know are listed (``result.unknown``) with the nearest
    known names; they are created only with ``create_organisations`` (the office's
    confirmation), otherwise a real import refuses them. A dry run creates them for the preview
    and rolls everything back."""
    result = ImportResult(dry_run=dry_run)
    try:
        rows = read_rows(content, filename)
    except FileProblem as exc:
        result.errors.append(RowError(exc.row, exc.column, str(exc)))
        return result
    headers = [*COLUMNS, *OPTIONAL_COLUMNS]
    data = tablib.Dataset(headers=headers)
    for row in rows.values():
        data.append([row[h] for h in headers])
    numbers = list(rows)  # the file's row numbers: blank rows are no rows
    resource = ProjectResource(
        numbers=numbers, refuse_unknown=not dry_run and not create_organisations
    )
    outcome = resource.import_data(
        data,
        dry_run=dry_run,
        use_transactions=True,
        rollback_on_validation_errors=True,  # all or nothing
    )
    for error in outcome.base_errors:
        raise error.error  # a fault of the portal, not of the file: not hidden as a row's
    for _line, row_errors in outcome.row_errors():
        raise row_errors[0].error
    result.unknown = resource.unknown
    for invalid in outcome.invalid_rows:
        number = numbers[invalid.number - 1]
        for column, messages in invalid.error_dict.items():
            column = "" if column == NON_FIELD_ERRORS else column
            result.errors.extend(RowError(number, column, message) for message in messages)
    if result.errors:
        return result
    result.rows = [
        PreviewRow(row=s.row, name=s.name, code=s.code, action=s.action, flags=s.flags)
        for _index, s in sorted(resource.saved.items())
    ]
    return result
