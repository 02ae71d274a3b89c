"""Writes of the indicators app."""

from evalsheets.lib.formatting import circled, era_fiscal_year
from evalsheets.lib.history import bulk_create_recorded
from indicators.choices import Direction, IndicatorKind
from indicators.models import ActivityItem, ActivityValue, Indicator, IndicatorValue
from indicators.precision import precision_error
from programs.documents import DocumentError, DocumentReader


def _figure(owner: DocumentReader, key: str, *, label: str, required: bool = False):
    """A printed figure → (value, decimals), refused when it has more decimals than can be printed and stored
    (indicators/precision.py); the error names the field in the form's words (成果指標③ 令和2年度の値)."""
    figure = owner.number(key, required=required)
    if figure is not None and (problem := precision_error(*figure)):
        raise DocumentError(f"{owner.path}.{key}", f"{label}: {problem}")
    return figure


def _values(owner: DocumentReader, model, *, label: str, **parent) -> list:
    rows, seen = [], set()
    for row in owner.items("values"):
        year = row.fiscal_year("fiscal_year", required=True)
        if year in seen:
            raise DocumentError(f"{row.path}.fiscal_year", f"{year} 年度が2回あります")
        seen.add(year)
        value, decimals = _figure(row, "value", label=f"{label} {era_fiscal_year(year)}の値", required=True)
        rows.append(model(fiscal_year=year, value=value, decimals=decimals, is_estimate=row.boolean("is_estimate"), **parent))
    return rows


def indicators_replace(*, sheet, doc: DocumentReader) -> None:
    """Replace the sheet's indicators (活動指標 / 対象指標 / 成果指標) and 実績の推移 with the document's.

    An indicator without `kind` is a 成果指標 (every 荒川区 document); numbers are 1, 2, 3 … unique within a kind."""
    Indicator.objects.filter(sheet=sheet).delete()
    ActivityItem.objects.filter(sheet=sheet).delete()

    values = []
    numbers = set()
    for item in doc.items("indicators"):
        kind = item.choice("kind", IndicatorKind) or IndicatorKind.OUTCOME
        number = item.integer("number", required=True, minimum=1)
        if (kind, number) in numbers:
            raise DocumentError(f"{item.path}.number", f"{IndicatorKind(kind).label}の指標番号 {number} が重複しています")
        numbers.add((kind, number))
        label = f"{IndicatorKind(kind).label}{circled(number)}"
        target = _figure(item, "target", label=f"{label} 目標値")
        indicator = Indicator.objects.create(
            sheet=sheet,
            kind=kind,
            number=number,
            name=item.text("name", required=True),
            unit=item.text("unit"),
            description=item.text("description"),
            direction=item.choice("direction", Direction) or Direction.UP,
            target=target[0] if target else None,
            target_decimals=target[1] if target else 0,
            target_fiscal_year=item.fiscal_year("target_fiscal_year"),
        )
        values += _values(item, IndicatorValue, label=label, indicator=indicator)
    bulk_create_recorded(IndicatorValue, values)

    values = []
    by_name: dict[str, ActivityItem] = {}
    for position, item in enumerate(doc.items("activity")):
        name = item.text("name", required=True)
        if name in by_name:
            raise DocumentError(f"{item.path}.name", f"事項名「{name}」が2回あります")
        parent_name = item.text("parent")
        if parent_name and parent_name not in by_name:
            raise DocumentError(f"{item.path}.parent", f"親項目「{parent_name}」がこの項目より前にありません")
        activity = ActivityItem.objects.create(
            sheet=sheet, position=position, name=name, unit=item.text("unit"), parent=by_name.get(parent_name)
        )
        by_name[name] = activity
        values += _values(item, ActivityValue, label=f"実績の推移「{name}」", item=activity)
    bulk_create_recorded(ActivityValue, values)
