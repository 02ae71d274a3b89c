import csv
import io

import openpyxl
import pandas as pd
import pytest
from django.core.management import call_command
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext

from finance.models import BudgetYear
from indicators import analytics
from indicators.expressions import indicators_with_achievement
from programs import selectors
from programs.figures import sheet_figures_refresh
from programs.models import Measure, Municipality, Program, Sheet
from programs.tables import SheetTable, sheet_export_rows
from tests import source_figures as source
from tests.factories import sheets_bulk_create

pytestmark = pytest.mark.django_db
CODES = sorted(source.BUDGET_HISTORY)


def _rows(client, query=""):
    response = client.get(f"/sheets/?{query}")
    assert response.status_code == 200
    return [row.record.program.code for row in response.context["table"].paginated_rows]


def _table_values(client, query, column):
    response = client.get(f"/sheets/?{query}")
    return [getattr(row.record, column) for row in response.context["table"].paginated_rows]


SORTABLE = [name for name, column in SheetTable.base_columns.items() if column.orderable is not False and column.visible]
assert len(SORTABLE) == 18  # 団体 included


@pytest.mark.parametrize("column", SORTABLE)
@pytest.mark.parametrize("direction", ["", "-"])
def test_every_sortable_column_renders_and_sorts(client, column, direction):
    response = client.get(f"/sheets/?sort={direction}{column}")
    assert response.status_code == 200
    assert len(response.context["table"].paginated_rows) == 6


EXPECTED_ORDER = {
    # column: (attribute on the record, expected values computed from the source figures)
    "own_budget": ("own_budget", sorted(h[2021][0] for h in source.BUDGET_HISTORY.values())),
    "own_settlement": ("own_settlement", sorted(h[2021][1] for h in source.BUDGET_HISTORY.values())),
    "cost_balance": ("cost_balance", sorted(t[2020]["administrative_balance"] for t in source.COST_PRINTED_TOTALS.values())),
    "cost_expense": ("cost_expense", sorted(t[2020]["expense"] for t in source.COST_PRINTED_TOTALS.values())),
    "min_execution_rate": (
        "min_execution_rate",
        sorted(min(s * 100 / b for b, s in h.values()) for h in source.BUDGET_HISTORY.values()),
    ),
}


@pytest.mark.parametrize("column", sorted(EXPECTED_ORDER))
def test_numeric_columns_sort_by_the_database_values(client, column):
    attribute, expected = EXPECTED_ORDER[column]
    ascending = _table_values(client, f"sort={column}", attribute)
    assert ascending == pytest.approx(expected)
    descending = _table_values(client, f"sort=-{column}", attribute)
    assert descending == pytest.approx(list(reversed(expected)))


def test_sort_by_administrative_balance_puts_the_costliest_program_last(client):
    assert _rows(client, "sort=-cost_balance") == ["03-04-06", "03-04-04", "03-04-03", "03-04-02", "03-04-05", "03-04-01"]


def test_achievement_in_the_database_equals_the_pandas_rule(client):
    by_db = {
        (i.sheet.program.code, i.number): i.achievement for i in indicators_with_achievement().select_related("sheet__program")
    }
    for code in source.INDICATORS:
        sheet = Sheet.objects.get(program__code=code)
        for indicator in sheet.indicators.all():
            latest = indicator.values.order_by("-fiscal_year").first()
            expected = analytics.achievement(
                pd.Series([float(latest.value)]), pd.Series([float(indicator.target)]), pd.Series([indicator.direction])
            ).iloc[0]
            assert by_db[(code, indicator.number)] == pytest.approx(expected, abs=0.05)


def test_filters_narrow_the_rows(client):
    assert sorted(_rows(client, "classification=継続")) == ["03-04-03", "03-04-04", "03-04-05", "03-04-06"]
    assert sorted(_rows(client, "classification_next=推進")) == ["03-04-02", "03-04-06"]
    assert sorted(_rows(client, "budget_min=100000")) == ["03-04-01", "03-04-02", "03-04-05"]
    assert sorted(_rows(client, "budget_max=40000")) == ["03-04-04", "03-04-06"]
    assert sorted(_rows(client, "rate_below=85")) == ["03-04-02", "03-04-03", "03-04-05"]
    measure = Measure.objects.get(code="05")
    assert len(_rows(client, f"measure={measure.pk}")) == 6
    assert _rows(client, "fiscal_year=2021&business_type=新規") == []


def test_programs_that_fell_short_by_more_than_10_percent_in_any_year(client):
    """The manager's question: settlement below 90% of budget in any year."""
    expected = sorted(code for code, years in source.BUDGET_HISTORY.items() if any(s < 0.9 * b for b, s in years.values()))
    assert sorted(_rows(client, "rate_below=90")) == expected


@pytest.mark.parametrize(
    ("word", "codes"),
    [
        ("ネットワーク", ["03-04-02", "03-04-04", "03-04-06"]),  # 内容 of 03-04-02, name of 03-04-04, 目的 of 03-04-06
        ("ネットワーク管理", ["03-04-04"]),
        ("03-04-05", ["03-04-05"]),
        ("RPA", ["03-04-01", "03-04-02"]),  # 改善策 of 03-04-01 (every text is searched), 問題点・課題 ③ of 03-04-02
        ("印刷枚数", ["03-04-05"]),  # 問題点 of 03-04-05
        ("該当しない語", []),
    ],
)
def test_search_finds_japanese_substrings(client, word, codes):
    assert sorted(_rows(client, f"q={word}")) == codes


def test_a_keyword_lists_rows_ranked_until_a_column_is_chosen_to_sort_by(client):
    """ネットワーク is in 03-04-04's name: it comes first, not in code order; a chosen sort still sorts."""
    ranked = _rows(client, "q=ネットワーク")
    assert ranked[0] == "03-04-04" and ranked != sorted(ranked)
    assert "キーワードに合う順" in client.get("/sheets/?q=ネットワーク").content.decode()
    assert _rows(client, "q=ネットワーク&sort=code") == sorted(ranked)
    assert _rows(client, "q=ﾈｯﾄﾜｰｸ") == ranked


@pytest.mark.parametrize(
    "query", ["fiscal_year=abcd", "budget_min=abc", "budget_min=-5", "measure=999999", "classification=謎", "page=zz"]
)
def test_bad_filter_values_are_reported_not_a_500(client, query):
    response = client.get(f"/sheets/?{query}")
    assert response.status_code in (200, 404)
    if response.status_code == 200 and "page" not in query:
        assert "入力を確認してください" in response.content.decode()


def test_filters_and_sort_live_in_the_url(client):
    html = client.get("/sheets/?classification=継続&sort=-own_budget").content.decode()
    assert "_export=csv" in html and "classification=%E7%B6%99%E7%B6%9A" in html


def test_csv_export_has_bom_japanese_header_and_exactly_the_filtered_sorted_rows(client):
    response = client.get("/sheets/?classification=継続&sort=-own_budget&_export=csv")
    assert response.status_code == 200
    assert response.streaming
    body = response.getvalue().decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:9] == [
        "団体",
        "事務事業コード",
        "事務事業名",
        "課",
        "年度",
        "施策",
        "分類（当年度→翌年度）",
        "予算額（千円）",
        "決算額（千円）",
    ]
    assert [r[0] for r in rows[1:]] == ["荒川区"] * 4
    assert [r[1] for r in rows[1:]] == ["03-04-05", "03-04-03", "03-04-04", "03-04-06"]
    assert rows[1][7] == "133026"


def test_xlsx_export_loads_with_openpyxl_and_holds_the_same_rows(client):
    csv_rows = list(csv.reader(io.StringIO(client.get("/sheets/?sort=code&_export=csv").getvalue().decode().lstrip("\ufeff"))))
    response = client.get("/sheets/?sort=code&_export=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.getvalue()))
    sheet = book.active
    xlsx_rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert xlsx_rows[0] == csv_rows[0]
    assert [r[1] for r in xlsx_rows[1:]] == CODES
    assert [r[7] for r in xlsx_rows[1:]] == [r[7] for r in csv_rows[1:]]


def _csv(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8").lstrip("\ufeff"), newline="")))


@pytest.fixture
def varied_sheets(db):
    """40 generated sheets, some with what a table must export faithfully: no budget rows, a missing settlement, a
    見込み, no 分類, a formula-like name, a line break."""
    sheets_bulk_create(40)
    Program.objects.filter(code="90-0001").update(name="=1+2")
    Sheet.objects.filter(program__code="90-0001").update(name="=HYPERLINK(1)", classification_current="", classification_next="")
    Sheet.objects.filter(program__code="90-0002").update(classification_next="", name="改行\nあり")
    BudgetYear.objects.filter(sheet__program__code="90-0003").delete()
    BudgetYear.objects.filter(sheet__program__code="90-0004", fiscal_year=2021).update(settlement=None)
    BudgetYear.objects.filter(sheet__program__code="90-0005", fiscal_year=2021).update(settlement_is_estimate=True)
    sheet_figures_refresh(Sheet.objects.filter(program__code__startswith="90-").values_list("pk", flat=True))


@pytest.mark.parametrize("order", [("program__code",), ("-achievement", "program__code"), ("min_execution_rate", "name")])
def test_export_cells_are_the_tables_values(varied_sheets, order):
    """The streamed export (a list of column formatters over .values() rows) gives exactly django-tables2's
    as_values() of the same rows: headers, texts, numbers (types too), missing values."""
    queryset = selectors.sheet_table_queryset(viewer=None).order_by(*order)
    expected = list(SheetTable(queryset, order_by=()).as_values())  # the queryset's order, not the table's default
    exported = list(sheet_export_rows(queryset))
    assert len(exported) == 47
    assert exported == expected
    by_code = {row[1]: row for row in exported[1:]}
    assert by_code["90-0003"][7:9] == [None, None]  # no budget rows: missing, never 0
    assert by_code["90-0004"][8] is None and by_code["90-0005"][9] == "見込み"  # a missing 決算額 is missing
    assert [[type(v) for v in row] for row in exported] == [[type(v) for v in row] for row in expected]


def test_csv_export_is_streamed_and_complete(client):
    sheets_bulk_create(300)
    rows = _csv(client.get("/sheets/?sort=code&_export=csv"))
    assert len(rows) == 1 + 306
    head = rows[0]
    assert head == [str(SheetTable.base_columns[name].verbose_name) for name in SheetTable.Meta.sequence]
    by_code = {row[1]: dict(zip(head, row, strict=True)) for row in rows[1:]}
    assert len(by_code) == 306 and list(by_code)[:6] == CODES
    assert by_code["90-0299"]["予算額（千円）"] == "468771"  # a copy of 03-04-01
    assert by_code["03-04-04"]["予算額 前年度比"] == "-19047"
    assert by_code["03-04-01"]["最大不用額（全年度）"] == "58811"
    assert by_code["03-04-01"]["最大不用額の年度"] == "2017"
    assert by_code["03-04-03"]["最低執行率（全年度）"] == "74.5"


def test_csv_export_of_a_filter_is_exactly_its_rows(client):
    sheets_bulk_create(30)
    rows = _csv(client.get("/sheets/?q=生成事業2&sort=-code&_export=csv"))
    assert [row[1] for row in rows[1:]] == ["90-0029", "90-0028", "90-0027", "90-0026", "90-0025", "90-0024"] + [
        "90-0023",
        "90-0022",
        "90-0021",
        "90-0020",
        "90-0002",
    ]


def test_export_queries_do_not_grow_with_the_rows(client):
    with CaptureQueriesContext(connection) as small:
        client.get("/sheets/?sort=-achievement&_export=csv").getvalue()
    sheets_bulk_create(300)
    with CaptureQueriesContext(connection) as large:
        rows = _csv(client.get("/sheets/?sort=-achievement&_export=csv"))
    assert len(rows) == 307
    assert len(large) == len(small)
    with CaptureQueriesContext(connection) as xlsx:
        client.get("/sheets/?sort=-achievement&_export=xlsx").getvalue()
    assert len(xlsx) == len(small) + 1  # the XLSX counts its rows first (its cap)


def test_xlsx_export_is_capped_and_the_csv_is_not(client, monkeypatch):
    """An XLSX is written before it is sent: past MAX_ROWS (worker timeout) a 400 points to the CSV, which streams."""
    from programs.interchange import table_workbook

    monkeypatch.setattr(table_workbook, "MAX_ROWS", 5)
    response = client.get("/sheets/?_export=xlsx")
    assert response.status_code == 400
    assert "XLSXは5行までです（条件に合うシートは6件）" in response.content.decode()
    assert client.get("/sheets/?_export=xlsx&classification=継続").status_code == 200
    assert len(_csv(client.get("/sheets/?_export=csv"))) == 7


def test_xlsx_export_holds_the_csv_rows_of_a_larger_set(client, varied_sheets):
    csv_rows = _csv(client.get("/sheets/?sort=-own_budget&_export=csv"))
    response = client.get("/sheets/?sort=-own_budget&_export=xlsx")
    assert response.streaming and response["Content-Disposition"] == 'attachment; filename="evalsheets_sheets.xlsx"'
    ws = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    assert ws.freeze_panes == "A2" and all(cell.font.b for cell in ws[1])
    xlsx_rows = [["" if v is None else v for v in row] for row in ws.iter_rows(values_only=True)]
    csv_rows = [[value.removeprefix("'") for value in row] for row in csv_rows]  # CSV's formula guard
    assert len(xlsx_rows) == len(csv_rows) == 47
    for xlsx_row, csv_row in zip(xlsx_rows, csv_rows, strict=True):
        assert [str(v) if isinstance(v, str) else v for v in xlsx_row] == [
            float(v) if isinstance(x, (int, float)) else v for x, v in zip(xlsx_row, csv_row, strict=True)
        ]


@pytest.mark.parametrize("per_page", [25, 50, 100])
def test_pagination_choices(client, per_page):
    sheets_bulk_create(120)
    response = client.get(f"/sheets/?per_page={per_page}")
    assert len(response.context["table"].paginated_rows) == per_page
    assert response.context["table"].page.paginator.count == 126


def _query_counts(client, urls: list[str]) -> dict[str, int]:
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            assert response.status_code == 200, url
            if response.streaming:
                response.getvalue()
        counts[url] = len(queries)
    return counts


def test_query_counts_are_identical_for_the_seed_and_a_generated_set(client):
    """/sheets/ by default, sorted by each column both ways, filtered, searched, paged and exported: the same number of
    queries for 6 sheets and for several hundred generated ones in two more municipalities (each with its 施策 and 課)."""
    measure = Measure.objects.get(code="05")
    section = Sheet.objects.get(program__code="03-04-01").section_id
    urls = [
        "/sheets/",
        *(f"/sheets/?sort={d}{column}" for column in SORTABLE for d in ("", "-")),
        f"/sheets/?measure={measure.pk}&q=ネットワーク",
        f"/sheets/?section={section}&classification=継続&sort=-achievement",
        "/sheets/?fiscal_year=2021&budget_min=1000&budget_max=900000&rate_below=95&sort=-max_unused",
        "/sheets/?municipality=131181&q=システム 運用&per_page=100",
        "/sheets/?page=2",
        "/m/131181/sheets/?sort=-cost_balance",
        "/sheets/?sort=-achievement&_export=csv",
        "/sheets/?q=システム&_export=xlsx",
    ]
    # several municipalities in both (the filters offer a 団体's 分野…課 once one is chosen: with one municipality
    # listed, its selects are queried; the count depends on the municipalities listed, never on the rows)
    Municipality.objects.create(code="999997", name="架空市", prefecture="架空県", kind="市")
    small = _query_counts(client, urls)
    call_command("generate_demo", wards=2, programs=120, years=2, seed=1, stdout=io.StringIO())
    assert Sheet.objects.count() == 6 + 2 * 120 * 2
    large = _query_counts(client, urls)
    assert large == small
    assert max(small.values()) <= 13


def test_query_count_is_flat_as_data_grows(client):
    with CaptureQueriesContext(connection) as small:
        client.get("/sheets/?sort=-cost_balance")
    sheets_bulk_create(300)
    with CaptureQueriesContext(connection) as large:
        response = client.get("/sheets/?sort=-cost_balance&per_page=100")
    assert len(response.context["table"].paginated_rows) == 100
    assert len(large) == len(small) <= 12


def test_rows_written_in_python_are_django_tables2s_cells(client):
    """BaseTable.body_rows (templates/tables/table.html) writes the same <td>s as django-tables2's row template: every
    visible column's render_ method, default for a missing value, attributes; odd/even rows."""
    sheets_bulk_create(40)
    BudgetYear.objects.filter(sheet__program__code="90-0003").delete()
    sheet_figures_refresh(Sheet.objects.filter(program__code="90-0003").values_list("pk", flat=True))
    table = client.get("/sheets/?sort=code&per_page=50").context["table"]
    written = table.body_rows()
    assert len(written) == 46
    for index, (row, html) in enumerate(zip(table.paginated_rows, written, strict=True)):
        cells = "".join(f"<td {column.attrs['td'].as_html()}>{row.get_cell(column.name)}</td>" for column in table.columns)
        assert html == f'<tr class="{"odd" if index % 2 else "even"}">{cells}</tr>'
    missing = written[[row.record.program.code for row in table.paginated_rows].index("90-0003")]
    assert "—" in missing and ">0<" not in missing  # no budget: shown as missing, never 0
