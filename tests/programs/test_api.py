import json

import pytest

from programs import selectors
from programs.services import SEED_DIR, sheet_upsert
from tests import source_figures as source
from tests.factories import published, sheets_bulk_create

pytestmark = pytest.mark.django_db
CODES = sorted(source.BUDGET_HISTORY)
CONTRACT_KEYS = {
    "fiscal_year",
    "code",
    "name",
    "department",
    "section",
    "chief",
    "staff",
    "extension",
    "policy",
    "start_fiscal_year",
    "purpose",
    "target_group",
    "content",
    "necessity",
    "classification",
    "budget_history",
    "indicators",
    "activity",
    "budget_breakdown",
    "cost_statement",
    "issues",
    "improvements",
    "history",
    "other_wards",
    "legal_basis",
    "implementation_note",
    "remarks",
    "council",
    "business_type",
    "implementation_standard",
    "plan_category",
    "outsourcing",
    "strategy_plan",
    "sub_programs",
    "has_end_date",
}


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def _number(text: str):
    return float(text) if "." in text else int(text)


@pytest.mark.parametrize("code", CODES)
def test_sheet_json_carries_every_source_figure(client, code):
    doc = _get(client, f"/api/sheets/2021/{code}/")
    assert CONTRACT_KEYS <= set(doc)
    assert (doc["fiscal_year"], doc["code"], doc["department"], doc["section"]) == (2021, code, "管理部", "情報システム課")
    assert {r["fiscal_year"]: (r["budget"], r["settlement"]) for r in doc["budget_history"]} == source.BUDGET_HISTORY[code]
    assert [r["fiscal_year"] for r in doc["budget_history"] if r["settlement_is_estimate"]] == [2021]
    assert [
        (i["number"], i["name"], {v["fiscal_year"]: v["value"] for v in i["values"]}, i["target"], i["target_fiscal_year"])
        for i in doc["indicators"]
    ] == [
        (n, name, {y: _number(t) for y, t in values.items()}, _number(target), 2026)
        for n, name, values, target in source.INDICATORS[code]
    ]
    assert [(a["name"], {v["fiscal_year"]: v["value"] for v in a["values"]}) for a in doc["activity"]] == [
        (name, {y: _number(t) for y, t in values.items()}) for name, values in source.ACTIVITY[code]
    ]
    assert [
        (b["fiscal_year"], b["kind"], b["expense_class"], b["description"], b["amount"]) for b in doc["budget_breakdown"]
    ] == list(source.BREAKDOWN[code])
    for statement in doc["cost_statement"]:
        year = statement["fiscal_year"]
        assert {line["account"]: line["amount"] for line in statement["lines"]} == source.COST_LINES[code][year]
        printed = source.COST_PRINTED_TOTALS[code][year]
        assert statement["totals"]["expense"] == printed["expense"]
        assert statement["totals"]["revenue"] == printed["revenue"]
        assert statement["totals"]["net"] == printed["administrative_balance"]


def test_json_uses_the_forms_labels_and_json_numbers(client):
    doc = _get(client, "/api/sheets/2021/03-04-01/")
    assert doc["policy"] == {
        "field": {"code": "Ⅶ", "name": "計画推進のために"},
        "policy": {"code": "15", "name": "目標の設定と管理による行財政運営の戦略的推進"},
        "measure": {"code": "05", "name": "情報システムの適正な整備と安全確保"},
    }
    line = doc["cost_statement"][0]["lines"][0]
    assert line == {"section": "expense", "account": "給与関係費", "amount": 34296}
    assert doc["cost_statement"][0]["totals"]["net"] == -425739
    satisfaction = doc["indicators"][2]["values"][0]
    assert satisfaction["value"] == 3.0 and isinstance(satisfaction["value"], float)
    assert doc["history"][0] == {
        "year": 1983,
        "month": 4,
        "text": "住民情報システム運用開始",
        "era_label": "昭和58年4月",
        "group": "",
    }
    assert doc["classification"] == {
        "current": "重点的に推進",
        "next": "重点的に推進",
        "explanation": doc["classification"]["explanation"],
    }
    raw = client.get("/api/sheets/2021/03-04-05/").content.decode()
    assert '"name": "PC配備台数"' in raw or '"name":"PC配備台数"' in raw  # Japanese as-is, not \\u escapes


def test_json_document_loads_back_into_an_identical_sheet(client):
    doc = _get(client, "/api/sheets/2021/03-04-04/")
    doc["code"] = "77-77-77"
    published(sheet_upsert(document=doc))
    again = _get(client, "/api/sheets/2021/77-77-77/")
    for key in ("code", "url", "api_url"):
        doc.pop(key), again.pop(key)
    assert again == doc


def test_fixture_document_and_api_document_agree(client):
    fixture = json.loads((SEED_DIR / "03-04-06_2021.json").read_text(encoding="utf-8"))
    doc = _get(client, "/api/sheets/2021/03-04-06/")
    keys = ("municipality", "name", "purpose", "content", "history", "issues", "improvements", "staff", "other_wards")
    for key in (*keys, "sub_programs"):
        expected = fixture[key]
        if key == "history":
            expected = [{k: e[k] for k in ("year", "month", "text", "era_label", "group")} for e in expected]
        assert doc[key] == expected, key


def test_list_is_filterable_and_paginated(client):
    data = _get(client, "/api/sheets/")
    assert data["count"] == 6
    first = data["results"][0]
    assert first == {
        "municipality": {"code": "131181", "name": "荒川区", "prefecture": "東京都", "kind": "特別区"},
        "fiscal_year": 2021,
        "code": "03-04-01",
        "name": "業務系システム運用管理",
        "department": "管理部",
        "section": "情報システム課",
        "budget": 468771,
        "settlement": 468771,
        "settlement_is_estimate": True,
        "url": "/sheets/2021/03-04-01/",
        "api_url": "/api/sheets/2021/03-04-01/",
        # 令和3年度 is a 見込み: the latest settled year is 令和2年度 (511,414 / 468,557 → 91.6%)
        "latest_settled_year": 2020,
        "latest_settled_budget": 511414,
        "latest_settled_settlement": 468557,
        "latest_unused": 511414 - 468557,
        "latest_execution_rate": 91.6,
    }
    assert _get(client, "/api/sheets/?code=03-04-05")["results"][0]["name"] == "OA機器管理"
    assert _get(client, "/api/sheets/?fiscal_year=2020")["count"] == 0
    assert _get(client, "/api/sheets/?fiscal_year=0000")["count"] == 0  # year 0 filters, it does not mean "all"
    page = _get(client, "/api/sheets/?page_size=4&page=2")
    assert [r["code"] for r in page["results"]] == ["03-04-05", "03-04-06"]
    assert page["previous"].endswith("page=1") and page["next"] is None


@pytest.mark.parametrize(
    "query", ["fiscal_year=abcd", "fiscal_year=20211", "page=0", "page=x", "page=99", "page_size=0", "page_size=1000"]
)
def test_bad_list_parameters_are_a_400_with_a_message(client, query):
    response = client.get(f"/api/sheets/?{query}")
    assert response.status_code == 400
    assert response.json()["error"]


@pytest.mark.parametrize("url", ["/api/sheets/2021/00-00-00/", "/api/sheets/2020/03-04-01/", "/api/sheets/20x1/03-04-01/"])
def test_unknown_sheet_is_a_404(client, url):
    assert client.get(url).status_code == 404


def test_api_query_counts_are_flat(client, django_assert_max_num_queries):
    sheets_bulk_create(300)
    with django_assert_max_num_queries(3):
        assert _get(client, "/api/sheets/?page_size=100")["count"] == 306
    with django_assert_max_num_queries(17):
        _get(client, "/api/sheets/2021/90-0007/")


def test_api_detail_is_one_query_for_the_sheet_and_one_per_part(client, django_assert_num_queries):
    """The sheet with its program, 課 and policy hierarchy joined, then 14 prefetches (staff, 細事業, 経過, issues, extra texts,
    plans, stated cost totals, budget years, breakdown, cost lines, indicators and values, activity and values, 財源内訳,
    人件費); the municipality comes with the program in the first query."""
    with django_assert_num_queries(17):
        _get(client, "/api/sheets/2021/03-04-01/")


def test_the_document_selector_prefetches_the_stated_cost_totals(db, django_assert_num_queries):
    """Every caller (API, workbook export, export_sheets) gets them from the selector, not by adding a prefetch."""
    sheet = selectors.sheet_document_queryset(viewer=None).get(program__code="03-04-01", fiscal_year=2021)
    with django_assert_num_queries(0):
        assert len(sheet.stated_cost_totals.all()) == 12
