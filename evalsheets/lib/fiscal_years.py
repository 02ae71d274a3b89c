"""Fiscal years as stored: the Gregorian year a fiscal year starts in (FY2021 = April 2021 – March 2022)."""

import datetime
from dataclasses import dataclass

import pandas as pd
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

MIN_FISCAL_YEAR = 1900
MAX_FISCAL_YEAR = 2100


def fiscal_year_field(verbose_name: str, **kwargs) -> models.PositiveSmallIntegerField:
    """A Gregorian fiscal year (FY2021 = 令和3年度), limited to a plausible range."""
    return models.PositiveSmallIntegerField(
        verbose_name,
        validators=[MinValueValidator(MIN_FISCAL_YEAR), MaxValueValidator(MAX_FISCAL_YEAR)],
        **kwargs,
    )


def fiscal_year_of(day: datetime.date) -> int:
    """The fiscal year a day falls in: April–December of 2021 and January–March of 2022 are FY2021."""
    return day.year if day.month >= 4 else day.year - 1


@dataclass(frozen=True)
class YearRange:
    """An inclusive range of fiscal years; either end may be open. Selectors filter with it in SQL."""

    first: int | None = None
    last: int | None = None

    def lookups(self, field: str = "fiscal_year") -> dict[str, int]:
        """Queryset filter arguments: {"fiscal_year__gte": first, "fiscal_year__lte": last} for the ends that are set."""
        bounds = {f"{field}__gte": self.first, f"{field}__lte": self.last}
        return {lookup: year for lookup, year in bounds.items() if year}

    def clip(self, frame: pd.DataFrame, column: str = "fiscal_year") -> pd.DataFrame:
        """The rows of a frame inside the range (for figures that must be computed over every year first)."""
        if frame.empty:
            return frame
        keep = pd.Series(True, index=frame.index)
        if self.first:
            keep &= frame[column] >= self.first
        if self.last:
            keep &= frame[column] <= self.last
        return frame[keep]


ALL_YEARS = YearRange()
