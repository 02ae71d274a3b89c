"""Display formatting shared by templates, admin and exports: 千円 amounts, ▲ negatives, era years."""

from decimal import Decimal

from evalsheets.lib.wareki import fiscal_year_label, short_fiscal_year_label

EMPTY = "—"


def is_missing(value) -> bool:
    """None, "", NaN or pandas' NA."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return True
    try:
        return bool(value != value)  # NaN is the only value not equal to itself
    except TypeError:  # pandas.NA refuses to be a bool
        return True


def amount(value) -> str:
    """12345 → 12,345; -1414 → ▲ 1,414 (the form's style); None → —."""
    if is_missing(value):
        return EMPTY
    try:
        number = int(value)
    except (TypeError, ValueError):  # pandas NA / NaN
        return EMPTY
    text = f"{abs(number):,}"
    return f"▲ {text}" if number < 0 else text


def printed_number(value, decimals: int = 0) -> str:
    """An indicator or activity figure as printed: (3, 1) → 3.0; (-1.6, 1) → -1.6; 34911 → 34,911.

    The form prints these with a minus sign (▲ is its convention for money only).
    """
    if is_missing(value):
        return EMPTY
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return EMPTY
    return f"{number:,.{int(decimals)}f}"


def yen(value) -> str:
    """A per-person or per-unit figure in 円 to 0.1 円: 331.8 → 331.8; 1394931.8 → 1,394,931.8; -2.5 → ▲ 2.5."""
    if is_missing(value):
        return EMPTY
    text = printed_number(abs(float(value)), 1)
    return f"▲ {text}" if float(value) < 0 else text


def percent(value, decimals: int = 1) -> str:
    text = printed_number(value, decimals)
    return text if text == EMPTY else f"{text}%"


CIRCLED_NUMBERS = "".join(chr(0x2460 + i) for i in range(20))  # ①…⑳, as the form numbers indicators, issues and plans


def circled(number) -> str:
    """1 → ①, 20 → ⑳; other numbers as digits."""
    try:
        n = int(number)
    except (TypeError, ValueError):
        return str(number)
    return CIRCLED_NUMBERS[n - 1] if 1 <= n <= len(CIRCLED_NUMBERS) else str(n)


def circled_value(mark: str) -> int:
    """① → 1 (the inverse of `circled` for a single mark)."""
    return CIRCLED_NUMBERS.index(mark) + 1


def signed_percent(value, decimals: int = 1) -> str:
    """A change in %: 12.3 → +12.3%, -35.6 → ▲ 35.6% (▲ as the form marks decreases), None → —."""
    if is_missing(value):
        return EMPTY
    number = float(value)
    text = percent(abs(number), decimals)
    return f"▲ {text}" if number < 0 else (f"+{text}" if number > 0 else text)


def era_fiscal_year(value) -> str:
    if is_missing(value):
        return EMPTY
    return fiscal_year_label(int(value))


def short_fiscal_year(value) -> str:
    if is_missing(value):
        return EMPTY
    return short_fiscal_year_label(int(value))
