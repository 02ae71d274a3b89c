"""Chart builders: traces and values, no HTML and no database."""

import pandas as pd

from finance import analytics, charts
from finance.choices import ACCOUNT_BY_LABEL


def _budget() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "sheet_id": [1, 1, 1],
            "fiscal_year": [2019, 2020, 2021],
            "budget": pd.array([444755, 511414, 468771], dtype="Int64"),
            "settlement": pd.array([435304, 468557, 468771], dtype="Int64"),
            "settlement_is_estimate": [False, False, True],
        }
    )
    return analytics.execution_rates(frame)


def test_execution_rates_are_settlement_over_budget():
    rates = _budget()["execution_rate"].tolist()
    assert rates[:2] == [97.9, 91.6]


def test_an_estimate_is_never_a_settlement():
    """令和3年度's 決算見込み equals its budget: no 執行率, no 不用額 as final figures; its own rate is kept apart."""
    budget = _budget()
    estimate = budget.iloc[2]
    assert pd.isna(estimate["execution_rate"]) and pd.isna(estimate["unused"]) and pd.isna(estimate["settled"])
    assert estimate["estimated_execution_rate"] == 100.0
    assert budget["unused"].tolist()[:2] == [444755 - 435304, 511414 - 468557]
    assert budget["estimated_execution_rate"].isna().tolist() == [True, True, False]


def test_a_missing_settlement_is_missing_not_zero():
    frame = pd.DataFrame(
        {
            "sheet_id": [1, 1],
            "fiscal_year": [2019, 2020],
            "budget": pd.array([100, 200], dtype="Int64"),
            "settlement": pd.array([90, None], dtype="Int64"),
            "settlement_is_estimate": [False, False],
        }
    )
    figures = analytics.sheet_budget(frame)
    assert figures["execution_rate"].tolist()[0] == 90.0 and pd.isna(figures["execution_rate"].iloc[1])
    assert pd.isna(figures["unused"].iloc[1]) and pd.isna(figures["settled_change"].iloc[1])
    assert figures["budget_change"].tolist()[1] == 100 and figures["budget_change_rate"].tolist()[1] == 100.0


def test_year_changes_need_the_previous_fiscal_year_itself():
    frame = pd.DataFrame(
        {
            "sheet_id": [1, 1],
            "fiscal_year": [2018, 2020],
            "budget": pd.array([100, 200], dtype="Int64"),
            "settlement": pd.array([90, 190], dtype="Int64"),
            "settlement_is_estimate": [False, False],
        }
    )
    figures = analytics.sheet_budget(frame)
    assert pd.isna(figures["budget_change"].iloc[1])  # 2019 is missing: no 前年度比
    assert figures["budget_since_first"].iloc[1] == 100 and figures["budget_since_first_rate"].iloc[1] == 100.0


def test_execution_rate_is_missing_when_the_budget_is_zero():
    frame = pd.DataFrame({"budget": pd.array([0], dtype="Int64"), "settlement": pd.array([5], dtype="Int64")})
    assert analytics.execution_rates(frame)["execution_rate"].isna().all()


def test_budget_trend_has_budget_settlement_bars_and_rate_line_on_second_axis():
    fig = charts.budget_trend(_budget())
    assert [t.type for t in fig.data] == ["bar", "bar", "scatter"]
    budget, settlement, rate = fig.data
    assert list(budget.y) == [444755, 511414, 468771]
    assert list(settlement.y) == [435304, 468557, 468771]
    assert rate.yaxis == "y2"
    assert list(budget.x) == ["令和元年度", "令和2年度", "令和3年度（見込み）"]
    assert list(settlement.marker.pattern.shape) == ["", "", "/"]
    assert settlement.customdata[2] == "468,771（見込み）"
    assert "千円" in budget.hovertemplate
    assert fig.layout.title.text == "予算額・決算額と執行率の推移"


def test_budget_trend_of_nothing_is_an_empty_figure_with_a_message():
    fig = charts.budget_trend(_budget().iloc[0:0])
    assert len(fig.data) == 0
    assert "ありません" in fig.layout.annotations[0].text


def test_breakdown_stack_sums_lines_of_the_same_class_per_year():
    lines = pd.DataFrame(
        {
            "sheet_id": 1,
            "fiscal_year": [2019, 2019, 2021, 2021, 2021],
            "kind": ["settlement", "settlement", "budget", "budget", "budget"],
            "position": [0, 1, 0, 1, 2],
            "expense_class": ["役務費", "委託料", "需用費", "役務費", "役務費"],
            "description": ["a", "b", "c", "d", "e"],
            "amount": [2498, 157851, 1425, 5940, 3157],
        }
    )
    fig = charts.breakdown_stack(analytics.breakdown_by_class(lines))
    assert fig.layout.barmode == "stack"
    by_name = {t.name: list(t.y) for t in fig.data}
    assert by_name["役務費"] == [2498, 5940 + 3157]
    assert by_name["委託料"][0] == 157851 and pd.isna(by_name["委託料"][1])
    assert list(fig.data[0].x) == ["令和元年度（決算）", "令和3年度（予算）"]


def _keys(labels: list[str]) -> list[str]:
    """Cost lines are stored by account key; the tests name them by their printed labels."""
    return [ACCOUNT_BY_LABEL[label] for label in labels]


def test_cost_composition_stacks_accounts_and_shows_the_balance():
    lines = pd.DataFrame(
        {
            "sheet_id": 1,
            "fiscal_year": [2019, 2019, 2019, 2020, 2020, 2020],
            "account": _keys(["給与関係費", "物件費", "その他", "給与関係費", "物件費", "その他"]),
            "amount": [2076, 13615, 100, 2360, 14352, 0],
        }
    )
    statement = analytics.cost_statement(lines)
    fig = charts.cost_composition(statement)
    names = [t.name for t in fig.data]
    assert names == ["行政費用：給与関係費", "行政費用：物件費", "行政収入：その他", "行政収支差額"]
    assert list(fig.data[-1].y) == [100 - 2076 - 13615, 0 - 2360 - 14352]
    assert fig.data[-1].customdata[0] == "▲ 15,591"


def test_cost_statement_totals_and_differences_are_computed():
    lines = pd.DataFrame(
        {
            "sheet_id": 1,
            "fiscal_year": [2019, 2019, 2020, 2020],
            "account": _keys(["給与関係費", "国庫支出金", "給与関係費", "国庫支出金"]),
            "amount": [34296, 5667, 32882, 16593],
        }
    )
    stated = pd.DataFrame({"sheet_id": 1, "fiscal_year": [2019], "item": ["expense"], "amount": [34297]})
    statement = analytics.cost_statement(lines, stated)
    assert statement["accounts"].at[ACCOUNT_BY_LABEL["給与関係費"], "difference"] == -1414
    assert statement["totals"].at["administrative_balance", 2020] == 16593 - 32882
    assert statement["mismatches"] == [
        {"fiscal_year": 2019, "item": "expense", "label": "行政費用合計 (b)", "stated": 34297, "computed": 34296}
    ]
