"""The portfolio import's django-import-export resource, and the widgets every import's cells
are read with (docs/imports.md, "How the imports are built").

The widgets read one cell each, in the reader's language: amounts and dates through
``projects.parsing`` (the one parser every import uses), lists, lengths, cities. A widget
refuses a cell by raising ``CellProblems`` (a ``ValueError``, as import-export expects), which
holds every message of the cell.

``ProjectResource`` is the projects import. ``before_import`` reads every row of the dataset
with the widgets and checks what only the whole file shows (a code or a name twice, the
organisations the portal does not know) before anything is written; a row with problems is then
an invalid row of import-export's result, by column; a good row of a file with problems is held
back (skipped). A good file's rows are written through ``services.project_upsert``, each in a
savepoint; import-export runs it all in one transaction and rolls it back on a dry run or on any
invalid row, so a file is imported whole or not at all.
"""

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from governance.models import City, Organisation

from . import services
from .exports import PORTFOLIO_COLUMNS, PORTFOLIO_EXTRA_COLUMNS
from .models import (
    GRANT_FUNDER_MISSING,
    GRANT_MISSING,
    GRANT_UNDIVIDED,
    INSTRUMENT_MISSING,
    RECOMPUTED_COMPLETION,
    Instrument,
    Project,
    TargetGroup,
    Theme,
)
from .parsing import parse_amount, parse_date, split_list

COLUMNS = PORTFOLIO_COLUMNS  # every file names these (the sample files' columns)
OPTIONAL_COLUMNS = PORTFOLIO_EXTRA_COLUMNS

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


# --- Widgets: one cell each ---------------------------------------------------------------------


class CellProblems(ValueError):
    """A cell that cannot be read: every message about it, in the reader's language."""

    def __init__(self, messages: list[str]):
        super().__init__(" ".join(messages))
        self.messages = messages


def _text(value: object) -> str:
    return "" if value is None else str(value)


def too_long_message(text: str, limit: int) -> str:
    return _("“%(start)s…” is %(length)d characters long; at most %(max)d fit.") % {
        "start": text[:30],
        "length": len(text),
        "max": limit,
    }


def _max_length(model, field_name: str) -> int:
    return model._meta.get_field(field_name).max_length


class TextWidget(widgets.Widget):
    """A text with its runs of white space made one space (or, without ``collapse``, only
    stripped, as a summary keeps its lines); at most ``max_length``."""

    def __init__(self, max_length: int | None = None, *, collapse: bool = True):
        super().__init__()
        self.max_length = max_length
        self.collapse = collapse

    def clean(self, value, row=None, **kwargs) -> str:
        text = " ".join(_text(value).split()) if self.collapse else _text(value).strip()
        if self.max_length is not None and len(text) > self.max_length:
            raise CellProblems([too_long_message(text, self.max_length)])
        return text


class CodeWidget(widgets.Widget):
    """A project code, upper case."""

    def clean(self, value, row=None, **kwargs) -> str:
        code = _text(value).strip().upper()
        if len(code) > _max_length(Project, "code"):
            raise CellProblems([_("A code has at most 20 characters, e.g. A70011.")])
        return code


class ListWidget(widgets.Widget):
    """A cell holding a list (``;`` between items, ``projects.parsing.split_list``, unless
    ``split`` says otherwise), each item read by ``item``; every bad item is named."""

    def __init__(
        self, item: widgets.Widget | None = None, *, split: Callable[[str], list[str]] = split_list
    ):
        super().__init__()
        self.item = item
        self.split = split

    def clean(self, value, row=None, **kwargs) -> list:
        items, problems = [], []
        for text in self.split(_text(value)):
            if self.item is None:
                items.append(text)
                continue
            try:
                items.append(self.item.clean(text, row=row, **kwargs))
            except CellProblems as exc:
                problems.extend(exc.messages)
        if problems:
            raise CellProblems(problems)
        return items


Message = Callable[[str], str]  # the words for a refused cell, given the cell's text


class AmountWidget(widgets.Widget):
    """An amount in euros, read by ``projects.parsing.parse_amount`` (``1e5`` and negative
    amounts are refused); an empty cell is None. ``not_an_amount`` gives the import's words
    for a cell that is no amount."""

    def __init__(self, not_an_amount: Message):
        super().__init__()
        self.not_an_amount = not_an_amount

    def clean(self, value, row=None, **kwargs):
        text = _text(value).strip()
        if not text:
            return None
        try:
            return parse_amount(text)
        except ValueError:
            if text.startswith("-"):
                message = _("“%(value)s” is negative; an amount is 0 or more.") % {"value": text}
            else:
                message = self.not_an_amount(text)
            raise CellProblems([message]) from None


class DateWidget(widgets.Widget):
    """A date, read by ``projects.parsing.parse_date`` (``2022-01-31`` or ``31.1.2022``); an
    empty cell is None. With ``cell_times`` an ISO date with a time (how a workbook's date-time
    cell is read) counts as its date."""

    def __init__(self, not_a_date: Message, *, cell_times: bool = False):
        super().__init__()
        self.not_a_date = not_a_date
        self.cell_times = cell_times

    def clean(self, value, row=None, **kwargs):
        text = _text(value).strip()
        if not text:
            return None
        day = text.split("T")[0].split(" ")[0] if self.cell_times and "-" in text else text
        try:
            return parse_date(day)
        except ValueError:
            raise CellProblems([self.not_a_date(text)]) from None


class CityWidget(widgets.Widget):
    """One of the six cities by its identifier or its name in any language."""

    def __init__(self, unknown: Message):
        super().__init__()
        self.unknown = unknown
        self._index: dict[str, City] | None = None

    def clean(self, value, row=None, **kwargs) -> City:
        if self._index is None:  # once per import
            self._index = {
                name.casefold(): city
                for city in City.objects.all()
                for name in (city.slug, city.name_fi, city.name_sv, city.name_en)
                if name
            }
        text = _text(value).strip()
        city = self._index.get(text.casefold())
        if city is None:
            raise CellProblems([self.unknown(text)])
        return city


class ChoiceWidget(widgets.Widget):
    """A value from ``aliases`` (lower case: the cell's case does not matter, unless
    ``fold`` is off); anything else is refused in the words of ``refusal``. A blank cell is
    None if ``blank_allowed``."""

    def __init__(
        self,
        aliases: dict[str, str],
        refusal: Message,
        *,
        blank_allowed: bool = True,
        fold: bool = True,
    ):
        super().__init__()
        self.aliases = aliases
        self.refusal = refusal
        self.blank_allowed = blank_allowed
        self.fold = fold

    def clean(self, value, row=None, **kwargs):
        text = _text(value).strip()
        if not text and self.blank_allowed:
            return None
        found = self.aliases.get(text.lower() if self.fold else text)
        if found is None:
            raise CellProblems([self.refusal(text)])
        return found


def not_six_cities(name: str) -> str:
    return _(
        "“%(name)s” is not one of the six cities (Helsinki, Espoo, Vantaa, Tampere, Turku, Oulu)."
    ) % {"name": name}


def not_an_amount(text: str) -> str:
    return _("“%(value)s” is not an amount; write e.g. 1234567.89, 1234567,89 or 1 234 567,89.") % {
        "value": text
    }


def not_a_date(text: str) -> str:
    return _("“%(value)s” is not a date; write 2022-01-31 or 31.1.2022.") % {"value": text}


def unknown_programme(text: str) -> str:
    return _("Write 6aika or other (muu).")


def unknown_instrument(text: str) -> str:
    return _("Unknown instrument “%(value)s”; use one of %(choices)s.") % {
        "value": text,
        "choices": ", ".join(Instrument.values),
    }


# --- The portfolio ------------------------------------------------------------------------------


@dataclass
class ParsedRow:
    number: int  # the row in the file (1 is the header)
    values: dict[str, object]
    # incomplete, not wrong: flagged (codes with their values, as Project.completion keeps them)
    notes: list[dict[str, object]] = field(default_factory=list)


@dataclass
class UnknownOrganisation:
    """A name in the file that matches no organisation: created only if the office confirms."""

    row: int
    column: str
    name: str
    nearest: list[str]


@dataclass
class SavedRow:
    """What the preview says of a row written (or, on a dry run, written and rolled back)."""

    row: int
    name: str
    code: str
    action: str  # "new" or "update"
    flags: list[str]


NAME_LENGTH = _max_length(Project, "name")
ORGANISATION_LENGTH = _max_length(Organisation, "name")


def _euros(value) -> str:
    return f"{value:,.2f}".replace(",", "\u00a0").replace(".", ",") + "\u00a0€"


class ProjectResource(resources.ModelResource):
    """The portfolio file's columns, each read by its widget (see the module's docstring).

    ``numbers`` are the file's row numbers of the dataset's rows (blank rows are no rows);
    ``refuse_unknown`` refuses the organisations the portal does not know (a real import the
    office has not confirmed them for), else they are created."""

    code = fields.Field(column_name="code", widget=CodeWidget())
    name_fi = fields.Field(column_name="name_fi", widget=TextWidget(NAME_LENGTH))
    name_en = fields.Field(column_name="name_en", widget=TextWidget(NAME_LENGTH))
    programme = fields.Field(
        column_name="programme",
        widget=ChoiceWidget(PROGRAMME_ALIASES, unknown_programme, blank_allowed=False),
    )
    lead_organisation = fields.Field(
        column_name="lead_organisation", widget=TextWidget(ORGANISATION_LENGTH)
    )
    partner_organisations = fields.Field(
        column_name="partner_organisations", widget=ListWidget(TextWidget(ORGANISATION_LENGTH))
    )
    cities = fields.Field(column_name="cities", widget=ListWidget(CityWidget(not_six_cities)))
    instrument = fields.Field(
        column_name="instrument",
        widget=ListWidget(ChoiceWidget(INSTRUMENT_ALIASES, unknown_instrument)),
    )
    funder = fields.Field(column_name="funder", widget=ListWidget(TextWidget(ORGANISATION_LENGTH)))
    total_budget_eur = fields.Field(
        column_name="total_budget_eur", widget=AmountWidget(not_an_amount)
    )
    granted_eur = fields.Field(column_name="granted_eur", widget=AmountWidget(not_an_amount))
    granted_by_funder_eur = fields.Field(
        column_name="granted_by_funder_eur", widget=ListWidget(AmountWidget(not_an_amount))
    )
    start_date = fields.Field(
        column_name="start_date", widget=DateWidget(not_a_date, cell_times=True)
    )
    end_date = fields.Field(column_name="end_date", widget=DateWidget(not_a_date, cell_times=True))
    theme = fields.Field(column_name="theme", widget=TextWidget(_max_length(Theme, "name")))
    target_groups = fields.Field(
        column_name="target_groups",
        widget=ListWidget(TextWidget(_max_length(TargetGroup, "name"))),
    )

    class Meta:
        model = Project
        fields = (*COLUMNS, *OPTIONAL_COLUMNS)
        import_id_fields = ("code", "name_fi")  # matched on the code, else the Finnish name
        skip_diff = True
        clean_model_instances = False  # the service validates what it writes
        use_transactions = True
        report_skipped = True

    def __init__(self, *, numbers: list[int], refuse_unknown: bool):
        super().__init__()
        self.numbers = numbers
        self.refuse_unknown = refuse_unknown
        self.parsed: dict[int, ParsedRow] = {}  # by the dataset's row (1 is the first data row)
        self.problems: dict[int, list[tuple[str, str]]] = {}  # (column, message) by dataset row
        self.unknown: list[UnknownOrganisation] = []
        self.saved: dict[int, SavedRow] = {}
        self._programmes: dict | None = None
        self._current = 0  # the dataset's row being imported (1 is the first data row)

    # --- Reading every row first ---

    def before_import(self, dataset, **kwargs):
        seen_codes: dict[str, int] = {}
        seen_names: dict[str, int] = {}
        for index, row in enumerate(dataset.dict, start=1):
            number = self.numbers[index - 1]
            values, notes, problems = self._read_row(row)
            if values["code"]:
                if values["code"] in seen_codes:
                    problems.append(
                        (
                            "code",
                            _("The same code is already on row %(row)d.")
                            % {"row": seen_codes[values["code"]]},
                        )
                    )
                seen_codes.setdefault(str(values["code"]), number)
            # A row is matched to a stored project on its code, else on its name: two rows with
            # one name would be written into the same project, whatever their codes.
            if values["name_fi"]:
                key = str(values["name_fi"]).lower()
                if key in seen_names:
                    problems.append(
                        (
                            "name_fi",
                            _("The same name is already on row %(row)d.")
                            % {"row": seen_names[key]},
                        )
                    )
                seen_names.setdefault(key, number)
            self.parsed[index] = ParsedRow(number, values, notes)
            if problems:
                self.problems[index] = problems
        if self.problems:
            return  # the file is refused: nothing more is looked up
        self.unknown = unknown_organisations(list(self.parsed.values()))
        if self.unknown and self.refuse_unknown:
            index_of = {row.number: index for index, row in self.parsed.items()}
            for unknown in self.unknown:
                self.problems.setdefault(index_of[unknown.row], []).append(
                    (unknown.column, _refused_organisation(unknown))
                )

    def _clean(self, name: str, row: dict, problems: list[tuple[str, str]]):
        """The cell of column ``name`` read by its widget; None (and the problems noted) if it
        cannot be read."""
        try:
            return self.fields[name].clean(row)
        except CellProblems as exc:
            problems.extend((name, message) for message in exc.messages)
            return None

    def _read_row(self, row: dict) -> tuple[dict[str, object], list[str], list[tuple[str, str]]]:
        problems: list[tuple[str, str]] = []
        v: dict[str, object] = {}
        v["code"] = self._clean("code", row, problems) or ""
        v["name_fi"] = self._clean("name_fi", row, problems) or ""
        if not v["name_fi"] and not _text(row.get("name_fi")).strip():
            problems.append(("name_fi", _("Give the project's Finnish name.")))
        v["name_en"] = self._clean("name_en", row, problems) or ""
        v["programme"] = self._clean("programme", row, problems)
        v["lead"] = self._clean("lead_organisation", row, problems) or ""
        v["partners"] = self._clean("partner_organisations", row, problems) or []
        v["cities"] = self._clean("cities", row, problems) or []
        v["total"] = self._clean("total_budget_eur", row, problems)
        v["granted"] = self._clean("granted_eur", row, problems)
        v["grants"], notes = _grants(row, v, problems, self._clean)
        if v["total"] is not None and v["granted"] is not None and v["granted"] > v["total"]:
            problems.append(("granted_eur", _("The granted amount exceeds the total budget.")))
        v["start"] = self._clean("start_date", row, problems)
        v["end"] = self._clean("end_date", row, problems)
        if v["start"] and v["end"] and v["end"] < v["start"]:
            problems.append(("end_date", _("The end date is before the start date.")))
        v["theme"] = self._clean("theme", row, problems) or ""
        v["target_groups"] = self._clean("target_groups", row, problems) or []
        return v, notes, problems

    # --- import-export's steps for each row ---

    def before_import_row(self, row, **kwargs):
        self._current = kwargs["row_number"]

    def get_instance(self, instance_loader, row):
        if self.problems:
            return None  # nothing of a refused file is looked up or written
        v = self.parsed[self._current].values
        return services.project_find(code=str(v["code"]), name_fi=str(v["name_fi"]))

    def import_instance(self, instance, row, **kwargs):
        problems = self.problems.get(self._current)
        if problems:
            by_column: dict[str, list[str]] = {}
            for column, message in problems:
                by_column.setdefault(column or NON_FIELD_ERRORS, []).append(message)
            raise ValidationError(by_column)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # a good row of a refused file is held back; a bad one is reported
        return bool(self.problems) and not import_validation_errors

    def save_instance(self, instance, is_create, row, **kwargs):
        index = self._current
        parsed = self.parsed[index]
        existing = None if is_create else instance
        if self._programmes is None:
            self._programmes = services.programmes_ensure()
        saved = _write(parsed, existing, self._programmes)
        instance.pk = saved.pk
        instance.name_fi = saved.name_fi
        instance.code = saved.code
        self.saved[index] = SavedRow(
            row=parsed.number,
            name=saved.name_fi,
            code=saved.code,
            action="new" if is_create else "update",
            flags=saved.completion_texts,
        )

    def save_m2m(self, instance, row, **kwargs):
        pass  # the service has written the project's relations


def _refused_organisation(unknown: UnknownOrganisation) -> str:
    nearest = (
        " " + _("Did you mean %(names)s?") % {"names": ", ".join(f"“{n}”" for n in unknown.nearest)}
        if unknown.nearest
        else ""
    )
    return (
        _("“%(name)s” is not an organisation in the portal.") % {"name": unknown.name}
        + nearest
        + " "
        + _("Correct the name, or confirm that the new organisations are created.")
    )


def _grants(row: dict, v: dict[str, object], problems: list[tuple[str, str]], clean):
    """The row's grants as (funder name, instrument, amount), or None to keep the stored ones;
    and the notes of what is missing. Several funders are listed as the export writes them:
    ``funder`` "A; B", ``instrument`` "EAKR; national" (or one for all), and each one's sum in
    ``granted_by_funder_eur`` ("100000; 50000"); one funder may give it in ``granted_eur``."""
    funders = clean("funder", row, problems)
    if funders is None:  # refused (too long): the names still count for the checks below
        funders = [" ".join(n.split()) for n in split_list(_text(row.get("funder")))]
    v["funder_cells"] = bool(
        _text(row.get("funder")).strip()
        or _text(row.get("instrument")).strip()
        or _text(row.get("granted_by_funder_eur")).strip()
    )
    instruments = clean("instrument", row, problems)
    if instruments is None:  # refused: counted as given, for the checks below
        instruments = split_list(_text(row.get("instrument")))
    amounts = clean("granted_by_funder_eur", row, problems)
    if amounts is None:
        amounts = [None] * len(split_list(_text(row.get("granted_by_funder_eur"))))

    def err(column: str, message: str) -> None:
        problems.append((column, message))

    granted = v["granted"]
    notes: list[dict[str, object]] = []

    def note(code: str, **params: object) -> None:
        notes.append({"code": code, "params": params})

    named = ", ".join(funders)
    if not funders:
        if instruments:
            err("funder", _("Name the funder of each instrument."))
        if amounts:
            err("funder", _("Name the funder of each granted sum."))
        if granted:
            note(GRANT_FUNDER_MISSING, amount=str(granted))
        return None, notes
    if len({f.casefold() for f in funders}) != len(funders) and len(instruments) <= 1:
        err("funder", _("A funder is named twice; name it once per instrument."))
    if len(instruments) not in (0, 1, len(funders)):
        err(
            "instrument",
            _(
                "%(instruments)d instruments for %(funders)d funders: give one instrument for "
                "all or one for each funder, in the same order."
            )
            % {"instruments": len(instruments), "funders": len(funders)},
        )
        return None, notes
    if amounts and len(amounts) != len(funders):
        err(
            "granted_by_funder_eur",
            _(
                "%(amounts)d sums for %(funders)d funders: give one for each funder, in the "
                "same order."
            )
            % {"amounts": len(amounts), "funders": len(funders)},
        )
        return None, notes
    if amounts and None not in amounts and granted is not None and sum(amounts) != granted:
        err(
            "granted_eur",
            _("The funders' sums add up to %(sum)s, not %(granted)s.")
            % {"sum": _euros(sum(amounts)), "granted": _euros(granted)},
        )
    if not amounts:
        if granted is None:
            note(GRANT_MISSING, funders=named)
            return None, notes
        if len(funders) > 1:
            note(GRANT_UNDIVIDED, amount=str(granted), funders=named)
            return None, notes
        amounts = [granted]
    if not instruments:
        note(INSTRUMENT_MISSING, funders=named)
        return None, notes
    if len(instruments) == 1:
        instruments = instruments * len(funders)
    grants = list(zip(funders, instruments, amounts, strict=True))
    pairs = [(f.casefold(), i) for f, i, _a in grants]
    if len(set(pairs)) != len(pairs):
        err("funder", _("The same funder and instrument are given twice."))
    if granted is None and None not in amounts:
        v["granted"] = sum(amounts)
    return grants, notes


def _organisation_names(parsed: list[ParsedRow]) -> list[tuple[int, str, str]]:
    """(row, column, name) of every organisation the rows name."""
    named = []
    for row in parsed:
        v = row.values
        if v["lead"]:
            named.append((row.number, "lead_organisation", str(v["lead"])))
        named.extend((row.number, "partner_organisations", str(n)) for n in v["partners"])
        named.extend((row.number, "funder", str(g[0])) for g in v["grants"] or [])
    return named


def unknown_organisations(parsed: list[ParsedRow]) -> list[UnknownOrganisation]:
    """The organisations the file names that the portal does not know, each with the nearest
    known names (a typo is then seen before it becomes a new organisation)."""
    known = list(Organisation.objects.values_list("name", flat=True))
    folded = {name.casefold(): name for name in known}
    unknown = []
    for number, column, name in _organisation_names(parsed):
        if name.casefold() in folded:
            continue
        nearest = difflib.get_close_matches(name.casefold(), list(folded), n=3, cutoff=0.6)
        unknown.append(UnknownOrganisation(number, column, name, [folded[n] for n in nearest]))
    return unknown


# --- Writing a row ------------------------------------------------------------------------------


def _given_columns(v: dict[str, object], theme: Theme | None) -> dict[str, object]:
    """The ProjectSpec fields of a row's filled cells. An empty cell leaves what is stored, so
    re-importing a file never wipes what it does not hold (a new project gets the defaults);
    what the file has no column for (parent, summaries, sub-budgets, contributions) is never
    touched. Organisations are known by now (or created with the office's confirmation)."""
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
    if v["grants"] is not None:
        spec["grants"] = [
            (services.organisation_find_or_create(name=funder), instrument, amount)
            for funder, instrument, amount in v["grants"]
        ]
    return spec


def _theme(name: str) -> Theme:
    return (
        Theme.objects.filter(slug=slugify(name)[:50]).first()
        or Theme.objects.filter(name_fi__iexact=name).first()
        or services.theme_upsert(slug=slugify(name)[:50] or "theme", names={"fi": name})
    )


def _write(row: ParsedRow, existing: Project | None, programmes: dict) -> Project:
    """Write one good row through ``services.project_upsert``; ValidationError by column."""
    v = row.values
    if existing and existing.code and v["code"] and existing.code.upper() != v["code"]:
        # found by its name, but it has another code: another project, or a typo
        raise ValidationError(
            {
                "code": _(
                    "The project “%(name)s” already has the code %(code)s. Give that code to "
                    "update it, or another Finnish name for a new project."
                )
                % {"name": existing.name_fi, "code": existing.code}
            }
        )
    notes = list(row.notes)
    if existing and not _says_funding(v) and not existing.grants.exists():
        # empty funding cells keep what is stored, the note of a missing granted sum too (the
        # portal's own export has no funder to write for it)
        notes = _kept_notes(existing)
    try:
        # a savepoint: a refused row leaves the transaction usable for the next rows' messages
        with transaction.atomic():
            theme = _theme(str(v["theme"])) if v["theme"] else None
            return services.project_upsert(
                spec=services.ProjectSpec(
                    name_fi=str(v["name_fi"]),
                    programme=programmes[str(v["programme"])],
                    **_given_columns(v, theme),
                ),
                project=existing,
                enforce_programme_rule=False,
                import_notes=notes,
            )
    except ValidationError as exc:
        raise ValidationError(
            {
                column or NON_FIELD_ERRORS: [" ".join(messages)]
                for column, messages in _error_columns(exc)
            }
        ) from exc


def _says_funding(v: dict[str, object]) -> bool:
    return bool(v["grants"] or v["granted"] is not None or v["funder_cells"])


def _kept_notes(project: Project) -> list[dict[str, object]]:
    """The stored notes a re-import keeps (a granted sum still missing): not those
    ``project_upsert`` works out again from the project (lead, period, two-city rule)."""
    if project.completion:
        return [n for n in project.completion if n.get("code") not in RECOMPUTED_COMPLETION]
    # flagged before the notes had codes: its lines, in the language they were written in
    return [
        {"code": "", "text": line}
        for line in project.completion_notes.splitlines()
        if not _recomputed(line)
    ]


def _recomputed(line: str) -> bool:
    """Whether a stored completion note is one ``project_upsert`` works out again from the
    project (lead, period, two-city rule), in any language it may have been written in."""
    for language in ("fi", "sv", "en"):
        with translation.override(language):
            rule = _(
                "A 6Aika project needs implementers from at least two of the six cities; "
                "the implementers here come from %(count)d."
            )
            if line.startswith(rule.split("%(count)d")[0]) or line in (
                _("The lead implementer is missing."),
                _("The implementation period is incomplete."),
            ):
                return True
    return False


_FIELD_COLUMNS = {
    "code": "code",
    "name_fi": "name_fi",
    "name": "name_fi",
    "name_en": "name_en",
    "total_cost": "total_budget_eur",
    "granted": "granted_eur",
    "amount": "granted_by_funder_eur",
    "end_date": "end_date",
    "start_date": "start_date",
    "theme": "theme",
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
