"""The fiscal year as URLs and query strings give it: four ASCII digits (西暦), nothing else."""

import re


class FiscalYearConverter:
    """URL converter: /sheets/20x1/… does not match, so it is a 404 and never reaches a view."""

    regex = r"[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{int(value):04d}"


def fiscal_year_from_query(value: str | None) -> int | None:
    """A ?fiscal_year= value the way the URL converter reads it, or None when it is not four digits."""
    return int(value) if value and re.fullmatch(FiscalYearConverter.regex, value) else None
