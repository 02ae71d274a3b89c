"""The formula-injection rule (evalsheets/lib/spreadsheet_safety.py), without a database."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
import tablib

from evalsheets.lib.spreadsheet_safety import csv_stream, csv_text, csv_value, looks_like_formula, xlsx_bytes

HOSTILE = ['=HYPERLINK("http://x","y")', "@SUM(1)", "+1", "-1+2", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_text_starting_like_a_formula_gets_an_apostrophe_in_csv(text):
    assert looks_like_formula(text)
    assert csv_value(text) == "'" + text


@pytest.mark.parametrize("value", [-19047, 0, 3.5, -8.3, Decimal("-1.5"), "業務系システム", "03-04-01", "a=b", ""])
def test_numbers_and_ordinary_texts_are_left_alone(value):
    assert csv_value(value) == value


def test_csv_text_has_a_bom_and_neutralises_headers_and_values_but_not_numbers():
    dataset = tablib.Dataset(*[(text, -19047, None) for text in HOSTILE], headers=["=名前", "増減", "空"])
    body = csv_text(dataset)
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"), newline="")))
    assert rows[0] == ["'=名前", "増減", "空"]
    assert [row[0] for row in rows[1:]] == ["'" + text for text in HOSTILE]
    assert {row[1] for row in rows[1:]} == {"-19047"}
    assert {row[2] for row in rows[1:]} == {""}


@pytest.mark.parametrize("chunk_rows", [1, 2, 500])
def test_csv_stream_is_csv_text_in_chunks(chunk_rows):
    """The streamed CSV (the /sheets/ export) is the same text as csv_text, whatever the chunk size."""
    headers = ["=名前", "増減", "空"]
    rows = [(text, -19047, None) for text in HOSTILE] + [("改行\nと,カンマ", 1.5, Decimal("-2.50"))]
    chunks = list(csv_stream([headers, *rows], chunk_rows=chunk_rows))
    assert "".join(chunks) == csv_text(tablib.Dataset(*rows, headers=headers))
    assert len(chunks) == (len(rows) + 1) // chunk_rows + 1


def test_xlsx_cells_stay_the_same_text_but_never_formulas_and_numbers_stay_numbers():
    dataset = tablib.Dataset(*[(text, -19047) for text in HOSTILE], headers=["名前", "増減"])
    ws = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(dataset))).active
    names = [row[0] for row in ws.iter_rows(min_row=2)]
    # XML reads a carriage return back as a line feed (openpyxl; Excel keeps it as text either way).
    assert [cell.value for cell in names] == [text.replace("\r", "\n") for text in HOSTILE]
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in names)
    amounts = [row[1] for row in ws.iter_rows(min_row=2)]
    assert all(cell.value == -19047 and cell.data_type == "n" and not cell.quotePrefix for cell in amounts)
