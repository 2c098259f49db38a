"""Import of the portfolio from CSV or XLSX, all or nothing (docs/imports.md).

The file is read by ``core.tables`` (encoding, separator, formula cells, the row cap while
reading: the same for every import); the headings may be the column ids or the headings of the
portal's own export in any of its languages. Every row is parsed and checked before anything
is written, and every problem is reported with its row number, column and what to fix. Rows
are then written through ``services.project_upsert`` in one transaction; a dry run rolls that
transaction back and returns the same preview.

Wrong rows are refused; rows that are incomplete but not wrong are imported and flagged
``needs_completion`` with what is missing: a funder without its granted sum, a broken two-city
rule, no lead implementer or period. Several funders are given as the export writes them
(aligned lists in ``funder``, ``instrument`` and ``granted_by_funder_eur``), so the portal's
own export imports back unchanged. Organisations the portal does not know are listed with the
nearest known names and created only when the office confirms them. A re-import changes only
what the row holds: empty cells, and what the file has no column for (parent, summaries,
sub-budgets, city contributions, status), keep what is stored.
"""

import difflib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.tables import MAX_ROWS, TableProblem, read_table
from governance.models import City, Organisation

from . import services
from .exports import PORTFOLIO_COLUMNS, PORTFOLIO_EXTRA_COLUMNS, heading_aliases
from .models import Instrument, Project, TargetGroup, Theme
from .parsing import parse_amount, parse_date, split_list

COLUMNS = PORTFOLIO_COLUMNS  # every file names these (the sample files' columns)
OPTIONAL_COLUMNS = PORTFOLIO_EXTRA_COLUMNS
ORGANISATION_COLUMNS = ("lead_organisation", "partner_organisations", "funder")

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
class UnknownOrganisation:
    """A name in the file that matches no organisation: created only if the office confirms."""

    row: int
    column: str
    name: str
    nearest: list[str]


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


@dataclass
class ParsedRow:
    number: int
    values: dict[str, object]
    notes: list[str] = field(default_factory=list)  # incomplete, not wrong: flagged


def _cities() -> dict[str, City]:
    index = {}
    for city in City.objects.all():
        for name in (city.slug, city.name_fi, city.name_sv, city.name_en):
            if name:
                index[name.lower()] = city
    return index


def _limit(model, field_name: str) -> int:
    return model._meta.get_field(field_name).max_length


def _amount_error(text: str) -> str:
    if text.strip().startswith("-"):
        return _("“%(value)s” is negative; an amount is 0 or more.") % {"value": text}
    return _("“%(value)s” is not an amount; write e.g. 1234567.89, 1234567,89 or 1 234 567,89.") % {
        "value": text
    }


def _euros(value) -> str:
    return f"{value:,.2f}".replace(",", "\u00a0").replace(".", ",") + "\u00a0€"


def _parse(rows: dict[int, dict[str, str]]) -> tuple[list[ParsedRow], list[RowError]]:
    errors: list[RowError] = []
    parsed = []
    cities = _cities()
    seen_codes: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    limits = {
        "code": _limit(Project, "code"),
        "name": _limit(Project, "name"),
        "organisation": _limit(Organisation, "name"),
        "theme": _limit(Theme, "name"),
        "target_group": _limit(TargetGroup, "name"),
    }
    for index, raw in rows.items():  # row 1 is the header

        def err(column: str, message: str, index: int = index) -> None:
            errors.append(RowError(index, column, message))

        def too_long(column: str, text: str, limit: int) -> bool:
            if len(text) > limit:
                err(
                    column,
                    _("“%(start)s…” is %(length)d characters long; at most %(max)d fit.")
                    % {"start": text[:30], "length": len(text), "max": limit},
                )
                return True
            return False

        v: dict[str, object] = {}
        notes: list[str] = []
        v["code"] = raw["code"].strip().upper()
        v["name_fi"] = " ".join(raw["name_fi"].split())
        v["name_en"] = " ".join(raw["name_en"].split())
        if not v["name_fi"]:
            err("name_fi", _("Give the project's Finnish name."))
        if len(str(v["code"])) > limits["code"]:
            err("code", _("A code has at most 20 characters, e.g. A70011."))
        too_long("name_fi", str(v["name_fi"]), limits["name"])
        too_long("name_en", str(v["name_en"]), limits["name"])
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
        too_long("lead_organisation", str(v["lead"]), limits["organisation"])
        v["partners"] = [" ".join(n.split()) for n in split_list(raw["partner_organisations"])]
        for name in v["partners"]:
            too_long("partner_organisations", name, limits["organisation"])
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

        for column, key in (("total_budget_eur", "total"), ("granted_eur", "granted")):
            text = raw[column].strip()
            v[key] = None
            if text:
                try:
                    v[key] = parse_amount(text)
                except ValueError:
                    err(column, _amount_error(text))
        v["grants"], grant_notes = _grants(raw, v, err, limits["organisation"])
        notes.extend(grant_notes)
        if v["total"] is not None and v["granted"] is not None and v["granted"] > v["total"]:
            err("granted_eur", _("The granted amount exceeds the total budget."))

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
        v["theme"] = " ".join(raw["theme"].split())
        too_long("theme", str(v["theme"]), limits["theme"])
        v["target_groups"] = split_list(raw["target_groups"])
        for name in v["target_groups"]:
            too_long("target_groups", str(name), limits["target_group"])
        parsed.append(ParsedRow(index, v, notes))
    return parsed, errors


def _grants(raw: dict[str, str], v: dict[str, object], err, limit: int):
    """The row's grants as (funder name, instrument, amount), or None to keep the stored ones;
    and the notes of what is missing. Several funders are listed as the export writes them:
    ``funder`` "A; B", ``instrument`` "EAKR; national" (or one for all), and each one's sum in
    ``granted_by_funder_eur`` ("100000; 50000"); one funder may give it in ``granted_eur``."""
    funders = [" ".join(n.split()) for n in split_list(raw["funder"])]
    v["funder_cells"] = bool(
        funders or raw["instrument"].strip() or raw["granted_by_funder_eur"].strip()
    )
    for name in funders:
        if len(name) > limit:
            err(
                "funder",
                _("“%(start)s…” is %(length)d characters long; at most %(max)d fit.")
                % {"start": name[:30], "length": len(name), "max": limit},
            )
    instrument_texts = split_list(raw["instrument"])
    instruments = []
    for text in instrument_texts:
        instrument = INSTRUMENT_ALIASES.get(text.lower())
        if instrument is None:
            err(
                "instrument",
                _("Unknown instrument “%(value)s”; use one of %(choices)s.")
                % {"value": text, "choices": ", ".join(Instrument.values)},
            )
        instruments.append(instrument)
    amounts = []
    for text in split_list(raw["granted_by_funder_eur"]):
        try:
            amounts.append(parse_amount(text))
        except ValueError:
            err("granted_by_funder_eur", _amount_error(text))
            amounts.append(None)
    granted = v["granted"]
    notes: list[str] = []
    if not funders:
        if instruments:
            err("funder", _("Name the funder of each instrument."))
        if amounts:
            err("funder", _("Name the funder of each granted sum."))
        if granted:
            notes.append(
                _("The funder of the granted sum %(amount)s is missing.")
                % {"amount": _euros(granted)}
            )
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
            notes.append(
                _("The granted sum of %(funders)s is missing.") % {"funders": ", ".join(funders)}
            )
            return None, notes
        if len(funders) > 1:
            notes.append(
                _("The granted sum %(amount)s is not divided between %(funders)s.")
                % {"amount": _euros(granted), "funders": ", ".join(funders)}
            )
            return None, notes
        amounts = [granted]
    if not instruments:
        notes.append(
            _("The funding instrument of %(funders)s is missing.") % {"funders": ", ".join(funders)}
        )
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


class _DryRunRollback(Exception):
    pass


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
    parsed, errors = _parse(rows)
    if errors:
        result.errors = errors
        return result
    result.unknown = unknown_organisations(parsed)
    if result.unknown and not dry_run and not create_organisations:
        result.errors = [
            RowError(
                u.row,
                u.column,
                _("“%(name)s” is not an organisation in the portal.") % {"name": u.name}
                + (
                    " "
                    + _("Did you mean %(names)s?")
                    % {"names": ", ".join(f"“{n}”" for n in u.nearest)}
                    if u.nearest
                    else ""
                )
                + " "
                + _("Correct the name, or confirm that the new organisations are created."),
            )
            for u in result.unknown
        ]
        return result
    try:
        with transaction.atomic():
            programmes = services.programmes_ensure()
            for row in parsed:
                _import_row(row, programmes, result)
            if result.errors:
                result.rows = []
                raise _DryRunRollback
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        pass
    return result


def _import_row(row: ParsedRow, programmes, result: ImportResult) -> None:
    v = row.values
    existing = services.project_find(code=str(v["code"]), name_fi=str(v["name_fi"]))
    if existing and existing.code and v["code"] and existing.code.upper() != v["code"]:
        # found by its name, but it has another code: another project, or a typo
        result.errors.append(
            RowError(
                row.number,
                "code",
                _(
                    "The project “%(name)s” already has the code %(code)s. Give that code to "
                    "update it, or another Finnish name for a new project."
                )
                % {"name": existing.name_fi, "code": existing.code},
            )
        )
        return
    notes = list(row.notes)
    if existing and not _says_funding(v) and not existing.grants.exists():
        # empty funding cells keep what is stored, the note of a missing granted sum too (the
        # portal's own export has no funder to write for it)
        notes = [line for line in existing.completion_notes.splitlines() if not _recomputed(line)]
    try:
        # a savepoint: a refused row leaves the transaction usable for the next rows' messages
        with transaction.atomic():
            theme = _theme(str(v["theme"])) if v["theme"] else None
            project = services.project_upsert(
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
        for column, messages in _error_columns(exc):
            result.errors.append(RowError(row.number, column, " ".join(messages)))
        return
    result.rows.append(
        PreviewRow(
            row=row.number,
            name=project.name_fi,
            code=project.code,
            action="update" if existing else "new",
            flags=project.completion_notes.splitlines(),
        )
    )


def _says_funding(v: dict[str, object]) -> bool:
    return bool(v["grants"] or v["granted"] is not None or v["funder_cells"])


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
