"""Frames of the finance tables, one query each, for any set of sheets."""

import pandas as pd

from evalsheets.lib.fiscal_years import ALL_YEARS, YearRange
from finance.choices import FundingSource
from finance.models import BreakdownLine, BudgetYear, CostLine, FundingYear, PersonnelCost, StatedCostTotal

BUDGET_COLUMNS = ["sheet_id", "fiscal_year", "budget", "settlement", "settlement_is_estimate"]
BREAKDOWN_COLUMNS = ["sheet_id", "fiscal_year", "kind", "position", "expense_class", "description", "amount"]
COST_COLUMNS = ["sheet_id", "fiscal_year", "account", "amount"]
STATED_COLUMNS = ["sheet_id", "fiscal_year", "item", "amount"]
FUNDING_COLUMNS = ["sheet_id", "fiscal_year", "basis", *FundingSource.values]
PERSONNEL_COLUMNS = ["sheet_id", "fiscal_year", "basis", "persons", "persons_decimals", "hours", "hours_decimals", "amount"]


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


def funding_frame(*, sheet_ids) -> pd.DataFrame:
    """財源内訳: one row per (sheet, year, basis), a column per source (NA = not reported)."""
    queryset = FundingYear.objects.filter(sheet_id__in=sheet_ids).order_by("sheet_id", "fiscal_year", "basis")
    return _frame(queryset, FUNDING_COLUMNS).astype(dict.fromkeys(FundingSource.values, "Int64"))


def personnel_frame(*, sheet_ids) -> pd.DataFrame:
    """人件費: 人工 and 業務時間 as Decimal with their printed decimals, the amount in 千円 (NA = not reported)."""
    queryset = PersonnelCost.objects.filter(sheet_id__in=sheet_ids).order_by("sheet_id", "fiscal_year", "basis")
    return _frame(queryset, PERSONNEL_COLUMNS).astype({"amount": "Int64"})
