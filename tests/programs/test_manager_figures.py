"""The figures managers read: estimates (見込み) never counted as settlements, missing settlements never zero,
不用額 and 前年度比 computed from the typed source figures (table annotations in SQL and the JSON API)."""

import csv
import io
import json

import pytest

from finance.models import BudgetYear
from programs import selectors
from programs.figures import sheet_figures_refresh
from programs.models import Sheet
from tests import source_figures as source

CODES = sorted(source.BUDGET_HISTORY)
EVALUATION_YEAR = 2021  # its settlement is a 見込み on every seed sheet

pytestmark = pytest.mark.django_db


def _settled(code: str) -> dict[int, tuple[int, int]]:
    return {year: figures for year, figures in source.BUDGET_HISTORY[code].items() if year != EVALUATION_YEAR}


def _rate(budget: int, settlement: int) -> float:
    return float(f"{settlement * 100 / budget:.1f}")


def _table_row(code: str):
    return selectors.sheet_table_queryset(viewer=None).get(program__code=code, fiscal_year=EVALUATION_YEAR)


@pytest.mark.parametrize("code", CODES)
def test_table_annotations_leave_the_estimate_year_out(db, code):
    row, settled = _table_row(code), _settled(code)
    latest = max(settled)
    budget, settlement = settled[latest]
    assert (row.latest_settled_year, row.latest_settled_budget, row.latest_settled_settlement) == (latest, budget, settlement)
    assert row.latest_unused == budget - settlement
    assert row.latest_execution_rate == pytest.approx(settlement * 100 / budget)
    assert row.execution_rate is None  # the evaluation year's 見込み has no 執行率
    unused = {year: b - s for year, (b, s) in settled.items()}
    assert row.max_unused == max(unused.values())
    assert row.max_unused_year == min(year for year, value in unused.items() if value == row.max_unused)
    rates = {year: s * 100 / b for year, (b, s) in settled.items()}
    assert row.min_execution_rate == pytest.approx(min(rates.values()))
    assert row.min_execution_rate_year == min(rates, key=rates.get)
    this_year, last_year = source.BUDGET_HISTORY[code][2021][0], source.BUDGET_HISTORY[code][2020][0]
    assert row.budget_change == this_year - last_year
    assert row.budget_change_rate == pytest.approx((this_year - last_year) * 100 / last_year)


def test_the_managers_questions_from_the_table(db):
    """Who settled furthest under budget (by amount, by rate), and whose budget grew this year."""
    rows = {row.program.code: row for row in selectors.sheet_table_queryset(viewer=None).filter(fiscal_year=EVALUATION_YEAR)}
    by_amount = max(rows.values(), key=lambda r: r.max_unused)
    assert (by_amount.program.code, by_amount.max_unused_year, by_amount.max_unused) == ("03-04-01", 2017, 58811)
    by_rate = min(rows.values(), key=lambda r: r.min_execution_rate)
    assert (by_rate.program.code, by_rate.min_execution_rate_year, round(by_rate.min_execution_rate, 1)) == (
        "03-04-03",
        2015,
        74.5,
    )
    assert sorted(code for code, row in rows.items() if row.budget_change > 0) == ["03-04-02", "03-04-03", "03-04-06"]
    assert (rows["03-04-04"].budget_change, round(rows["03-04-04"].budget_change_rate, 1)) == (-19047, -35.6)


def test_a_missing_settlement_is_missing_not_zero(db):
    """Without 令和2年度's settlement, the latest settled year is 令和元年度; nothing counts the gap as 0."""
    BudgetYear.objects.filter(sheet__program__code="03-04-01", fiscal_year=2020).update(settlement=None)
    sheet_figures_refresh(Sheet.objects.values_list("pk", flat=True))  # written outside the services
    row = _table_row("03-04-01")
    budget, settlement = source.BUDGET_HISTORY["03-04-01"][2019]
    assert (row.latest_settled_year, row.latest_settled_settlement) == (2019, settlement)
    assert row.latest_unused == budget - settlement
    assert row.min_execution_rate == pytest.approx(min(s * 100 / b for y, (b, s) in _settled("03-04-01").items() if y != 2020))


@pytest.mark.parametrize("code", CODES)
def test_api_budget_history_keys_come_from_the_source_figures(client, code):
    history = json.loads(client.get(f"/api/sheets/2021/{code}/").content)["budget_history"]
    figures = source.BUDGET_HISTORY[code]
    for entry in history:
        year = entry["fiscal_year"]
        budget, settlement = figures[year]
        if entry["settlement_is_estimate"]:
            assert year == EVALUATION_YEAR
            assert entry["unused"] is None and entry["execution_rate"] is None
        else:
            assert entry["unused"] == budget - settlement
            assert entry["execution_rate"] == _rate(budget, settlement)
        if year - 1 in figures:
            previous = figures[year - 1][0]
            assert entry["budget_change"] == budget - previous
            assert entry["budget_change_rate"] == round((budget - previous) * 100 / previous, 1)
        else:
            assert entry["budget_change"] is None and entry["budget_change_rate"] is None


def test_api_examples_a_manager_would_check(client):
    history = {e["fiscal_year"]: e for e in json.loads(client.get("/api/sheets/2021/03-04-01/").content)["budget_history"]}
    assert (history[2017]["unused"], history[2017]["execution_rate"]) == (58811, 86.3)
    history = {e["fiscal_year"]: e for e in json.loads(client.get("/api/sheets/2021/03-04-04/").content)["budget_history"]}
    assert (history[2021]["budget_change"], history[2021]["budget_change_rate"]) == (-19047, -35.6)


@pytest.mark.parametrize("code", CODES)
def test_api_list_rows_carry_the_latest_settled_year(client, code):
    row = json.loads(client.get(f"/api/sheets/?code={code}").content)["results"][0]
    budget, settlement = source.BUDGET_HISTORY[code][2020]
    assert row["latest_settled_year"] == 2020
    assert (row["latest_settled_budget"], row["latest_settled_settlement"]) == (budget, settlement)
    assert row["latest_unused"] == budget - settlement
    assert row["latest_execution_rate"] == _rate(budget, settlement)


def _settled_2020() -> tuple[int, int]:
    budget = sum(source.BUDGET_HISTORY[code][2020][0] for code in CODES)
    settlement = sum(source.BUDGET_HISTORY[code][2020][1] for code in CODES)
    return budget, settlement


def test_overview_headline_names_the_settled_year_and_keeps_the_estimate_apart(client):
    headline = client.get("/").context["headline"]
    budget, settlement = _settled_2020()
    assert (headline["settled_year"], headline["settled_budget"], headline["settled"]) == (2020, budget, settlement)
    assert headline["execution_rate"] == _rate(budget, settlement)
    assert headline["unsettled"] == 0
    assert headline["estimates"] == 6
    assert headline["estimate"] == sum(source.BUDGET_HISTORY[code][2021][1] for code in CODES)
    assert headline["budget"] == sum(source.BUDGET_HISTORY[code][2021][0] for code in CODES)


def test_overview_and_rollup_leave_a_missing_settlement_out_and_count_it(client):
    BudgetYear.objects.filter(sheet__program__code="03-04-01", fiscal_year=2020).update(settlement=None)
    sheet_figures_refresh(Sheet.objects.values_list("pk", flat=True))  # written outside the services
    headline = client.get("/").context["headline"]
    budget, settlement = _settled_2020()
    missing_budget, missing_settlement = source.BUDGET_HISTORY["03-04-01"][2020]
    assert headline["unsettled"] == 1
    assert headline["settled"] == settlement - missing_settlement
    assert headline["settled_budget"] == budget - missing_budget
    nodes = client.get("/rollup/").context["nodes"]
    assert nodes[0]["unsettled"] == 1 and nodes[0]["settled"] == settlement - missing_settlement
    assert not any(n["level"] == "program" for n in nodes)  # the tree stops at 施策 …
    measure = BudgetYear.objects.filter(sheet__program__code="03-04-01").values_list("sheet__measure_id", flat=True)[0]
    nodes = client.get(f"/rollup/?measure={measure}").context["nodes"]  # … until one 施策 is opened
    program = next(n for n in nodes if n["label"].startswith("03-04-01"))
    assert program["settled"] is None or program["settled"] != program["settled"]  # missing, not 0
    html = client.get("/rollup/").content.decode()
    assert "1 事業" in html


def test_rollup_settlement_is_the_settled_year_not_the_estimate(client):
    nodes = client.get("/rollup/").context["nodes"]
    budget, settlement = _settled_2020()
    assert nodes[0]["settled"] == settlement and nodes[0]["execution_rate"] == _rate(budget, settlement)
    assert nodes[0]["budget"] == sum(source.BUDGET_HISTORY[code][2021][0] for code in CODES)


def test_compare_csv_says_estimate_or_final_in_words(client):
    body = client.get("/compare/?download=budget").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    flag, rate = rows[0].index("決算（見込み／確定）"), rows[0].index("執行率（%・確定した決算）")
    assert {row[flag] for row in rows[1:]} == {"見込み", "確定"}
    assert all(row[rate] == "" for row in rows[1:] if row[flag] == "見込み")  # no 執行率 from an estimate
    assert "True" not in body and "False" not in body


def test_compare_lists_a_bounded_number_of_programs_in_flat_queries(client, django_assert_max_num_queries):
    """Programs in one 課 beyond the cap are not rendered (the form filters by 課 instead); queries stay flat."""
    from programs.forms import MAX_PROGRAM_OPTIONS
    from tests.factories import sheets_bulk_create

    with django_assert_max_num_queries(40) as small:
        client.get("/compare/")
    sheets_bulk_create(MAX_PROGRAM_OPTIONS + 50)  # all in the seed's 課
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = client.get("/compare/").content.decode()
    assert html.count('name="programs"') == MAX_PROGRAM_OPTIONS
    assert "最初の300事業を表示しています" in html
    chosen = client.get("/compare/?programs=90-0349").content.decode()  # beyond the cap, still choosable by URL
    assert 'value="90-0349"' in chosen and "checked" in chosen.split('value="90-0349"')[1][:40]


def test_compare_years_are_chosen_by_era_labels(client):
    html = client.get("/compare/").content.decode()
    assert '<option value="2015">平成27年度</option>' in html and '<option value="2019">令和元年度</option>' in html
