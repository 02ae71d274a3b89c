"""Every CSV and XLSX export writes formula-like text as text (issue 11 part 5), and numbers as numbers."""

import csv
import io

import openpyxl
import pytest

from evalsheets.lib.spreadsheet_safety import FORMULA_STARTS
from finance.models import BreakdownLine
from indicators.models import Indicator
from programs.interchange.workbook import workbook_read
from programs.models import Program, Sheet
from programs.pages.compare import PANEL_TITLES

pytestmark = pytest.mark.django_db
HOSTILE = ['=HYPERLINK("http://x","y")', "@SUM(1)", "+1", "-1+2", "\t=1", "\r=1"]
CODES = ["03-04-01", "03-04-02", "03-04-03", "03-04-04", "03-04-05", "03-04-06"]
NAMES = dict(zip(CODES, HOSTILE, strict=True))


@pytest.fixture
def hostile_names():
    """Each seed program and its sheets named by one formula-like text."""
    for code, text in NAMES.items():
        Program.objects.filter(code=code).update(name=text)
        Sheet.objects.filter(program__code=code).update(name=text)


def _csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    body = response.getvalue() if response.streaming else response.content  # /sheets/ streams, /compare/ does not
    return list(csv.reader(io.StringIO(body.decode("utf-8").lstrip("\ufeff"), newline="")))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _assert_no_live_formula(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS) or _is_number(cell), cell


def _xlsx(response) -> openpyxl.Workbook:
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return openpyxl.load_workbook(io.BytesIO(content))


def _assert_text_cells(workbook: openpyxl.Workbook, texts: list[str]) -> None:
    """Each text is in some cell, as a string with the quote prefix (a CR reads back as LF through XML)."""
    wanted = {text.replace("\r", "\n") for text in texts}
    found = {}
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value in wanted:
                    found[cell.value] = cell
    assert set(found) == wanted
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in found.values())


def _formula_cells(workbook: openpyxl.Workbook) -> list[str]:
    return [cell.value for ws in workbook.worksheets for row in ws.iter_rows() for cell in row if cell.data_type == "f"]


def test_sheet_table_csv_neutralises_names_and_keeps_negative_amounts(client, hostile_names):
    rows = _csv_rows(client.get("/sheets/", {"sort": "code", "_export": "csv"}))
    head = rows[0]
    by_code = {row[1]: dict(zip(head, row, strict=True)) for row in rows[1:]}  # 団体, then 事務事業コード
    assert {code: row["事務事業名"] for code, row in by_code.items()} == {code: "'" + text for code, text in NAMES.items()}
    assert by_code["03-04-04"]["予算額 前年度比"] == "-19047"
    _assert_no_live_formula(rows)


def test_sheet_table_xlsx_keeps_names_as_text_and_amounts_as_numbers(client, hostile_names):
    workbook = _xlsx(client.get("/sheets/", {"sort": "code", "_export": "xlsx"}))
    _assert_text_cells(workbook, HOSTILE)
    assert _formula_cells(workbook) == []
    ws = workbook.active
    head = [cell.value for cell in ws[1]]
    change = ws.cell(row=1 + CODES.index("03-04-04") + 1, column=head.index("予算額 前年度比") + 1)
    assert (change.value, change.data_type) == (-19047, "n")


@pytest.mark.parametrize("panel", list(PANEL_TITLES))
def test_compare_csv_downloads_neutralise_names(client, hostile_names, panel):
    rows = _csv_rows(client.get("/compare/", {"programs": CODES, "download": panel}))
    _assert_no_live_formula(rows)
    names = {row[1] for row in rows[1:]}
    assert names and names <= {"'" + text for text in HOSTILE}


def test_compare_csv_keeps_negative_changes_as_plain_numbers(client, hostile_names):
    rows = _csv_rows(client.get("/compare/", {"programs": CODES, "download": "change"}))
    assert any(cell.startswith("-") and _is_number(cell) for row in rows[1:] for cell in row)


@pytest.fixture
def hostile_sheet(hostile_names):
    """03-04-01 (2021) with formula-like text in its own fields and in its parts."""
    sheet = Sheet.objects.get(program__code="03-04-01", fiscal_year=2021)
    Sheet.objects.filter(pk=sheet.pk).update(purpose="-1+2", remarks='=HYPERLINK("http://x","y")', chief="@SUM(1)")
    Indicator.objects.filter(sheet=sheet, number=1).update(unit="+1")
    BreakdownLine.objects.filter(pk=BreakdownLine.objects.filter(sheet=sheet).first().pk).update(description="-1+2 の内訳")
    return sheet


SHEET_TEXTS = ['=HYPERLINK("http://x","y")', "@SUM(1)", "+1", "-1+2", "-1+2 の内訳"]


def _only_rate_formulas(workbook: openpyxl.Workbook) -> None:
    formulas = _formula_cells(workbook)
    assert formulas and all(text.startswith("=IF(AND(ISNUMBER(") for text in formulas)


def test_one_sheet_workbook_writes_texts_as_text_and_reads_them_back_exactly(client, hostile_sheet):
    response = client.get("/sheets/2021/03-04-01/excel/")
    workbook = _xlsx(response)
    _assert_text_cells(workbook, SHEET_TEXTS)
    _only_rate_formulas(workbook)
    negative = [cell for row in workbook.active.iter_rows() for cell in row if isinstance(cell.value, int) and cell.value < 0]
    assert negative and all(cell.data_type == "n" for cell in negative)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    [doc] = workbook_read(buffer, name="03-04-01.xlsx")
    assert [doc[key] for key in ("name", "purpose", "remarks", "chief")] == [
        NAMES["03-04-01"],
        "-1+2",
        NAMES["03-04-01"],
        "@SUM(1)",
    ]
    assert doc["indicators"][0]["unit"] == "+1"
    assert "-1+2 の内訳" in [line["description"] for line in doc["budget_breakdown"]]


def test_workbook_of_all_sheets_writes_every_name_as_text(admin_client, hostile_sheet):
    workbook = _xlsx(admin_client.get("/sheets/excel/"))
    _assert_text_cells(workbook, HOSTILE + SHEET_TEXTS)
    _only_rate_formulas(workbook)


def test_blank_template_has_no_formula_but_the_execution_rate(client):
    workbook = _xlsx(client.get("/sheets/blank.xlsx", {"fiscal_year": "2021"}))
    _only_rate_formulas(workbook)
