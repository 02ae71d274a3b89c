"""The /sheets/ XLSX export (programs/interchange/table_workbook.py, XlsxWriter in constant-memory mode): read back
with openpyxl, every cell is the value handed to the writer — the CSV export's value too — with its type, texts never
formulas, formula-like texts with the quote prefix, line breaks wrapped; memory does not grow with the rows."""

import csv
import io
import tracemalloc
from decimal import Decimal

import openpyxl
import pytest

from evalsheets.lib.spreadsheet_safety import looks_like_formula
from programs import selectors
from programs.interchange.table_workbook import AMOUNT_FORMAT, PERCENT_FORMAT, number_formats, table_workbook_file
from programs.models import Program, Sheet
from programs.tables import SheetTable, sheet_export_rows
from tests.factories import sheets_bulk_create

HOSTILE = ['=HYPERLINK("http://x","y")', "@SUM(1)", "+1", "-1+2", "\t=1", "\r=1", "\r\n=1"]


def _read(file) -> openpyxl.worksheet.worksheet.Worksheet:
    return openpyxl.load_workbook(io.BytesIO(file.read())).active


def _as_read_back(value):
    """What an XML reader makes of a written value, as with the openpyxl writer before: a carriage return is a line
    feed; a number is written as "%.16g" (a Decimal reads back as a float, a whole float as an int)."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    if isinstance(value, (float, Decimal)):
        return int(value) if value == int(value) else float(value)
    return value


def assert_cells_are(ws, rows: list[list]) -> None:
    """Cell by cell: the value and its type, string cells for texts (quote prefix exactly on formula-like ones, wrap
    exactly on line breaks), numbers for numbers, no cell for a missing value; the header bold and frozen."""
    read = list(ws.iter_rows(max_col=len(rows[0])))
    assert len(read) == len(rows)
    assert ws.freeze_panes == "A2"
    for number, (cells, values) in enumerate(zip(read, rows, strict=True)):
        for cell, value in zip(cells, values, strict=True):
            where = f"{cell.coordinate} {value!r}"
            assert cell.value == _as_read_back(value), where
            assert type(cell.value) is type(_as_read_back(value)), where
            if isinstance(value, str):
                assert cell.data_type == "s", where
                assert cell.quotePrefix == looks_like_formula(value), where
                assert bool(cell.alignment.wrap_text) == ("\n" in cell.value), where
            elif value is not None:
                assert cell.data_type == "n" and not cell.quotePrefix, where
            assert bool(cell.font.b) == (number == 0), where


def test_cells_read_back_as_written_with_their_types_and_guards():
    header = ["=名前", "予算額（千円）", "執行率（%）", "空", "改行"]
    rows = [header]
    rows += [[text, -19047, -8.3, None, "一行目\n二行目"] for text in HOSTILE]
    rows += [["業務系システム", 0, Decimal("-1.5"), "", "a=b"], ["03-04-01", 468771, 86.3, None, "\r\n"]]
    column_formats = [None, AMOUNT_FORMAT, PERCENT_FORMAT]
    ws = _read(table_workbook_file(rows, title="事務事業分析シート", column_formats=column_formats))
    assert ws.title == "事務事業分析シート"
    assert [cell.number_format for cell in ws[2]][:3] == ["General", AMOUNT_FORMAT, PERCENT_FORMAT]
    assert {cell.number_format for cell in ws[1]} == {"General"}  # the header's own format
    rows[-2][3] = None  # an empty text is no cell, as before
    assert_cells_are(ws, rows)
    assert [cell.value for row in ws.iter_rows() for cell in row if cell.data_type == "f"] == []


def test_amounts_show_as_thousand_yen_with_a_triangle_and_percentages_with_one_decimal():
    """The number formats print like the pages (evalsheets.lib.formatting: 1,234 / ▲ 19,047 / 86.3); the values stay."""
    formats = dict(zip(SheetTable.Meta.sequence, number_formats(SheetTable), strict=True))
    assert formats["own_budget"] == formats["budget_change"] == formats["cost_balance"] == '#,##0;"▲ "#,##0'
    assert formats["latest_execution_rate"] == formats["achievement"] == '0.0;"▲ "0.0'
    assert {formats[name] for name in ("municipality", "code", "name", "fiscal_year", "max_unused_year")} == {None}


def test_a_value_that_is_neither_text_nor_number_is_refused():
    with pytest.raises(TypeError, match="text, a number or missing"):
        table_workbook_file([["年度"], [True]], title="x")


def test_memory_does_not_grow_with_the_rows():
    """Constant-memory mode: the Python heap's peak while writing 12,000 rows is that of 1,200 rows (each row goes
    to a temporary file as the next starts); the rows are generated, so they are not counted."""

    def peak(count: int) -> int:
        rows = ([f"列{i}" for i in range(24)], *([f"生成事業{n}", n, -n, n / 7, None] * 4 + [None] * 4 for n in range(count)))
        tracemalloc.start()
        table_workbook_file(iter(rows), title="x").close()
        size = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return size

    small, large = peak(1_200), peak(12_000)
    assert large - small < 512 * 1024, (small, large)


@pytest.fixture
def generated_sheets(db):
    """200 generated sheets, some with what the export must keep: formula-like names, line breaks (LF, CRLF), a
    control character (the openpyxl writer refused it: a 500)."""
    sheets_bulk_create(200)
    for code, text in zip(["90-0001", "90-0002", "90-0003", "90-0004", "90-0005", "90-0006"], HOSTILE, strict=False):
        Sheet.objects.filter(program__code=code).update(name=text)
    Program.objects.filter(code="90-0007").update(name="=1+2")
    Sheet.objects.filter(program__code="90-0008").update(name="改行\r\nあり")
    Sheet.objects.filter(program__code="90-0009").update(name="制御\x01文字")


@pytest.mark.django_db
def test_export_of_a_generated_set_is_the_rows_and_the_csv_cell_by_cell(client, generated_sheets):
    queryset = selectors.sheet_table_queryset(viewer=None).order_by("program__code")
    rows = list(sheet_export_rows(queryset))
    assert len(rows) == 1 + 206
    response = client.get("/sheets/?sort=code&_export=xlsx")
    assert response.status_code == 200 and response.streaming
    ws = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    control = {"制御\x01文字": "制御_x0001_文字"}  # Excel's escape of a control character; openpyxl reads it as is
    assert_cells_are(ws, [[control.get(value, value) for value in row] for row in rows])
    shown = dict(zip(rows[0], number_formats(SheetTable), strict=True))
    for cells in ws.iter_rows(min_row=2):
        for head, cell in zip(rows[0], cells, strict=True):
            if isinstance(cell.value, (int, float)):
                assert cell.number_format == (shown[head] or "General"), (cell.coordinate, head)

    body = client.get("/sheets/?sort=code&_export=csv").getvalue().decode("utf-8").lstrip("\ufeff")
    csv_rows = list(csv.reader(io.StringIO(body, newline="")))
    assert len(csv_rows) == ws.max_row
    for cells, csv_row in zip(ws.iter_rows(values_only=True), csv_rows, strict=True):
        csv_row = [control.get(text, text) for text in csv_row]
        csv_row = [_as_read_back(text[1:] if looks_like_formula(text[1:]) else text) for text in csv_row]  # CSV's guard
        for value, text in zip(cells, csv_row, strict=True):
            if isinstance(value, (int, float)):
                assert float(text) == value
            else:
                assert ("" if value is None else value) == text
