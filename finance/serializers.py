"""The finance parts of a sheet document (see fixtures/FORMAT.md and the API contract)."""

import pandas as pd

from evalsheets.lib.rates import change_rate, execution_rate, unused_amount
from finance import analytics
from finance.choices import ACCOUNT_ORDER, ACCOUNT_SECTION, BASIS_ORDER, CostAccount, FundingSource
from finance.costs import sheet_cost_statement
from finance.selectors import FUNDING_COLUMNS, PERSONNEL_COLUMNS


def finance_document(sheet) -> dict:
    """Uses the sheet's prefetched budget_years, breakdown_lines, cost_lines, stated_cost_totals, funding_years and
    personnel_costs. `funding` and `personnel` are always present ([] when the sheet reports none); the document key
    of 都道府県支出金 is `prefectural` whatever the municipality prints (都/道/府/県支出金)."""
    statement = sheet_cost_statement(sheet.cost_lines.all(), sheet.stated_cost_totals.all())
    return {
        "budget_history": _budget_history(list(sheet.budget_years.all())),
        "budget_breakdown": [
            {
                "fiscal_year": line.fiscal_year,
                "kind": line.kind,
                "expense_class": line.expense_class,
                "description": line.description,
                "amount": line.amount,
            }
            for line in sheet.breakdown_lines.all()
        ],
        "cost_statement": [
            {
                "fiscal_year": year,
                "lines": [
                    {"section": ACCOUNT_SECTION[account], "account": CostAccount(account).label, "amount": amount}
                    for account, amount in sorted(data["amounts"].items(), key=lambda item: ACCOUNT_ORDER[item[0]])
                ],
                # Every CostTotal by its key; "net" is kept only as an alias of administrative_balance
                # (行政収支差額), which API clients already read. 当期収支差額 is net_balance.
                "totals": {**data["totals"], "net": data["totals"]["administrative_balance"]},
                "stated_totals": data["stated"],
            }
            for year, data in statement.items()
        ],
        **_funding_and_personnel(sheet),
    }


def _funding_and_personnel(sheet) -> dict:
    """`funding` and `personnel` as loaded, plus the computed `total` (reported sources) and `total_cost` (総事業費 =
    事業費 + 人件費 of the same year and basis; null when either is missing), by finance.analytics."""
    funding, personnel = _by_year_and_basis(sheet.funding_years.all()), _by_year_and_basis(sheet.personnel_costs.all())
    computed = {}
    if funding or personnel:
        budget = pd.DataFrame.from_records(
            [
                {
                    "sheet_id": sheet.pk,
                    "fiscal_year": r.fiscal_year,
                    "budget": r.budget,
                    "settlement": r.settlement,
                    "settlement_is_estimate": r.settlement_is_estimate,
                }
                for r in sheet.budget_years.all()
            ],
            columns=["sheet_id", "fiscal_year", "budget", "settlement", "settlement_is_estimate"],
        )
        frames = {"funding": _frame(sheet, funding, FUNDING_COLUMNS), "personnel": _frame(sheet, personnel, PERSONNEL_COLUMNS)}
        computed = {(c["fiscal_year"], c["basis"]): c for c in analytics.money_columns(**frames, budget=budget)}
    return {
        "funding": [
            {"fiscal_year": row.fiscal_year, "basis": row.basis}
            | {source: getattr(row, source) for source in FundingSource.values}
            | {"total": computed[row.fiscal_year, row.basis]["funding_total"]}
            for row in funding
        ],
        "personnel": [
            {
                "fiscal_year": row.fiscal_year,
                "basis": row.basis,
                "persons": _printed(row.persons, row.persons_decimals),
                "hours": _printed(row.hours, row.hours_decimals),
                "amount": row.amount,
                "total_cost": computed[row.fiscal_year, row.basis]["total_cost"],
            }
            for row in personnel
        ],
    }


def _frame(sheet, rows: list, columns: list[str]) -> pd.DataFrame:
    """The frame finance.selectors would give for these (prefetched) rows."""
    records = [{"sheet_id": sheet.pk} | {c: getattr(row, c) for c in columns[1:]} for row in rows]
    frame = pd.DataFrame.from_records(records, columns=columns)
    return frame.astype({c: "Int64" for c in [*FundingSource.values, "amount"] if c in columns})


def _by_year_and_basis(rows) -> list:
    return sorted(rows, key=lambda row: (row.fiscal_year, BASIS_ORDER[row.basis]))


def _printed(value, decimals: int) -> str | None:
    """A figure as printed, without separators: (0.8, 2) → "0.80"."""
    return None if value is None else f"{value:.{decimals}f}"


def _budget_history(rows) -> list[dict]:
    """Each year with its computed figures; a 見込み is not a settlement (evalsheets.lib.rates)."""
    by_year = {row.fiscal_year: row for row in rows}
    history = []
    for row in rows:
        settled = None if row.settlement_is_estimate else row.settlement
        rate = execution_rate(budget=row.budget, settlement=settled)
        previous = by_year.get(row.fiscal_year - 1)
        previous_budget = previous.budget if previous else None
        change = None if row.budget is None or previous_budget is None else row.budget - previous_budget
        history.append(
            {
                "fiscal_year": row.fiscal_year,
                "budget": row.budget,
                "settlement": row.settlement,
                "settlement_is_estimate": row.settlement_is_estimate,
                "execution_rate": None if rate is None else float(rate),
                "unused": unused_amount(budget=row.budget, settlement=settled),
                "budget_change": change,  # 予算額 前年度比 (the previous fiscal year itself; null for the first)
                "budget_change_rate": change_rate(new=row.budget, old=previous_budget),
            }
        )
    return history
