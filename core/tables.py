"""Reading an uploaded table (CSV or XLSX) the same way for every import.

What a person is told when the file itself is wrong is decided here, once for the projects,
applications and organisations imports:

- A workbook is streamed (openpyxl read-only): one that would unpack to more than
  MAX_UNPACKED_BYTES is refused before it is read, and the row cap applies while reading, so a
  small file that unpacks to a huge sheet (a zip bomb) costs a moment, not minutes. A CSV stops
  at the cap too. A cell longer than the longest field (MAX_CELL_CHARACTERS) is refused with
  its row and column, in the reader's language (never the csv module's English).
- Only UTF-8 text is read (a BOM is fine); a NUL byte is named as such (UTF-16 only when the
  text looks it). A file in UTF-16 (Excel's "Unicode text") or in
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
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .filetypes import kind_of
from .validators import LONG_TEXT_MAX_LENGTH

FORMULA_CHARACTERS = ("=", "+", "-", "@")
MAX_ROWS = 10_000  # data rows per import file
MAX_CELL_CHARACTERS = LONG_TEXT_MAX_LENGTH  # the longest text field
MAX_UNPACKED_BYTES = 50_000_000  # an XLSX of 10 000 full rows unpacks to far less
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
    head = content[:4096]
    # UTF-16 has a NUL beside nearly every Latin letter; a stray NUL in UTF-8 text is another fault.
    if content.startswith(UTF16_BOMS) or (head and head.count(b"\x00") * 3 >= len(head)):
        raise TableProblem(
            _(
                "The file is UTF-16 text (Excel's “Unicode text”), not UTF-8. Save it as "
                "“CSV UTF-8” and try again."
            )
        )
    if b"\x00" in content:
        raise TableProblem(
            _(
                "The file holds a NUL byte (a zero byte), which text never holds: it is not a "
                "plain CSV file or it is damaged. Save it again as “CSV UTF-8”."
            ),
            row=content[: content.index(b"\x00")].count(b"\n") + 1,
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


def _too_many_rows(max_rows: int) -> TableProblem:
    return TableProblem(
        _("At most %(max)d rows at a time: split the file.") % {"max": max_rows},
        row=max_rows + 2,
    )


def _too_long(row: int, column: str) -> TableProblem:
    return TableProblem(
        _("The cell is longer than %(max)d characters: no field of the portal holds that much.")
        % {"max": MAX_CELL_CHARACTERS},
        row=row,
        column=column,
    )


def csv_cells(content: bytes, *, max_rows: int = MAX_ROWS) -> list[list[str]]:
    """The rows of a CSV file as lists of cells, every row as wide as the first. Reading stops
    (TableProblem) at the first row past ``max_rows`` data rows."""
    text = decode_text(content)
    delimiter = _delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows: list[list[str]] = []
    try:
        for row in reader:
            if len(rows) > max_rows and any(cell.strip() for cell in row):
                raise _too_many_rows(max_rows)
            rows.append(row)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise _too_long(reader.line_num, "") from exc
        raise TableProblem(
            _(
                'The CSV file could not be read here: a quotation mark (") is not closed, or a '
                "cell breaks the CSV rules. Save it again as “CSV UTF-8”."
            ),
            row=reader.line_num,
        ) from exc
    width = len(rows[0]) if rows else 0
    headers = [cell.strip() for cell in rows[0]] if rows else []
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
        for index, cell in enumerate(row):
            if len(cell) > MAX_CELL_CHARACTERS:
                raise _too_long(number, headers[index] if index < len(headers) else "")
    return rows


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _check_zip_sizes(content: bytes) -> None:
    """Refuse a workbook that would unpack to more than MAX_UNPACKED_BYTES before reading it:
    a small file can unpack to gigabytes (a zip bomb). The sizes are the archive's own word;
    zipfile stops at the stated size, so a lying archive cannot read more."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise TableProblem(_("The file is not a readable XLSX workbook.")) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise TableProblem(
            _(
                "The workbook unpacks to %(size)d MB, more than an import reads (%(max)d MB). "
                "Save only the rows to import, or save it as CSV."
            )
            % {"size": unpacked // 1_000_000, "max": MAX_UNPACKED_BYTES // 1_000_000}
        )


def _bounded_sheet_size(self) -> None:
    """openpyxl's read-only sheet looks for the ``<dimension>`` element on opening, and when a
    sheet has none it parses the whole sheet to find that out (it waits for the end of
    ``sheetData``): a small file without one that unpacks to a million rows took minutes
    before a single row was read. The schema puts ``<dimension>`` before ``sheetData``, so
    stopping at the start of ``sheetData`` finds it whenever it is there: the same answer for
    every valid file, in bounded time for any file."""
    # openpyxl's own parser (defusedxml's where installed), as the sheet is read with
    from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG, iterparse
    from openpyxl.worksheet.dimensions import SheetDimension

    src = self._get_source()
    try:
        for event, element in iterparse(src, events=("start", "end")):
            if event == "start" and element.tag == DATA_TAG:
                return
            if event == "end" and element.tag == DIMENSION_TAG:
                boundaries = SheetDimension.from_tree(element).boundaries
                self._min_column, self._min_row, self._max_column, self._max_row = boundaries
                return
    finally:
        src.close()


def _sheet_rows(sheet, max_rows: int):
    """The rows of a read-only sheet, streamed: at most ``max_rows`` data rows with a value and
    a bounded number of blank rows after them, else TableProblem before reading on."""
    for number, row in enumerate(sheet.iter_rows(), start=1):
        if number > max_rows + 1:
            if any(cell.value not in (None, "") for cell in row):
                raise _too_many_rows(max_rows)
            if number > 2 * max_rows + 1:  # blank formatted rows without end
                raise _too_many_rows(max_rows)
            continue
        yield row


def xlsx_cells(content: bytes, *, max_rows: int = MAX_ROWS) -> list[list[object]]:
    """The rows of the first sheet of a workbook; a formula cell gives its saved result.

    The sheet is streamed (openpyxl read-only) and the row cap applies while reading."""
    import openpyxl

    kind = kind_of(io.BytesIO(content))
    if kind != "xlsx":
        raise TableProblem(
            _("The file is not a readable XLSX workbook: its contents are %(kind)s.")
            % {"kind": describe(kind)}
        )
    _check_zip_sizes(content)
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    ReadOnlyWorksheet._get_size = _bounded_sheet_size  # see _bounded_sheet_size
    try:
        values = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        value_rows = [
            [cell.value if hasattr(cell, "value") else None for cell in row]
            for row in _sheet_rows(values.active, max_rows)
        ]
        formula_rows = [
            [getattr(cell, "data_type", "") == "f" for cell in row]
            for row in _sheet_rows(formulas.active, max_rows)
        ]
        values.close()
        formulas.close()
    except TableProblem:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise TableProblem(_("The file is not a readable XLSX workbook.")) from exc
    while value_rows and not any(v not in (None, "") for v in value_rows[-1]):
        value_rows.pop()  # trailing blank (formatted) rows
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
        for index, value in enumerate(row):
            if isinstance(value, str) and len(value) > MAX_CELL_CHARACTERS:
                name = headers[index] if index < len(headers) and headers[index] else None
                raise _too_long(number, str(name or _column_letter(index)))
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


def read_table(
    content: bytes, filename: str, *, xlsx: bool = True, max_rows: int = MAX_ROWS
) -> Table:
    """The header and the data rows of a CSV (or, if ``xlsx``, an XLSX) file.

    Raises TableProblem with what is wrong and where. A blank row is no row, but the rows keep
    their numbers in the file."""
    name = filename.lower()
    if xlsx and name.endswith(".xlsx"):
        cells = xlsx_cells(content, max_rows=max_rows)
    elif name.endswith((".csv", ".txt")):
        cells = csv_cells(content, max_rows=max_rows)
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
