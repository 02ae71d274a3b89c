"""執行率 (execution rate) = 決算額 ÷ 予算額 × 100, one decimal; none when the budget is 0 or either is missing.
不用額 (unused budget) = 予算額 − 決算額; 増減率 (rate of change) = (new − old) ÷ old × 100, one decimal.

The one home of these formulas, in the forms the code needs: a scalar for one row, a pandas
column for analytics, and SQL twins for sorting and filtering in the database. Callers pass a
settlement only when it is final: a 見込み (estimate) is never a settlement here.
"""

from decimal import Decimal

import pandas as pd
from django.db.models import Expression, FloatField
from django.db.models.functions import Cast, NullIf

from evalsheets.lib.formatting import is_missing


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
    return Cast(settlement, FloatField()) * 100.0 / NullIf(Cast(budget, FloatField()), 0.0)


def change_rate_expression(*, new: str | Expression, old: str | Expression) -> Expression:
    """The SQL twin of change_rate_series (unrounded float, NULL where `old` is 0 or missing)."""
    old_float = NullIf(Cast(old, FloatField()), 0.0)
    return (Cast(new, FloatField()) - old_float) * 100.0 / old_float


def unused_amount(*, budget: int | None, settlement: int | None) -> int | None:
    """不用額 of one year (None when either figure is missing)."""
    return None if budget is None or settlement is None else budget - settlement


def change_rate(*, new: int | None, old: int | None) -> float | None:
    """Rate of change (%) of one pair, rounded to 0.1 (None where `old` is 0 or missing)."""
    if new is None or old in (None, 0):
        return None
    return float((Decimal(new - old) * 100 / Decimal(old)).quantize(Decimal("0.1")))


def change_rate_series(new: pd.Series, old: pd.Series) -> pd.Series:
    """Rate of change (%) from `old` to `new`, rounded to 0.1 (NA where `old` is 0 or missing)."""
    old_values = old.astype("Float64")
    return ((new.astype("Float64") - old_values) * 100 / old_values.where(old_values != 0)).round(1)


# 執行率 levels shown in tables and charts (always with a mark and a text, never colour alone).
RATE_CAUTION = 90.0  # below: 注意 ◇
RATE_WARNING = 80.0  # below: 要確認 ◆
RATE_LEVELS = {"warning": ("◆", f"{RATE_WARNING:.0f}%未満"), "caution": ("◇", f"{RATE_CAUTION:.0f}%未満")}


def rate_level(rate) -> str:
    """ "warning" below RATE_WARNING, "caution" below RATE_CAUTION, else "" (also for a missing rate)."""
    if is_missing(rate):
        return ""
    value = float(rate)
    if value < RATE_WARNING:
        return "warning"
    return "caution" if value < RATE_CAUTION else ""
