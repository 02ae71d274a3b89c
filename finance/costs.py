"""行政コスト計算書 arithmetic: the totals and balances are computed from the account lines."""

from collections.abc import Mapping

from finance.choices import ACCOUNT_SECTION, CostAccount, CostSection, CostTotal


def cost_totals(amounts: Mapping[str, int]) -> dict[str, int]:
    """Totals of one year's statement from its account amounts (missing accounts count as 0).

    行政収支差額 (c) = 行政収入合計 (a) − 行政費用合計 (b); 通常収支差額 (e) = (c) + 金融収支差額 (d);
    特別収支差額 (h) = 特別収入 (f) − 特別費用 (g); 当期収支差額 = (e) + (h).
    """
    expense = sum(v for k, v in amounts.items() if ACCOUNT_SECTION[k] == CostSection.EXPENSE)
    revenue = sum(v for k, v in amounts.items() if ACCOUNT_SECTION[k] == CostSection.REVENUE)
    administrative = revenue - expense
    ordinary = administrative + amounts.get(CostAccount.FINANCIAL, 0)
    special = amounts.get(CostAccount.SPECIAL_REVENUE, 0) - amounts.get(CostAccount.SPECIAL_EXPENSE, 0)
    return {
        CostTotal.EXPENSE.value: expense,
        CostTotal.REVENUE.value: revenue,
        CostTotal.ADMINISTRATIVE_BALANCE.value: administrative,
        CostTotal.ORDINARY_BALANCE.value: ordinary,
        CostTotal.SPECIAL_BALANCE.value: special,
        CostTotal.NET_BALANCE.value: ordinary + special,
    }


def sheet_cost_statement(cost_lines, stated_totals=()) -> dict[int, dict]:
    """{fiscal_year: {"amounts": {account: amount}, "totals": {...}, "stated": {...}}} of a sheet's lines."""
    years: dict[int, dict] = {}
    for line in cost_lines:
        years.setdefault(line.fiscal_year, {"amounts": {}, "stated": {}})["amounts"][line.account] = line.amount
    for stated in stated_totals:
        years.setdefault(stated.fiscal_year, {"amounts": {}, "stated": {}})["stated"][stated.item] = stated.amount
    for year in years.values():
        year["totals"] = cost_totals(year["amounts"])
    return dict(sorted(years.items()))
