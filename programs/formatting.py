"""Display formatting shared by templates, admin and exports: 千円 amounts, ▲ negatives, era years."""

from decimal import Decimal

from programs.wareki import fiscal_year_label, short_fiscal_year_label

EMPTY = "—"


def amount(value) -> str:
    """12345 → 12,345; -1414 → ▲ 1,414 (the form's style); None → —."""
    if value is None or value == "":
        return EMPTY
    number = int(value)
    text = f"{abs(number):,}"
    return f"▲ {text}" if number < 0 else text


def printed_number(value, decimals: int = 0) -> str:
    """A figure with the precision printed on the form: (3, 1) → 3.0; (-1.6, 1) → ▲ 1.6; 34911 → 34,911."""
    if value is None or value == "":
        return EMPTY
    number = Decimal(value)
    text = f"{abs(number):,.{int(decimals)}f}"
    return f"▲ {text}" if number < 0 else text


def percent(value, decimals: int = 1) -> str:
    if value is None:
        return EMPTY
    return f"{printed_number(value, decimals)}%"


def era_fiscal_year(value) -> str:
    if value in (None, ""):
        return EMPTY
    return fiscal_year_label(int(value))


def short_fiscal_year(value) -> str:
    if value in (None, ""):
        return EMPTY
    return short_fiscal_year_label(int(value))
