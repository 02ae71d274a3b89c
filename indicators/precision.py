"""A figure may not carry more decimals than it is printed with (its `decimals`): 3.45 in a one-decimal indicator
would be shown as 3.4 on the sheet page, used as 3.45 by the achievement and rounded to 3.5 by the API. The admin
forms and the import services both refuse it with this one rule."""

from decimal import Decimal

MAX_DECIMALS = 3  # what the value columns store (indicators.models.decimal_value_field)


def decimal_places(value: Decimal) -> int:
    """Digits after the point that carry a value: 3.450 → 2, 3 → 0, 1E+3 → 0."""
    exponent = Decimal(value).normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def precision_error(value: Decimal | None, decimals: int | None) -> str | None:
    """Why `value` cannot be printed with `decimals` digits after the point, or None when it can."""
    if value is None:
        return None
    allowed = MAX_DECIMALS if decimals is None else min(int(decimals), MAX_DECIMALS)
    places = decimal_places(value)
    if places <= allowed:
        return None
    shown = f"{value.normalize():f}"
    if places > MAX_DECIMALS:
        return f"「{shown}」は小数第{places}位まであります。保存できるのは小数第{MAX_DECIMALS}位までです"
    printed = "整数で印字" if allowed == 0 else f"小数第{allowed}位まで印字"
    return (
        f"「{shown}」は小数第{places}位まであり、小数桁数 {allowed}（{printed}）を超えています。"
        f"値を直すか、小数桁数を {places} にしてください"
    )
