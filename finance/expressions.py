"""Per-sheet finance figures as database expressions, so tables sort and filter in SQL."""

from django.db.models import F, FloatField, IntegerField, Min, OuterRef, Subquery, Sum

from evalsheets.lib.rates import execution_rate_expression
from finance.choices import CostSection, accounts_of
from finance.models import BudgetYear, CostLine

EXPENSE_ACCOUNTS = accounts_of(CostSection.EXPENSE)
REVENUE_ACCOUNTS = accounts_of(CostSection.REVENUE)


def _own_year(field: str):
    rows = BudgetYear.objects.filter(sheet=OuterRef("pk"), fiscal_year=OuterRef("fiscal_year"))
    return Subquery(rows.values(field)[:1])


def _cost_sum(accounts):
    """Sum of the outer sheet's cost lines of the latest settled year (the year before the sheet's year)."""
    lines = (
        CostLine.objects.filter(sheet=OuterRef("pk"), fiscal_year=OuterRef("fiscal_year") - 1, account__in=accounts)
        .values("sheet")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Subquery(lines, output_field=IntegerField())


def _min_execution_rate():
    rates = (
        BudgetYear.objects.filter(sheet=OuterRef("pk"), budget__gt=0, settlement__isnull=False)
        .values("sheet")
        .annotate(rate=Min(execution_rate_expression(budget="budget", settlement="settlement")))
        .values("rate")
    )
    return Subquery(rates, output_field=FloatField())


def sheet_finance_annotations() -> dict:
    """Annotations for Sheet querysets: own-year budget/settlement, rates and cost-statement totals."""
    return {
        "own_budget": _own_year("budget"),
        "own_settlement": _own_year("settlement"),
        "own_settlement_is_estimate": _own_year("settlement_is_estimate"),
        "min_execution_rate": _min_execution_rate(),
        "cost_expense": _cost_sum(EXPENSE_ACCOUNTS),
        "cost_revenue": _cost_sum(REVENUE_ACCOUNTS),
    }


def sheet_derived_annotations() -> dict:
    """Annotations computed from sheet_finance_annotations (apply after them)."""
    return {
        "execution_rate": execution_rate_expression(budget="own_budget", settlement="own_settlement"),
        "cost_balance": F("cost_revenue") - F("cost_expense"),
    }
