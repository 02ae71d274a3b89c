"""A program's figures over the years, each year taken from the newest sheet that reports it.

Shared by the overview, the program page and /compare/ (one query per frame, for any number of sheets).
"""

import pandas as pd

from evalsheets.lib.frames import newest_report
from finance import analytics as finance_analytics
from finance import selectors as finance_selectors
from indicators import analytics as indicator_analytics
from indicators import selectors as indicator_selectors

IDENTITY = ["sheet_id", "sheet_fiscal_year", "code", "name"]


def budget_trend(sheets: pd.DataFrame) -> pd.DataFrame:
    """予算額・決算額 per program and year (newest report wins), with execution rates."""
    budget = finance_selectors.budget_frame(sheet_ids=list(sheets["sheet_id"]))
    return finance_analytics.program_trend(newest_report(budget, sheets[IDENTITY], keys=["code", "fiscal_year"]))


def indicator_trend(sheets: pd.DataFrame) -> pd.DataFrame:
    """Indicator values per program, indicator and year (newest report wins), with achievement."""
    indicators, values = indicator_selectors.indicator_frames(sheet_ids=list(sheets["sheet_id"]))
    return indicator_analytics.indicator_history(indicators, values, sheets)
