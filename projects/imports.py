"""Import of the portfolio from CSV or XLSX, all or nothing.

The file is read by ``projects.tables`` (encoding, separator, formula cells: the same for every
import); every row is parsed and checked before anything is written, and every problem is
reported with its row number, column and what to fix. Rows are then written through
``services.project_upsert`` in one transaction; a dry run rolls that transaction back and
returns the same preview.
Historical rows that break the programme's two-city rule, or lack the lead implementer or the
period, are imported and flagged ``needs_completion`` rather than refused. A re-import changes
only what the row holds: empty cells, and what the file has no column for (parent, summaries,
sub-budgets, city contributions, status), keep what is stored.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.tables import TableProblem, read_table
from governance.models import City

from . import services
from .exports import PORTFOLIO_COLUMNS
from .models import Instrument, Theme
from .parsing import parse_amount, parse_date, split_list

COLUMNS = PORTFOLIO_COLUMNS
MAX_ROWS = 10_000

INSTRUMENT_ALIASES = {
    **{c.value.lower(): c.value for c in Instrument},
    "erdf": Instrument.ERDF,
    "esf": Instrument.ESF,
    "esr+": Instrument.ESF,
    "kansallinen": Instrument.NATIONAL,
    "kaupunki": Instrument.CITY,
    "react": Instrument.REACT_EU,
}
PROGRAMME_ALIASES = {"6aika": "6aika", "other": "other", "muu": "other", "muu rahoitus": "other"}


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
    dry_run: bool = True

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
    table = read_table(content, filename)
    missing = [c for c in COLUMNS if c not in table.headers]
    unknown = [h for h in table.headers if h not in COLUMNS]
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
    if len(table.rows) > MAX_ROWS:
        raise FileProblem(_("At most %(max)d rows at a time.") % {"max": MAX_ROWS})
    if not table.rows:
        raise FileProblem(_("The file has no data rows."))
    return table.rows


@dataclass
class ParsedRow:
    number: int
    values: dict[str, object]


def _cities() -> dict[str, City]:
    index = {}
    for city in City.objects.all():
        for name in (city.slug, city.name_fi, city.name_sv, city.name_en):
            if name:
                index[name.lower()] = city
    return index


def _parse(rows: dict[int, dict[str, str]]) -> tuple[list[ParsedRow], list[RowError]]:
    errors: list[RowError] = []
    parsed = []
    cities = _cities()
    seen_codes: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    for index, raw in rows.items():  # row 1 is the header

        def err(column: str, message: str, index: int = index) -> None:
            errors.append(RowError(index, column, message))

        v: dict[str, object] = {}
        v["code"] = raw["code"].strip().upper()
        v["name_fi"] = " ".join(raw["name_fi"].split())
        v["name_en"] = " ".join(raw["name_en"].split())
        if not v["name_fi"]:
            err("name_fi", _("Give the project's Finnish name."))
        if len(str(v["code"])) > 20:
            err("code", _("A code has at most 20 characters, e.g. A70011."))
        if v["code"]:
            if v["code"] in seen_codes:
                err(
                    "code",
                    _("The same code is already on row %(row)d.") % {"row": seen_codes[v["code"]]},
                )
            seen_codes.setdefault(str(v["code"]), index)
        # A row is matched to a stored project on its code, else on its name: two rows with
        # one name would be written into the same project, whatever their codes.
        if v["name_fi"]:
            key = str(v["name_fi"]).lower()
            if key in seen_names:
                err(
                    "name_fi",
                    _("The same name is already on row %(row)d.") % {"row": seen_names[key]},
                )
            seen_names.setdefault(key, index)

        programme = PROGRAMME_ALIASES.get(raw["programme"].strip().lower())
        if programme is None:
            err("programme", _("Write 6aika or other (muu)."))
        v["programme"] = programme

        v["lead"] = " ".join(raw["lead_organisation"].split())
        v["partners"] = split_list(raw["partner_organisations"])
        city_list = []
        for name in split_list(raw["cities"]):
            city = cities.get(name.lower())
            if city is None:
                err(
                    "cities",
                    _(
                        "“%(name)s” is not one of the six cities (Helsinki, Espoo, Vantaa, "
                        "Tampere, Turku, Oulu)."
                    )
                    % {"name": name},
                )
            else:
                city_list.append(city)
        v["cities"] = city_list

        instrument_text = raw["instrument"].strip()
        instrument = INSTRUMENT_ALIASES.get(instrument_text.lower()) if instrument_text else ""
        if instrument is None:
            err(
                "instrument",
                _("Unknown instrument “%(value)s”; use one of %(choices)s.")
                % {"value": instrument_text, "choices": ", ".join(Instrument.values)},
            )
        v["instrument"] = instrument or ""
        v["funder"] = " ".join(raw["funder"].split())

        for column, key in (("total_budget_eur", "total"), ("granted_eur", "granted")):
            text = raw[column].strip()
            if not text:
                v[key] = None
                continue
            try:
                v[key] = parse_amount(text)
            except ValueError:
                v[key] = None
                if text.startswith("-"):
                    message = _("“%(value)s” is negative; an amount is 0 or more.")
                else:
                    message = _(
                        "“%(value)s” is not an amount; write e.g. 1234567.89, 1234567,89 "
                        "or 1 234 567,89."
                    )
                err(column, message % {"value": text})
        if v["granted"] is not None:
            if not v["funder"]:
                err("funder", _("Name the funder of the granted amount."))
            if not v["instrument"]:
                err("instrument", _("Name the instrument of the granted amount, e.g. EAKR."))
            if v["total"] is not None and v["granted"] > v["total"]:
                err("granted_eur", _("The granted amount exceeds the total budget."))
        if v["funder"] and v["granted"] is None:
            err("granted_eur", _("Give the amount the funder granted."))

        for column, key in (("start_date", "start"), ("end_date", "end")):
            text = raw[column].strip()
            if not text:
                v[key] = None
                continue
            try:
                v[key] = parse_date(text.split("T")[0].split(" ")[0] if "-" in text else text)
            except ValueError:
                v[key] = None
                err(
                    column,
                    _("“%(value)s” is not a date; write 2022-01-31 or 31.1.2022.")
                    % {"value": text},
                )
        if v["start"] and v["end"] and v["end"] < v["start"]:
            err("end_date", _("The end date is before the start date."))
        v["theme"] = raw["theme"].strip()
        v["target_groups"] = split_list(raw["target_groups"])
        parsed.append(ParsedRow(index, v))
    return parsed, errors


def _given_columns(v: dict[str, object], theme: Theme | None, grants) -> dict[str, object]:
    """The ProjectSpec fields of a row's filled cells. An empty cell leaves what is stored, so
    re-importing a file never wipes what it does not hold (a new project gets the defaults);
    what the file has no column for (parent, summaries, sub-budgets, contributions) is never
    touched."""
    spec: dict[str, object] = {}
    for key in ("code", "name_en"):
        if v[key]:
            spec[key] = str(v[key])
    if v["lead"]:
        spec["lead"] = services.organisation_find_or_create(name=str(v["lead"]))
    if v["partners"]:
        # the sub-budgets are not in the file: those stored stay
        spec["partners"] = [
            (services.organisation_find_or_create(name=name), services.UNSET)
            for name in v["partners"]
        ]
    if v["cities"]:
        spec["declared_cities"] = list(v["cities"])
    if v["target_groups"]:
        spec["target_groups"] = list(v["target_groups"])
    if theme is not None:
        spec["theme"] = theme
    for key, column in (("start_date", "start"), ("end_date", "end"), ("total_cost", "total")):
        if v[column] is not None:
            spec[key] = v[column]
    if services.given(grants):
        spec["grants"] = grants
    return spec


class _DryRunRollback(Exception):
    pass


def projects_import(*, content: bytes, filename: str, dry_run: bool) -> ImportResult:
    """Import a file all or nothing; returns the errors or, if none, the preview of the rows."""
    result = ImportResult(dry_run=dry_run)
    try:
        rows = read_rows(content, filename)
    except FileProblem as exc:
        result.errors.append(RowError(exc.row, exc.column, str(exc)))
        return result
    parsed, errors = _parse(rows)
    if errors:
        result.errors = errors
        return result
    try:
        with transaction.atomic():
            programmes = services.programmes_ensure()
            for row in parsed:
                v = row.values
                existing = services.project_find(code=str(v["code"]), name_fi=str(v["name_fi"]))
                if existing and existing.code and v["code"] and existing.code.upper() != v["code"]:
                    # found by its name, but it has another code: another project, or a typo
                    result.errors.append(
                        RowError(
                            row.number,
                            "code",
                            _(
                                "The project “%(name)s” already has the code %(code)s. Give "
                                "that code to update it, or another Finnish name for a new "
                                "project."
                            )
                            % {"name": existing.name_fi, "code": existing.code},
                        )
                    )
                    continue
                theme = None
                if v["theme"]:
                    theme = (
                        Theme.objects.filter(slug=slugify(str(v["theme"]))).first()
                        or Theme.objects.filter(name_fi__iexact=v["theme"]).first()
                        or services.theme_upsert(
                            slug=slugify(str(v["theme"]))[:50] or "theme",
                            names={"fi": str(v["theme"])},
                        )
                    )
                grants = services.UNSET
                if v["granted"] is not None:
                    grants = [
                        (
                            services.organisation_find_or_create(name=str(v["funder"])),
                            str(v["instrument"]),
                            v["granted"],
                        )
                    ]
                try:
                    project = services.project_upsert(
                        spec=services.ProjectSpec(
                            name_fi=str(v["name_fi"]),
                            programme=programmes[str(v["programme"])],
                            **_given_columns(v, theme, grants),
                        ),
                        project=existing,
                        enforce_programme_rule=False,
                    )
                except ValidationError as exc:
                    for column, messages in _error_columns(exc):
                        result.errors.append(RowError(row.number, column, " ".join(messages)))
                    continue
                result.rows.append(
                    PreviewRow(
                        row=row.number,
                        name=project.name_fi,
                        code=project.code,
                        action="update" if existing else "new",
                        flags=project.completion_notes.splitlines(),
                    )
                )
            if result.errors:
                result.rows = []
                raise _DryRunRollback
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        pass
    return result


_FIELD_COLUMNS = {
    "code": "code",
    "name_fi": "name_fi",
    "name": "name_fi",
    "total_cost": "total_budget_eur",
    "granted": "granted_eur",
    "end_date": "end_date",
    "start_date": "start_date",
}


def _error_columns(exc: ValidationError) -> list[tuple[str, list[str]]]:
    if hasattr(exc, "error_dict"):
        return [
            (
                _FIELD_COLUMNS.get(name, "" if name == "__all__" else name),
                ValidationError(errs).messages,
            )
            for name, errs in exc.error_dict.items()
        ]
    return [("", exc.messages)]
