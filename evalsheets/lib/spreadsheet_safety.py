"""Formula injection (OWASP "CSV injection"): the one rule for every CSV and XLSX cell we write.

A text that starts with = + - @, a tab or a carriage return may be evaluated as a formula by Excel or
LibreOffice (`=HYPERLINK(...)`, `@SUM(...)`, `-1+2`). Such a text is written as text:

- in CSV with a leading apostrophe (`'=1+2`), which spreadsheets show as text;
- in XLSX unchanged, as a string cell with the quote prefix (as if typed `'=1+2`), so Excel never
  evaluates it and reading the workbook back gives the original text: openpyxl cells through xlsx_cell_protect,
  the XlsxWriter table export (programs/interchange/table_workbook.py) through looks_like_formula.

Numbers (int, float, Decimal, negative ones included) are never touched: -19047 stays a number.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

import tablib
from tablib.formats._xlsx import XLSXFormat

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_value(value):
    """A CSV field: a formula-like text gets a leading apostrophe; None becomes empty; numbers stay."""
    if isinstance(value, str):  # looks_like_formula, inlined: called for every cell of an export
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    return "" if value is None else value


def csv_dataset(dataset: tablib.Dataset) -> tablib.Dataset:
    """A copy of `dataset` with every header and value passed through csv_value."""
    headers = [csv_value(head) for head in dataset.headers] if dataset.headers else None
    return tablib.Dataset(*[tuple(csv_value(value) for value in row) for row in dataset], headers=headers)


def csv_text(dataset: tablib.Dataset) -> str:
    """UTF-8 CSV with a byte-order mark (so Excel opens Japanese text correctly), formula-safe."""
    return "\ufeff" + csv_dataset(dataset).export("csv")


def csv_stream(rows: Iterable[Sequence], *, chunk_rows: int = 500) -> Iterator[str]:
    """The rows (the header first) as UTF-8 CSV text with a byte-order mark, in chunks of `chunk_rows` lines, formula-safe:
    the same text as csv_text, for a StreamingHttpResponse (memory stays flat whatever the number of rows)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    for count, row in enumerate(rows, start=1):
        writer.writerow([csv_value(value) for value in row])
        if count % chunk_rows == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def xlsx_cell_protect(cell) -> None:
    """An openpyxl cell already holding its value: formula-like text stays text (string type, quote prefix)."""
    if looks_like_formula(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True


class FormulaSafeXLSX(XLSXFormat):
    """tablib's XLSX writer, every cell then passed through xlsx_cell_protect (tablib itself would write
    `=...` as a formula, and its `escape` option drops the `=` instead of keeping the text)."""

    @classmethod
    def dset_sheet(cls, dataset, ws, freeze_panes=True, escape=False):
        super().dset_sheet(dataset, ws, freeze_panes=freeze_panes, escape=False)
        for row in ws.iter_rows():
            for cell in row:
                xlsx_cell_protect(cell)


def xlsx_bytes(dataset: tablib.Dataset) -> bytes:
    """The dataset as an .xlsx (tablib's layout), formula-safe."""
    return FormulaSafeXLSX.export_set(dataset)
