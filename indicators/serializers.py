"""The indicator parts of a sheet document."""

from decimal import Decimal

from evalsheets.lib.formatting import printed_number
from indicators.choices import KIND_ORDER


def number(value: Decimal | None, decimals: int):
    """A JSON number with the printed precision: 3.0 stays 3.0, 34911 is an integer."""
    if value is None:
        return None
    return round(float(value), decimals) if decimals else int(value)


def _values(values) -> list[dict]:
    return [
        {
            "fiscal_year": v.fiscal_year,
            "value": number(v.value, v.decimals),
            "is_estimate": v.is_estimate,
            "printed": printed_number(v.value, v.decimals),
        }
        for v in values
    ]


def indicators_document(sheet) -> dict:
    """Uses the sheet's prefetched indicators__values and activity_items__values.

    Indicators come kind by kind (活動指標, 対象指標, 成果指標), each kind by number; every one names its `kind`."""
    items = list(sheet.activity_items.all())
    indicators = sorted(sheet.indicators.all(), key=lambda i: (KIND_ORDER[i.kind], i.number))
    names = {item.pk: item.name for item in items}
    return {
        "indicators": [
            {
                "kind": i.kind,
                "number": i.number,
                "name": i.name,
                "unit": i.unit,
                "description": i.description,
                "direction": i.direction,
                "target": number(i.target, i.target_decimals),
                "target_fiscal_year": i.target_fiscal_year,
                "values": _values(i.values.all()),
            }
            for i in indicators
        ],
        "activity": [
            {"name": item.name, "unit": item.unit, "parent": names.get(item.parent_id), "values": _values(item.values.all())}
            for item in items
        ],
    }
