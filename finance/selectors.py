"""Frames of the finance tables, one query each, for any set of sheets."""

import pandas as pd

from evalsheets.lib.fiscal_years import ALL_YEARS, YearRange
from finance.models import BreakdownLine, BudgetYear, CostLine, StatedCostTotal

BUDGET_COLUMNS = ["sheet_id", "fiscal_year", "budget", "settlement", "settlement_is_estimate"]
BREAKDOWN_COLUMNS = ["sheet_id", "fiscal_year", "kind", "position", "expense_class", "description", "amount"]
COST_COLUMNS = ["sheet_id", "fiscal_year", "account", "amount"]
STATED_COLUMNS = ["sheet_id", "fiscal_year", "item", "amount"]


def _frame(queryset, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_records(list(queryset.values(*columns)), columns=columns)


def budget_frame(*, sheet_ids, years: YearRange = ALL_YEARS) -> pd.DataFrame:
    queryset = BudgetYear.objects.filter(sheet_id__in=sheet_ids, **years.lookups()).order_by("sheet_id", "fiscal_year")
    frame = _frame(queryset, BUDGET_COLUMNS)
    return frame.astype({"budget": "Int64", "settlement": "Int64", "settlement_is_estimate": bool})


def breakdown_frame(*, sheet_ids) -> pd.DataFrame:
    queryset = BreakdownLine.objects.filter(sheet_id__in=sheet_ids).order_by("sheet_id", "fiscal_year", "position", "id")
    return _frame(queryset, BREAKDOWN_COLUMNS).astype({"amount": "int64"})


def cost_frame(*, sheet_ids, years: YearRange = ALL_YEARS) -> pd.DataFrame:
    return _frame(CostLine.objects.filter(sheet_id__in=sheet_ids, **years.lookups()), COST_COLUMNS).astype({"amount": "int64"})


def stated_cost_frame(*, sheet_ids) -> pd.DataFrame:
    return _frame(StatedCostTotal.objects.filter(sheet_id__in=sheet_ids), STATED_COLUMNS).astype({"amount": "int64"})
