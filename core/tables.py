"""Reading an uploaded table (CSV or XLSX) the same way for every import.

What a person is told when the file itself is wrong is decided here, once for the projects,
applications and organisations imports:

- Only UTF-8 text is read (a BOM is fine). A file in UTF-16 (Excel's "Unicode text") or in
  Windows-1252 (Excel's plain "CSV") is refused, naming the encoding and the row of the first
  byte that is not UTF-8, rather than guessed: a wrong guess would turn every ä into Ã¤ in the
  saved data without anyone noticing. A PDF, a program or a workbook named .csv is named as such.
- The separator is read from the first row (comma, semicolon or tab); a row with more or fewer
  cells than the first row is refused with its number.
- A workbook cell holding a formula gives the value the spreadsheet computed and saved for it
  (what the person sees); a formula with no saved value (a file written by a program, never
  opened in a spreadsheet) is refused with its row and column instead of becoming empty.
- Text that starts like a formula (= + - @) is kept as typed: the portal shows it as text and
  every spreadsheet export neutralises it (``core.spreadsheets.neutralise``). The apostrophe an
  export put before such a cell is taken off again, so an exported file imports back unchanged.
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .filetypes import kind_of

FORMULA_CHARACTERS = ("=", "+", "-", "@")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class TableProblem(Exception):
    """The file as a whole cannot be read; ``row`` (1 = the header row) and ``column`` say where."""

    def __init__(self, message: str, row: int = 1, column: str = ""):
        super().__init__(message)
        self.row = row
        self.column = column


@dataclass
class Table:
    headers: list[str]  # stripped and lower-case, in the file's order
    rows: dict[int, dict[str, str]]  # by row number in the file (1 is the header), blanks left out


def describe(kind: str) -> str:
    """A file's kind (``filetypes.kind_of``) in words, for a message."""
    if kind in ("png", "jpeg", "gif"):
        return _("an image")
    return {
        "pdf": _("a PDF document"),
        "program": _("a program"),
        "xls": _("an old Excel workbook (XLS)"),
        "xlsx": _("an XLSX workbook"),
        "": _("text"),
    }.get(kind, _("a zip file (e.g. a Word or OpenDocument file)"))


def check_upload(file, *, xlsx: bool = True) -> None:
    """An import form's check of the uploaded file: a .csv (or .txt) that is text and, if
    ``xlsx``, an .xlsx that is a workbook. ValidationError, for the file field, otherwise."""
    name = file.name.rsplit("/", 1)[-1]
    lower = name.lower()
    if xlsx and lower.endswith(".xlsx"):
        expected = "xlsx"
    elif lower.endswith((".csv", ".txt")):
        expected = ""
    else:
        message = _("Upload a .csv or .xlsx file.") if xlsx else _("Upload a .csv file.")
        raise ValidationError(message)
    kind = kind_of(file)
    if kind != expected:
        raise ValidationError(
            _("The file %(name)s is named .%(extension)s but its contents are %(kind)s.")
            % {"name": name, "extension": lower.rsplit(".", 1)[-1], "kind": describe(kind)}
        )


def decode_text(content: bytes) -> str:
    """The file as text if it is UTF-8 (with or without a BOM); TableProblem otherwise."""
    kind = kind_of(io.BytesIO(content))
    if kind:
        raise TableProblem(
            _("The file is not CSV text: its contents are %(kind)s. Save it as “CSV UTF-8”.")
            % {"kind": describe(kind)}
        )
    if content.startswith(UTF16_BOMS) or b"\x00" in content[:4096]:
        raise TableProblem(
            _(
                "The file is UTF-16 text (Excel's “Unicode text”), not UTF-8. Save it as "
                "“CSV UTF-8” and try again."
            )
        )
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = content[: exc.start].count(b"\n") + 1
        raise TableProblem(
            _(
                "The file is not UTF-8 text: byte 0x%(byte)02X is not UTF-8 (Excel's plain "
                "“CSV” saves ä and ö so, in Windows-1252). Save it as “CSV UTF-8” and try again."
            )
            % {"byte": content[exc.start]},
            row=row,
        ) from exc


def _delimiter(first_line: str) -> str:
    if first_line.count("\t") > max(first_line.count(";"), first_line.count(",")):
        return "\t"
    return ";" if first_line.count(";") > first_line.count(",") else ","


def csv_cells(content: bytes) -> list[list[str]]:
    """The rows of a CSV file as lists of cells, every row as wide as the first."""
    text = decode_text(content)
    delimiter = _delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise TableProblem(
            _("The CSV file could not be read: %(error)s") % {"error": exc}, row=reader.line_num
        ) from exc
    width = len(rows[0]) if rows else 0
    for number, row in enumerate(rows[1:], start=2):
        if any(cell.strip() for cell in row) and len(row) != width:
            raise TableProblem(
                _(
                    "It has %(cells)d cells but the first row has %(width)d. In a "
                    "semicolon-separated file, put a cell holding a list in quotes, e.g. "
                    '"Espoon kaupunki; Vantaan kaupunki".'
                )
                % {"cells": len(row), "width": width},
                row=number,
            )
    return rows


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def xlsx_cells(content: bytes) -> list[list[object]]:
    """The rows of the first sheet of a workbook; a formula cell gives its saved result."""
    import openpyxl

    kind = kind_of(io.BytesIO(content))
    if kind != "xlsx":
        raise TableProblem(
            _("The file is not a readable XLSX workbook: its contents are %(kind)s.")
            % {"kind": describe(kind)}
        )
    try:
        values = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        value_rows = [list(row) for row in values.active.iter_rows(values_only=True)]
        formula_rows = [
            [cell.data_type == "f" for cell in row] for row in formulas.active.iter_rows()
        ]
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise TableProblem(_("The file is not a readable XLSX workbook.")) from exc
    headers = value_rows[0] if value_rows else []
    for number, (row, is_formula) in enumerate(zip(value_rows, formula_rows, strict=False), 1):
        for index, formula in enumerate(is_formula):
            if formula and (index >= len(row) or row[index] is None):
                name = headers[index] if index < len(headers) and headers[index] else None
                raise TableProblem(
                    _(
                        "The cell holds a formula whose result is not saved in the file. Open "
                        "the file in a spreadsheet program and save it, or paste the values only."
                    ),
                    row=number,
                    column=str(name or _column_letter(index)),
                )
    return value_rows


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    text = text.strip()
    # An export put an apostrophe before a cell a spreadsheet would run; take it off again.
    if text.startswith("'") and text[1:2] in FORMULA_CHARACTERS:
        text = text[1:]
    return text


def read_table(content: bytes, filename: str, *, xlsx: bool = True) -> Table:
    """The header and the data rows of a CSV (or, if ``xlsx``, an XLSX) file.

    Raises TableProblem with what is wrong and where. A blank row is no row, but the rows keep
    their numbers in the file."""
    name = filename.lower()
    if xlsx and name.endswith(".xlsx"):
        cells = xlsx_cells(content)
    elif name.endswith((".csv", ".txt")):
        cells = csv_cells(content)
    else:
        raise TableProblem(_("Upload a .csv or .xlsx file.") if xlsx else _("Upload a .csv file."))
    if not cells or not any(_text(c) for c in cells[0]):
        raise TableProblem(_("The file is empty: its first row must name the columns."))
    headers = [_text(h).lstrip("\ufeff").lower() for h in cells[0]]
    rows = {}
    for number, values in enumerate(cells[1:], start=2):
        texts = [_text(v) for v in values]
        for index, text in enumerate(texts):
            if text and (index >= len(headers) or not headers[index]):
                raise TableProblem(
                    _("Column %(letter)s has a value but no column name in the first row.")
                    % {"letter": _column_letter(index)},
                    row=number,
                )
        if any(texts):
            row = {h: "" for h in headers if h}
            row.update({h: t for h, t in zip(headers, texts, strict=False) if h})
            rows[number] = row
    return Table(headers=[h for h in headers if h], rows=rows)
