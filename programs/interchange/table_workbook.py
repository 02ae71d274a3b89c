"""A table (the /sheets/ export) as an .xlsx written row by row with openpyxl's write-only mode into a temporary file:
memory stays flat whatever the number of rows, and the response streams the file.

The cells are those tablib wrote before (evalsheets.lib.spreadsheet_safety.xlsx_bytes): the header row bold and
frozen, a text holding a line break wrapped, a formula-like text a string with the quote prefix, numbers as numbers.
Column widths follow the header (tablib measured every cell, which needs the whole table in memory).
"""

import tempfile
from collections.abc import Iterable, Sequence
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from evalsheets.lib.spreadsheet_safety import looks_like_formula, xlsx_cell_protect

# Rows an XLSX export may hold: openpyxl writes ~2,500–5,000 rows a second here (pure-Python XML without lxml), so
# 60,000 rows stay well inside gunicorn's 30 s worker timeout on the shared 2-core machine (46,006 rows: 17–19 s).
# The CSV export streams any number of rows.
MAX_ROWS = 60_000
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True)
MIN_WIDTH = 10


def _header(ws, text) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=text)
    cell.font = BOLD
    xlsx_cell_protect(cell)
    return cell


def _value(ws, value):
    """A plain value as it is (the fast path of write-only mode); a cell only where a text needs a style."""
    if not isinstance(value, str) or not (looks_like_formula(value) or "\n" in value):
        return value
    cell = WriteOnlyCell(ws, value=value)
    if "\n" in value:
        cell.alignment = WRAP
    xlsx_cell_protect(cell)
    return cell


def table_workbook_file(rows: Iterable[Sequence], *, title: str) -> BinaryIO:
    """The rows (the header first) as one worksheet named `title`, in a temporary file opened at its start (deleted
    when closed: hand it to a FileResponse)."""
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(title=title)
    ws.freeze_panes = "A2"
    rows = iter(rows)
    header = next(rows)
    for index, text in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(index)].width = max(MIN_WIDTH, 2 * len(str(text)))
    ws.append([_header(ws, text) for text in header])
    for row in rows:
        ws.append([_value(ws, value) for value in row])
    file = tempfile.TemporaryFile()
    workbook.save(file)
    file.seek(0)
    return file
