"""財源内訳 and 人件費 (issue 12 part 2): document in and out, 総事業費, the 財源 check, the page and the workbook."""

import copy
import io
import json

import openpyxl
import pandas as pd
import pytest

from evalsheets.lib.admin import ParentDecidesPermissions
from finance import analytics
from finance.admin import FundingYearInline, PersonnelCostInline
from finance.models import FundingYear, PersonnelCost
from programs import selectors
from programs.admin import SheetAdmin
from programs.findings import sheet_findings
from programs.interchange.serializer import sheet_document
from programs.interchange.workbook import blank_template_bytes, workbook_read, workbook_write
from programs.models import Sheet
from programs.services import SEED_DIR, sheet_upsert
from tests.factories import published

pytestmark = pytest.mark.django_db
CODE, YEAR = "0086", 2024

BUDGET_HISTORY = [  # 事業費: 予算額 and 決算額 (2024 a 見込み)
    {"fiscal_year": 2019, "budget": 52000, "settlement": 50100, "settlement_is_estimate": False},
    {"fiscal_year": 2020, "budget": 53000, "settlement": 51200, "settlement_is_estimate": False},
    {"fiscal_year": 2021, "budget": 55000, "settlement": 54300, "settlement_is_estimate": False},
    {"fiscal_year": 2022, "budget": 56000, "settlement": 55500, "settlement_is_estimate": False},
    {"fiscal_year": 2023, "budget": 58000, "settlement": 57000, "settlement_is_estimate": False},
    {"fiscal_year": 2024, "budget": 60000, "settlement": 59000, "settlement_is_estimate": True},
]
FUNDING = [  # each year's reported sources add up to its 事業費 (決算額; 2024 its 見込み); bonds never reported
    {
        "fiscal_year": 2019,
        "basis": "settlement",
        "national": 1200,
        "prefectural": 300,
        "bonds": None,
        "other_specific": 0,
        "general": 48600,
    },
    {
        "fiscal_year": 2020,
        "basis": "settlement",
        "national": 1200,
        "prefectural": 300,
        "bonds": None,
        "other_specific": 0,
        "general": 49700,
    },
    {
        "fiscal_year": 2021,
        "basis": "settlement",
        "national": 1500,
        "prefectural": 300,
        "bonds": None,
        "other_specific": 500,
        "general": 52000,
    },
    {
        "fiscal_year": 2022,
        "basis": "settlement",
        "national": 1500,
        "prefectural": 400,
        "bonds": None,
        "other_specific": 0,
        "general": 53600,
    },
    {
        "fiscal_year": 2023,
        "basis": "settlement",
        "national": 1800,
        "prefectural": 400,
        "bonds": None,
        "other_specific": 0,
        "general": 54800,
    },
    {
        "fiscal_year": 2024,
        "basis": "estimate",
        "national": 1800,
        "prefectural": 400,
        "bonds": None,
        "other_specific": 0,
        "general": 56800,
    },
]
PERSONNEL = [
    {"fiscal_year": 2019, "basis": "settlement", "persons": "0.80", "hours": "1400", "amount": 6400},
    {"fiscal_year": 2020, "basis": "settlement", "persons": "0.80", "hours": None, "amount": 6500},
    {"fiscal_year": 2021, "basis": "settlement", "persons": "1.00", "hours": "1750", "amount": 8000},
    {"fiscal_year": 2022, "basis": "settlement", "persons": "1.2", "hours": "2100.5", "amount": None},
    {"fiscal_year": 2023, "basis": "settlement", "persons": "1.20", "hours": "2100", "amount": 9700},
    {"fiscal_year": 2024, "basis": "estimate", "persons": "1.20", "hours": "2100", "amount": 9800},
]


def _document(**changes) -> dict:
    """A made-up city's sheet (on the seed's 03-04-01 texts), 2019–2024, with 財源内訳 and 人件費."""
    doc = json.loads((SEED_DIR / "03-04-01_2021.json").read_text(encoding="utf-8"))
    doc.pop("municipality", None)
    doc.update(
        code=CODE,
        fiscal_year=YEAR,
        name="情報システム運用管理",
        budget_history=copy.deepcopy(BUDGET_HISTORY),
        funding=copy.deepcopy(FUNDING),
        personnel=copy.deepcopy(PERSONNEL),
        budget_breakdown=[],
        cost_statement=[],
    )
    doc.update(changes)
    return doc


def _loaded(result) -> dict:
    return sheet_document(selectors.sheet_document_queryset(viewer=None).get(pk=result.sheet.pk))


def _as_loaded(doc: dict) -> dict:
    """The document's funding and personnel without the computed keys (total, total_cost)."""
    return {
        "funding": [{k: v for k, v in row.items() if k != "total"} for row in doc["funding"]],
        "personnel": [{k: v for k, v in row.items() if k != "total_cost"} for row in doc["personnel"]],
    }


# ---------------------------------------------------------------- document in and out


def test_funding_and_personnel_come_back_exactly_through_the_document_and_the_api(client):
    result = published(sheet_upsert(document=_document()))
    assert FundingYear.objects.filter(sheet=result.sheet).count() == 6
    assert PersonnelCost.objects.get(sheet=result.sheet, fiscal_year=2022).persons_decimals == 1
    assert _as_loaded(_loaded(result)) == {"funding": FUNDING, "personnel": PERSONNEL}
    api = client.get(f"/api/sheets/{YEAR}/{CODE}/").json()
    assert _as_loaded(api) == {"funding": FUNDING, "personnel": PERSONNEL}
    assert [row["total"] for row in api["funding"]] == [r["settlement"] for r in BUDGET_HISTORY]  # they add up
    assert [row["total_cost"] for row in api["personnel"]] == [56500, 57700, 62300, None, 66700, 68800]
    again = sheet_upsert(
        document={**_document(), "funding": api["funding"], "personnel": api["personnel"]}, replace_published=True
    )
    assert _as_loaded(_loaded(again)) == {"funding": FUNDING, "personnel": PERSONNEL}


def test_a_missing_source_is_not_zero_and_the_keys_are_always_present():
    result = sheet_upsert(document=_document(funding=[{"fiscal_year": 2020, "basis": "budget", "general": 100}], personnel=[]))
    row = FundingYear.objects.get(sheet=result.sheet)
    assert (row.national, row.prefectural, row.bonds, row.other_specific, row.general) == (None, None, None, None, 100)
    loaded = _loaded(result)
    assert _as_loaded(loaded)["funding"] == [
        {
            "fiscal_year": 2020,
            "basis": "budget",
            "national": None,
            "prefectural": None,
            "bonds": None,
            "other_specific": None,
            "general": 100,
        }
    ]
    assert loaded["personnel"] == []
    seed = selectors.sheet_document_queryset(viewer=None).get(program__code="03-04-01", fiscal_year=2021)
    assert sheet_document(seed)["funding"] == sheet_document(seed)["personnel"] == []


@pytest.mark.parametrize(
    "key, rows, path",
    [
        ("funding", [{"fiscal_year": 2020, "basis": "settlement"}] * 2, "funding[1].basis"),
        ("funding", [{"fiscal_year": 2020, "basis": "final"}], "funding[0].basis"),
        ("funding", [{"fiscal_year": 2020, "basis": "budget", "national": -1}], "funding[0].national"),
        ("personnel", [{"fiscal_year": 2020, "basis": "budget", "persons": "abc"}], "personnel[0].persons"),
        ("personnel", [{"fiscal_year": 2020}], "personnel[0].basis"),
    ],
)
def test_a_wrong_row_is_refused_naming_its_field(key, rows, path):
    from programs.documents import DocumentError

    with pytest.raises(DocumentError) as error:
        sheet_upsert(document=_document(**{key: rows}))
    assert error.value.path == path
    assert not Sheet.objects.filter(program__code=CODE).exists()


# ---------------------------------------------------------------- 総事業費 and the 財源 check (pure)


def _budget(rows=BUDGET_HISTORY) -> pd.DataFrame:
    return pd.DataFrame([{"sheet_id": 1, **r} for r in rows]).astype({"budget": "Int64", "settlement": "Int64"})


def _personnel(rows) -> pd.DataFrame:
    return pd.DataFrame([{"sheet_id": 1, **r} for r in rows], columns=["sheet_id", "fiscal_year", "basis", "amount"]).astype(
        {"amount": "Int64"}
    )


def _funding(rows) -> pd.DataFrame:
    columns = ["sheet_id", "fiscal_year", "basis", "national", "prefectural", "bonds", "other_specific", "general"]
    frame = pd.DataFrame([{"sheet_id": 1, **r} for r in rows], columns=columns)
    return frame.astype(dict.fromkeys(columns[3:], "Int64"))


def test_total_cost_is_project_cost_plus_personnel_of_the_same_year_and_basis():
    personnel = _personnel(
        [
            {"fiscal_year": 2020, "basis": "settlement", "amount": 6500},
            {"fiscal_year": 2020, "basis": "budget", "amount": 7000},
            {"fiscal_year": 2024, "basis": "estimate", "amount": 9800},
            {"fiscal_year": 2024, "basis": "settlement", "amount": 9800},  # 2024's 決算額 is a 見込み: no final 事業費
            {"fiscal_year": 2022, "basis": "settlement", "amount": None},  # 人件費 missing
            {"fiscal_year": 2025, "basis": "budget", "amount": 9900},  # 事業費 missing
        ]
    )
    totals = analytics.total_costs(personnel, _budget())
    result = {(r.fiscal_year, r.basis): r.total_cost for r in totals.itertuples()}
    assert result[(2020, "settlement")] == 51200 + 6500
    assert result[(2020, "budget")] == 53000 + 7000
    assert result[(2024, "estimate")] == 59000 + 9800
    for missing in [(2024, "settlement"), (2022, "settlement"), (2025, "budget")]:
        assert pd.isna(result[missing]), missing  # missing is not zero


def test_the_funding_check_compares_the_reported_sources_with_the_project_cost():
    funding = _funding(
        [
            {"fiscal_year": 2019, "basis": "settlement", "national": 100, "general": 50000},  # 50,100: adds up
            {"fiscal_year": 2020, "basis": "settlement", "national": 100, "general": 50000},  # 50,100 ≠ 51,200
            {"fiscal_year": 2021, "basis": "settlement"},  # nothing reported: not judged
            {"fiscal_year": 2024, "basis": "estimate", "general": 59000},  # adds up to the 見込み
        ]
    )
    differs = analytics.funding_check(funding, _budget())
    assert [(r.fiscal_year, r.basis, r.funding_total, r.project_cost, r.difference) for r in differs.itertuples()] == [
        (2020, "settlement", 50100, 51200, -1100)
    ]


def test_the_finding_appears_when_the_sources_do_not_add_up_and_not_when_they_do():
    result = sheet_upsert(document=_document())
    assert [f for f in sheet_findings(result.sheet) if f.code == "funding_vs_cost"] == []
    wrong = copy.deepcopy(FUNDING)
    wrong[1]["general"] += 1000
    result = sheet_upsert(document=_document(funding=wrong))
    [finding] = [f for f in sheet_findings(result.sheet) if f.code == "funding_vs_cost"]
    assert (finding.fiscal_year, finding.severity) == (2020, "warning")
    assert finding.figures == {"basis": "settlement", "funding_total": 52200, "project_cost": 51200}
    assert "令和2年度（決算）の財源内訳の合計 52,200 千円が事業費 51,200 千円と一致しません" in finding.message


# ---------------------------------------------------------------- the page


def test_the_page_shows_the_block_with_total_cost_and_the_tokyo_label(client):
    published(sheet_upsert(document=_document()))
    html = client.get(f"/sheets/{YEAR}/{CODE}/").content.decode()
    assert "財源内訳・人件費" in html
    assert 'id="table-funding"' in html and 'id="table-total-cost"' in html
    assert 'id="chart-funding"' in html and 'id="chart-total-cost"' in html
    assert "都支出金" in html  # the default municipality (荒川区, 東京都)
    assert "総事業費（トータルコスト）" in html
    for total in ("56,500", "57,700", "62,300", "68,800"):  # 50,100 + 6,400 … 2024 見込み: 59,000 + 9,800
        assert total in html


@pytest.mark.parametrize("code", ["03-04-01", "03-04-02", "03-04-03", "03-04-04", "03-04-05", "03-04-06"])
def test_the_seed_sheet_pages_do_not_show_the_block(client, code):
    html = client.get(f"/sheets/2021/{code}/").content.decode()
    assert "財源内訳・人件費" not in html and "chart-funding" not in html


def _money_block(html: str) -> str:
    start = html.index('aria-labelledby="money-heading"')
    return html[start : html.index("</section>", start)]


def test_a_non_tokyo_municipality_prints_its_prefectural_grants_as_ken(client):
    from programs import models as program_models

    if not hasattr(program_models, "Municipality") or not hasattr(Sheet, "get_absolute_url"):
        pytest.skip("programs.models.Municipality has not landed yet")
    city = {"code": "999997", "name": "架空市", "prefecture": "架空県", "kind": "市"}
    result = published(sheet_upsert(document=_document(municipality=city)))
    sheet = Sheet.objects.select_related("program__municipality").get(pk=result.sheet.pk)
    assert sheet.program.municipality.prefecture == "架空県"
    block = _money_block(client.get(sheet.get_absolute_url()).content.decode())
    assert '<th scope="row">県支出金</th>' in block and "都支出金" not in block
    published(sheet_upsert(document=_document()))  # the same code in 荒川区 (the default municipality): its own sheet
    tokyo = _money_block(client.get(f"/sheets/{YEAR}/{CODE}/").content.decode())
    assert '<th scope="row">都支出金</th>' in tokyo


# ---------------------------------------------------------------- the workbook


def test_the_workbook_round_trip_keeps_funding_and_personnel():
    doc = _loaded(sheet_upsert(document=_document()))
    [read] = workbook_read(io.BytesIO(workbook_write([doc])), name="round.xlsx")
    assert read["funding"] == FUNDING
    assert read["personnel"] == PERSONNEL


def _row(ws, label: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == label)


def test_a_filled_blank_workbook_loads_funding_and_personnel():
    workbook = openpyxl.load_workbook(io.BytesIO(blank_template_bytes(2024)))
    ws = workbook["新規"]
    values = {"事務事業コード": "0086", "事務事業名": "情報システム運用管理"}
    for label, value in values.items():
        ws.cell(row=_row(ws, label), column=2, value=value)
    ws.cell(row=_row(ws, "部課名"), column=2, value="総務部")
    ws.cell(row=_row(ws, "部課名"), column=3, value="情報政策課")
    for label, code in (("分野", "1"), ("政策", "1"), ("施策", "1")):
        ws.cell(row=_row(ws, label), column=2, value=code)
    block = _row(ws, "財源内訳・人件費")
    head = block + 1
    assert [ws.cell(row=head + 1, column=c).value for c in (2, 3, 4)] == ["決算", "決算", "予算"]
    ws.cell(row=head, column=4, value="令和6年度")
    ws.cell(row=head + 1, column=4, value="見込み")
    rows = {ws.cell(row=r, column=1).value: r for r in range(head + 2, head + 12)}
    ws.cell(row=rows["国庫支出金"], column=4, value=1800)
    ws.cell(row=rows["都道府県支出金"], column=1, value="県支出金")  # a city writes its own label
    ws.cell(row=rows["都道府県支出金"], column=4, value=400)
    ws.cell(row=rows["一般財源"], column=4, value="56,800")
    ws.cell(row=rows["人工（人）"], column=4, value="1.20")
    ws.cell(row=rows["人件費"], column=4, value=9800)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    [doc] = workbook_read(buffer, name="filled.xlsx")
    assert doc["funding"] == [
        {
            "fiscal_year": 2024,
            "basis": "estimate",
            "national": 1800,
            "prefectural": 400,
            "bonds": None,
            "other_specific": None,
            "general": 56800,
        }
    ]
    assert doc["personnel"] == [{"fiscal_year": 2024, "basis": "estimate", "persons": "1.20", "hours": None, "amount": 9800}]
    assert _as_loaded(_loaded(sheet_upsert(document=doc)))["funding"] == doc["funding"]


# ---------------------------------------------------------------- admin and 前年度複写


def test_the_admin_inlines_follow_the_sheets_permissions():
    assert FundingYearInline in SheetAdmin.inlines and PersonnelCostInline in SheetAdmin.inlines
    assert issubclass(FundingYearInline, ParentDecidesPermissions) and issubclass(PersonnelCostInline, ParentDecidesPermissions)


def test_rollover_moves_the_window_and_keeps_estimates():
    from programs.rollover import fiscal_year_start

    sheet_upsert(document=_document())
    fiscal_year_start(fiscal_year=2025)
    new = Sheet.objects.get(program__code=CODE, fiscal_year=2025)
    assert sorted(new.funding_years.values_list("fiscal_year", "basis")) == [(y, "settlement") for y in range(2020, 2024)] + [
        (2024, "estimate")
    ]
    assert new.personnel_costs.count() == 5
