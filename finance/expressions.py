"""Per-sheet finance figures as database expressions, so tables sort and filter in SQL."""

from django.db.models import Case, F, FloatField, IntegerField, Min, OuterRef, Subquery, Sum, When

from evalsheets.lib.rates import change_rate_expression, execution_rate_expression
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


def _settled_years():
    """The outer sheet's years with a final settlement (not a 見込み) and a budget."""
    return BudgetYear.objects.filter(
        sheet=OuterRef("pk"), budget__isnull=False, settlement__isnull=False, settlement_is_estimate=False
    )


def _latest_settled(field: str):
    return Subquery(_settled_years().order_by("-fiscal_year").values(field)[:1])


def _rate_rows():
    return (
        _settled_years().filter(budget__gt=0).annotate(rate=execution_rate_expression(budget="budget", settlement="settlement"))
    )


def _min_execution_rate():
    """The lowest 執行率 of the sheet's settled years (a 見込み is not a settlement)."""
    rates = _rate_rows().values("sheet").annotate(lowest=Min("rate")).values("lowest")
    return Subquery(rates, output_field=FloatField())


def _lowest_rate_year():
    return Subquery(_rate_rows().order_by("rate", "fiscal_year").values("fiscal_year")[:1])


def _largest_unused(field: str):
    rows = _settled_years().annotate(unused=F("budget") - F("settlement")).order_by("-unused", "fiscal_year")
    return Subquery(rows.values(field)[:1], output_field=IntegerField())


def _previous_year_budget():
    rows = BudgetYear.objects.filter(sheet=OuterRef("pk"), fiscal_year=OuterRef("fiscal_year") - 1)
    return Subquery(rows.values("budget")[:1])


def sheet_finance_annotations() -> dict:
    """Annotations for Sheet querysets: own-year budget/settlement, rates and cost-statement totals."""
    return {
        "own_budget": _own_year("budget"),
        "own_settlement": _own_year("settlement"),
        "own_settlement_is_estimate": _own_year("settlement_is_estimate"),
        "min_execution_rate": _min_execution_rate(),
        "min_execution_rate_year": _lowest_rate_year(),
        **latest_settled_annotations(),
        "max_unused": _largest_unused("unused"),
        "max_unused_year": _largest_unused("fiscal_year"),
        "previous_budget": _previous_year_budget(),
        "cost_expense": _cost_sum(EXPENSE_ACCOUNTS),
        "cost_revenue": _cost_sum(REVENUE_ACCOUNTS),
    }


def sheet_derived_annotations() -> dict:
    """Annotations computed from sheet_finance_annotations (apply after them)."""
    return {
        # the evaluation year's rate only when its settlement is final (NULL for a 見込み)
        "execution_rate": Case(
            When(
                own_settlement_is_estimate=False, then=execution_rate_expression(budget="own_budget", settlement="own_settlement")
            ),
            output_field=FloatField(),
        ),
        "latest_unused": F("latest_settled_budget") - F("latest_settled_settlement"),
        "latest_execution_rate": execution_rate_expression(
            budget="latest_settled_budget", settlement="latest_settled_settlement"
        ),
        "budget_change": F("own_budget") - F("previous_budget"),
        "budget_change_rate": change_rate_expression(new="own_budget", old="previous_budget"),
        "cost_balance": F("cost_revenue") - F("cost_expense"),
    }


def latest_settled_annotations() -> dict:
    """The sheet's latest year with a final settlement: its year, 予算額 and 決算額.

    (sheet_derived_annotations derives its 不用額 and 執行率.)
    """
    return {
        "latest_settled_year": _latest_settled("fiscal_year"),
        "latest_settled_budget": _latest_settled("budget"),
        "latest_settled_settlement": _latest_settled("settlement"),
    }
