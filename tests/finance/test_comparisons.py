"""Cross-program analytics with the seed figures, on hand-made frames (no database)."""

import pandas as pd
import pytest

from evalsheets.lib.frames import newest_report
from finance import analytics
from finance.choices import ACCOUNT_BY_LABEL
from tests import source_figures as source


def _trend() -> pd.DataFrame:
    rows = [
        {
            "sheet_id": i,
            "code": code,
            "name": code,
            "fiscal_year": year,
            "budget": budget,
            "settlement": settlement,
            "settlement_is_estimate": year == 2021,
        }
        for i, (code, years) in enumerate(sorted(source.BUDGET_HISTORY.items()))
        for year, (budget, settlement) in years.items()
    ]
    frame = pd.DataFrame(rows).astype({"budget": "Int64", "settlement": "Int64"})
    return analytics.program_trend(frame)


def test_section_totals_of_the_seed_programs():
    trend = _trend()
    assert trend.loc[trend["fiscal_year"] == 2021, "budget"].sum() == 862063
    assert trend.loc[trend["fiscal_year"] == 2020, "settlement"].sum() == 819274


@pytest.mark.parametrize(
    ("code", "year", "rate"),
    [
        ("03-04-01", 2017, 86.3),
        ("03-04-02", 2017, 75.9),
        ("03-04-03", 2015, 74.5),
        ("03-04-05", 2019, 83.3),
    ],
)
def test_execution_rate_per_program_and_year(code, year, rate):
    trend = _trend()
    row = trend[(trend["code"] == code) & (trend["fiscal_year"] == year)].iloc[0]
    assert row["execution_rate"] == rate
    budget, settlement = source.BUDGET_HISTORY[code][year]
    assert row["execution_rate"] == round(settlement * 100 / budget, 1)


def test_the_estimate_year_has_no_execution_rate_but_its_estimated_one():
    trend = _trend()
    row = trend[(trend["code"] == "03-04-06") & (trend["fiscal_year"] == 2021)].iloc[0]
    assert pd.isna(row["execution_rate"]) and row["estimated_execution_rate"] == 100.0


def test_figures_managers_ask_for_come_from_the_source_figures():
    """03-04-01 平成29年度 不用額 58,811 (執行率 86.3); 03-04-04's budget since 平成27年度 and against 令和2年度."""
    trend = _trend().set_index(["code", "fiscal_year"])
    assert trend.at[("03-04-01", 2017), "unused"] == 58811
    assert trend.at[("03-04-01", 2017), "execution_rate"] == 86.3
    assert trend.at[("03-04-04", 2021), "budget_change"] == -19047
    assert trend.at[("03-04-04", 2021), "budget_change_rate"] == -35.6
    assert trend.at[("03-04-04", 2021), "budget_since_first"] == -11034
    assert trend.at[("03-04-04", 2021), "budget_since_first_rate"] == -24.2
    largest = trend["unused"].astype("Float64").idxmax()
    assert largest == ("03-04-01", 2017)  # the program that settled furthest under budget, by amount
    lowest = trend["execution_rate"].astype("Float64").idxmin()
    assert lowest == ("03-04-03", 2015) and trend.at[lowest, "execution_rate"] == 74.5  # and by rate


def test_share_of_section_total_adds_up_to_100_each_year():
    share = analytics.share_of_total(_trend(), measure="budget")
    first = share[(share["code"] == "03-04-01") & (share["fiscal_year"] == 2021)].iloc[0]
    assert first["total"] == 862063
    assert first["share"] == round(468771 * 100 / 862063, 1)  # 54.4
    assert share.groupby("fiscal_year")["share"].sum().between(99.8, 100.2).all()


def test_year_on_year_change():
    change = analytics.year_on_year(_trend(), measure="settlement")
    row = change[(change["code"] == "03-04-02") & (change["fiscal_year"] == 2020)].iloc[0]
    assert row["change"] == 90745 - 161149
    assert row["change_rate"] == round((90745 - 161149) * 100 / 161149, 1)
    assert 2015 not in set(change["fiscal_year"])  # no previous year to compare with


def test_unit_cost_is_settlement_in_yen_over_the_first_non_zero_count():
    activity = pd.DataFrame(
        [
            {
                "code": "03-04-06",
                "item": "電子申請手続数",
                "unit": "件",
                "position": 0,
                "fiscal_year": year,
                "value": float(value),
            }
            for year, value in {2019: 72, 2020: 61}.items()
        ]
        + [
            {"code": "03-04-01", "item": "汎用機システム業務数", "unit": "", "position": 1, "fiscal_year": 2020, "value": 0.0},
            {
                "code": "03-04-01",
                "item": "システム開発変更",
                "unit": "千円",
                "position": 0,
                "fiscal_year": 2020,
                "value": 233549.0,
            },
            {"code": "03-04-01", "item": "オープンシステム数", "unit": "", "position": 2, "fiscal_year": 2020, "value": 23.0},
        ]
    )
    result = analytics.unit_cost(_trend(), activity)
    e_gov = result[result["code"] == "03-04-06"].set_index("fiscal_year")
    assert e_gov.at[2019, "unit_cost"] == round(14222 * 1000 / 72)
    assert e_gov.at[2020, "unit_cost"] == round(14813 * 1000 / 61)
    business = result[result["code"] == "03-04-01"]
    assert list(business["item"].unique()) == ["オープンシステム数"]  # 千円 and all-zero items are skipped
    assert business.iloc[0]["unit_cost"] == round(468557 * 1000 / 23)


def test_cost_by_program_uses_the_latest_statement_year():
    lines = pd.DataFrame(
        [
            {"code": code, "name": code, "fiscal_year": year, "account": ACCOUNT_BY_LABEL[account], "amount": amount}
            for code, years in source.COST_LINES.items()
            for year, accounts in years.items()
            for account, amount in accounts.items()
        ]
    )
    cost = analytics.cost_by_program(lines).set_index("code")
    for code, totals in source.COST_PRINTED_TOTALS.items():
        assert cost.at[code, "fiscal_year"] == 2020
        assert cost.at[code, "expense_total"] == totals[2020]["expense"]
        assert cost.at[code, "administrative_balance"] == totals[2020]["administrative_balance"]


def test_newest_sheet_wins_for_a_year_reported_twice():
    budget = pd.DataFrame(
        {
            "sheet_id": [1, 2],
            "fiscal_year": [2021, 2021],
            "budget": [100, 100],
            "settlement": [100, 93],
            "settlement_is_estimate": [True, False],
        }
    )
    sheets = pd.DataFrame({"sheet_id": [1, 2], "sheet_fiscal_year": [2021, 2022], "code": ["X", "X"]})
    newest = newest_report(budget, sheets, keys=["code", "fiscal_year"])
    assert newest.to_dict("records") == [
        {
            "sheet_id": 2,
            "fiscal_year": 2021,
            "budget": 100,
            "settlement": 93,
            "settlement_is_estimate": False,
            "reported_in": 2022,
            "code": "X",
        }
    ]
