"""A table (the /sheets/ export) as an .xlsx written row by row with XlsxWriter in constant-memory mode into a temporary
file: each row goes to disk as it is written, so memory stays flat whatever the number of rows, and the response
streams the file.

XlsxWriter (rather than openpyxl's write-only mode, which this replaced) because it writes the same cells in about 60–65% of the
CPU time (README "The /sheets/ CSV and XLSX"). Every cell is written by its type, never through
XlsxWriter's guessing `write()`: a text is always a string cell (strings_to_formulas/numbers/urls are off as well), a
number a number, a missing value (None or an empty text) no cell at all.

The cells are those of the openpyxl writer before (tests/programs/test_table_workbook.py reads them back cell by cell):
the header row bold and frozen, a text holding a line break wrapped, a formula-like text a string with the quote prefix
(evalsheets.lib.spreadsheet_safety), numbers as numbers. A carriage return is written as the line feed an XML reader
always made of it (XlsxWriter would keep it as `_x000D_`, which openpyxl reads back literally). Column widths follow
the header (measuring every cell would need the whole table in memory).
"""

import tempfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import BinaryIO

import xlsxwriter

from evalsheets.lib.spreadsheet_safety import looks_like_formula
from evalsheets.lib.tables import AmountColumn, PercentColumn

# Rows an XLSX export may hold: XlsxWriter writes about 10,000 rows of the /sheets/ export a second on a quiet 2-core
# machine (projected from 9,206 rows; README "The /sheets/ CSV and XLSX"), so 60,000 rows stay well inside gunicorn's
# 30 s worker timeout even on a loaded one. The CSV export streams any number of rows.
MAX_ROWS = 60_000
MIN_WIDTH = 10
# How a number cell is shown (its value stays the plain number): 千円 with separators and ▲ for a negative, a percentage
# to one decimal, as the pages print them (evalsheets.lib.formatting).
AMOUNT_FORMAT = '#,##0;"▲ "#,##0'
PERCENT_FORMAT = '0.0;"▲ "0.0'
OPTIONS = {
    "constant_memory": True,  # each row is written out when the next starts: flat memory
    "strings_to_formulas": False,  # never a formula from a text, whatever calls write()
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


class _Formats:
    """The few cell formats of an export, made once per workbook: bold (header), wrapped (a line break), each with or
    without the quote prefix; a number format for a column."""

    def __init__(self, workbook: xlsxwriter.Workbook):
        self.workbook = workbook
        self.made = {}

    def get(self, *, bold: bool = False, wrap: bool = False, quote: bool = False):
        key = (bold, wrap, quote)
        if key not in self.made:
            properties = {"bold": bold, "text_wrap": wrap, "quote_prefix": quote}
            self.made[key] = self.workbook.add_format({name: True for name, on in properties.items() if on}) if any(key) else None
        return self.made[key]

    def number(self, number_format: str | None):
        if number_format is None:
            return None
        if number_format not in self.made:
            self.made[number_format] = self.workbook.add_format({"num_format": number_format})
        return self.made[number_format]


def number_formats(table_class) -> list[str | None]:
    """The number format of each exported column of a django-tables2 table (its Meta.sequence): 千円 for an
    AmountColumn, a percentage for a PercentColumn, none for the others (texts, years)."""
    kinds = ((AmountColumn, AMOUNT_FORMAT), (PercentColumn, PERCENT_FORMAT))
    columns = [table_class.base_columns[name] for name in table_class.Meta.sequence]
    return [next((shown for kind, shown in kinds if isinstance(column, kind)), None) for column in columns]


def _text(ws, formats: _Formats, row: int, col: int, value: str, *, bold: bool = False) -> None:
    quote = looks_like_formula(value)  # decided on the text as given (a leading carriage return included)
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    cell_format = formats.get(bold=bold, wrap="\n" in value, quote=quote)
    ws.write_string(row, col, value, cell_format)


def _write_row(ws, formats: _Formats, row: int, values: Sequence) -> None:
    for col, value in enumerate(values):
        if value is None or value == "":  # a missing value is no cell (openpyxl wrote none for "" either)
            continue
        if isinstance(value, str):
            _text(ws, formats, row, col, value)
        elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            ws.write_number(row, col, value)
        else:
            raise TypeError(f"an exported cell is text, a number or missing, not {type(value).__name__}: {value!r}")


def table_workbook_file(rows: Iterable[Sequence], *, title: str, column_formats: Sequence[str | None] = ()) -> BinaryIO:
    """The rows (the header first) as one worksheet named `title`, in a temporary file opened at its start (deleted
    when closed: hand it to a FileResponse). `column_formats`: the number format of each column (number_formats),
    which its number cells are shown in."""
    file = tempfile.TemporaryFile()
    workbook = xlsxwriter.Workbook(file, OPTIONS)
    formats = _Formats(workbook)
    ws = workbook.add_worksheet(title)
    ws.freeze_panes(1, 0)
    rows = iter(rows)
    header = next(rows)
    for col, text in enumerate(header):
        column_format = formats.number(column_formats[col] if col < len(column_formats) else None)
        ws.set_column(col, col, max(MIN_WIDTH, 2 * len(str(text))), column_format)
        _text(ws, formats, 0, col, str(text), bold=True)
    for number, values in enumerate(rows, start=1):
        _write_row(ws, formats, number, values)
    workbook.close()
    file.seek(0)
    return file
