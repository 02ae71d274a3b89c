"""執行率 (execution rate) = 決算額 ÷ 予算額 × 100, one decimal; none when the budget is 0 or either is missing.

The one home of the formula, in the three forms the code needs: a scalar for one row, a pandas
column for analytics, and its SQL twin for sorting and filtering in the database.
"""

from decimal import Decimal

import pandas as pd
from django.db.models import Expression, F, FloatField
from django.db.models.functions import Cast, NullIf


def execution_rate(*, budget: int | None, settlement: int | None) -> Decimal | None:
    """One row's rate, rounded to 0.1 (Decimal, half to even)."""
    if budget in (None, 0) or settlement is None:
        return None
    return (Decimal(settlement) * 100 / Decimal(budget)).quantize(Decimal("0.1"))


def execution_rate_series(*, budget: pd.Series, settlement: pd.Series) -> pd.Series:
    """The rate of every row of two columns (Float64, NA where the budget is 0 or missing), rounded to 0.1."""
    budget_values = budget.astype("Float64")
    return (settlement.astype("Float64") * 100 / budget_values.where(budget_values != 0)).round(1)


def execution_rate_expression(*, budget: str | Expression, settlement: str | Expression) -> Expression:
    """The SQL twin (unrounded float, NULL where the budget is 0 or missing), for ORDER BY and filters."""
    budget_value = F(budget) if isinstance(budget, str) else budget
    settlement_value = F(settlement) if isinstance(settlement, str) else settlement
    return Cast(settlement_value, FloatField()) * 100.0 / NullIf(Cast(budget_value, FloatField()), 0.0)
