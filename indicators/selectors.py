"""Frames of indicators and activity figures, one query each, for any set of sheets."""

import pandas as pd

from indicators.models import ActivityItem, ActivityValue, Indicator, IndicatorValue

INDICATOR_COLUMNS = [
    "id",
    "sheet_id",
    "kind",
    "number",
    "name",
    "unit",
    "description",
    "direction",
    "target",
    "target_decimals",
    "target_fiscal_year",
]
VALUE_COLUMNS = ["owner_id", "fiscal_year", "value", "decimals", "is_estimate"]
ITEM_COLUMNS = ["id", "sheet_id", "position", "name", "unit", "parent_id"]


def _frame(queryset, columns) -> pd.DataFrame:
    return pd.DataFrame.from_records(list(queryset.values_list(*columns)), columns=columns)


def _values(queryset, owner: str) -> pd.DataFrame:
    frame = _frame(queryset.order_by(owner, "fiscal_year"), [owner, *VALUE_COLUMNS[1:]])
    frame = frame.rename(columns={owner: "owner_id"})
    frame["value"] = frame["value"].astype("float64")
    return frame


def indicator_frames(*, sheet_ids) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(indicators, values): values carry `owner_id` = the indicator's id."""
    indicators = _frame(Indicator.objects.filter(sheet_id__in=sheet_ids).order_by("sheet_id", "number"), INDICATOR_COLUMNS)
    indicators["target"] = indicators["target"].astype("float64")
    values = _values(IndicatorValue.objects.filter(indicator__sheet_id__in=sheet_ids), "indicator_id")
    return indicators, values


def activity_frames(*, sheet_ids) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(items, values): values carry `owner_id` = the item's id."""
    items = _frame(ActivityItem.objects.filter(sheet_id__in=sheet_ids).order_by("sheet_id", "position", "id"), ITEM_COLUMNS)
    values = _values(ActivityValue.objects.filter(item__sheet_id__in=sheet_ids), "item_id")
    return items, values
