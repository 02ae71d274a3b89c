"""Numbers as printed on the form: 1,234 / ▲ 1,414 / 3.0 / -1.2 / full-width digits."""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

_NUMBER = re.compile(r"^(?P<sign>[-−▲△])?\s*(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<fraction>\d+))?$")


class NumberFormatError(ValueError):
    pass


def parse_printed_number(text: str | int | float) -> tuple[Decimal, int]:
    """Return the value and the digits printed after the point ("3.0" → (3.0, 1), "▲ 1,414" → (-1414, 0))."""
    if isinstance(text, bool):
        raise NumberFormatError(f"「{text}」は数値ではありません")
    if isinstance(text, int):
        return Decimal(text), 0
    if isinstance(text, float):
        text = repr(text)
    value = unicodedata.normalize("NFKC", str(text)).strip().replace("▲", "▲")
    match = _NUMBER.match(value)
    if not match:
        raise NumberFormatError(f"「{text}」は数値として読めません")
    fraction = match["fraction"] or ""
    try:
        number = Decimal(match["digits"].replace(",", "") + ("." + fraction if fraction else ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise NumberFormatError(f"「{text}」は数値として読めません") from None
    if match["sign"]:
        number = -number
    return number, len(fraction)


def parse_amount(text: str | int) -> int:
    """An amount in 千円: an integer, ▲ for negatives."""
    number, decimals = parse_printed_number(text)
    if decimals:
        raise NumberFormatError(f"「{text}」は千円単位の整数ではありません")
    return int(number)
