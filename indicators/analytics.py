"""Pure pandas over indicator frames: achievement toward targets, tables by year."""

import numpy as np
import pandas as pd

from evalsheets.lib.fiscal_years import ALL_YEARS, YearRange
from evalsheets.lib.formatting import circled
from evalsheets.lib.frames import SHEET_IDENTITY, newest_report
from indicators.choices import KIND_ORDER, Direction, IndicatorKind


def achievement(values: pd.Series, targets: pd.Series, directions: pd.Series) -> pd.Series:
    """Achievement (%) of each value toward its target, direction-aware; NaN when it cannot be judged.

    - zero (ゼロを維持): 100 when the value is 0, else 0 — a "zero incidents" target met is 100%.
    - up: value ÷ target × 100 (target > 0).
    - down: 100 when value ≤ target; else target ÷ value × 100 when both are positive; else
      100 − (value − target) ÷ |target| × 100, not below 0 (e.g. a growth rate of −1.6% toward −5.0% → 32%).
    """
    v = values.astype("float64").to_numpy()
    t = targets.astype("float64").to_numpy()
    d = directions.to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        up = np.where(t > 0, v / t * 100, np.nan)
        down_ratio = np.where((t > 0) & (v > 0), t / v * 100, np.maximum(0, 100 - (v - t) / np.abs(t) * 100))
        down = np.where(v <= t, 100.0, np.where(t != 0, down_ratio, 0.0))
    result = np.select(
        [d == Direction.ZERO, d == Direction.UP, d == Direction.DOWN],
        [np.where(v == 0, 100.0, 0.0), up, down],
        default=np.nan,
    )
    result = np.where(np.isnan(v) | np.isnan(t), np.nan, result)
    return pd.Series(np.round(result, 1), index=values.index)


def with_kind(indicators: pd.DataFrame) -> pd.DataFrame:
    """A frame without a `kind` column (made by hand, or from before kinds existed) holds 成果指標."""
    return indicators if "kind" in indicators.columns else indicators.assign(kind=IndicatorKind.OUTCOME.value)


def _kind_sorted(indicators: pd.DataFrame) -> pd.DataFrame:
    """Indicators kind by kind (活動指標, 対象指標, 成果指標), each kind by number."""
    indicators = with_kind(indicators)
    order = indicators["kind"].map(KIND_ORDER)
    return indicators.assign(_order=order).sort_values(["_order", "number"], kind="stable").drop(columns="_order")


def indicator_table(indicators: pd.DataFrame, values: pd.DataFrame) -> tuple[list[int], list[dict]]:
    """Years shown (the union of all value years) and one row per indicator, kind by kind, with its values and
    latest achievement (None without a target or with direction none)."""
    years = sorted(int(y) for y in values["fiscal_year"].unique()) if not values.empty else []
    indicators = _kind_sorted(indicators)
    latest = values.sort_values("fiscal_year").groupby("owner_id").tail(1).set_index("owner_id")
    merged = indicators.merge(latest, left_on="id", right_index=True, how="left", suffixes=("", "_latest"))
    merged["achievement"] = achievement(merged["value"], merged["target"], merged["direction"])
    cells = values.set_index(["owner_id", "fiscal_year"])
    rows = []
    for record in merged.to_dict("records"):
        rows.append(
            {
                **{
                    k: record[k]
                    for k in (
                        "id",
                        "kind",
                        "number",
                        "name",
                        "unit",
                        "description",
                        "direction",
                        "target",
                        "target_decimals",
                        "target_fiscal_year",
                    )
                },
                "mark": circled(record["number"]),
                "kind_label": IndicatorKind(record["kind"]).label,
                "direction_label": Direction(record["direction"]).label,
                "cells": [_cell(cells, record["id"], year) for year in years],
                "latest_year": None if pd.isna(record["fiscal_year"]) else int(record["fiscal_year"]),
                # a target (and its year) is optional: missing is None, never NaN (NaN reads as true in a template)
                "target": None if pd.isna(record["target"]) else record["target"],
                "target_fiscal_year": None if pd.isna(record["target_fiscal_year"]) else int(record["target_fiscal_year"]),
                "achievement": None if pd.isna(record["achievement"]) else float(record["achievement"]),
            }
        )
    return years, rows


def indicator_groups(rows: list[dict]) -> list[dict]:
    """The rows of `indicator_table` by kind, in the kind order: [{kind, label, rows}] (kinds without rows left out)."""
    return [
        {"kind": kind.value, "label": kind.label, "rows": [row for row in rows if row["kind"] == kind]}
        for kind in IndicatorKind
        if any(row["kind"] == kind for row in rows)
    ]


def only_outcomes(groups: list[dict]) -> bool:
    """True when a sheet reports 成果指標 alone (every 荒川区 sheet): its page shows them as the form does, unheaded."""
    return all(group["kind"] == IndicatorKind.OUTCOME for group in groups)


def values_by_owner(owners: pd.DataFrame, values: pd.DataFrame) -> dict[int, pd.DataFrame]:
    """The yearly values of each indicator or item, keyed by its id (an empty frame for one without values)."""
    grouped = {int(owner): rows for owner, rows in values.groupby("owner_id")}
    return {int(owner): grouped.get(int(owner), values.iloc[0:0]) for owner in owners["id"]}


def _cell(cells: pd.DataFrame, owner_id: int, year: int) -> dict | None:
    key = (owner_id, year)
    if key not in cells.index:
        return None
    row = cells.loc[key]
    return {"value": row["value"], "decimals": int(row["decimals"]), "is_estimate": bool(row["is_estimate"])}


def activity_table(items: pd.DataFrame, values: pd.DataFrame) -> tuple[list[int], list[dict]]:
    """Years and one row per 実績 item (children follow their parent), with the year cells."""
    years = sorted(int(y) for y in values["fiscal_year"].unique()) if not values.empty else []
    cells = values.set_index(["owner_id", "fiscal_year"])
    names = dict(zip(items["id"], items["name"], strict=True))
    rows = [
        {
            "id": record["id"],
            "name": record["name"],
            "unit": record["unit"],
            "parent": None if pd.isna(record["parent_id"]) else names.get(int(record["parent_id"])),
            "cells": [_cell(cells, record["id"], year) for year in years],
        }
        for record in items.to_dict("records")
    ]
    return years, rows


def indicator_history(
    indicators: pd.DataFrame, values: pd.DataFrame, sheets: pd.DataFrame, *, years: YearRange = ALL_YEARS
) -> pd.DataFrame:
    """Every program's indicator values over all its sheets, the newest sheet winning for each year, with achievement.

    The target (and direction) of an indicator is the one of the newest sheet that names it, whatever `years`
    shows (so the range is applied last).
    """
    columns = [
        "code",
        "program",
        "kind",
        "number",
        "indicator",
        "unit",
        "direction",
        "target",
        "target_decimals",
        "target_fiscal_year",
        "fiscal_year",
        "value",
        "decimals",
        "is_estimate",
        "reported_in",
        "achievement",
    ]
    if indicators.empty or values.empty:
        return pd.DataFrame(columns=columns)
    meta = with_kind(indicators).rename(columns={"id": "owner_id", "name": "indicator"})
    joined = values.merge(meta, on="owner_id")
    sheet_cols = sheets[["sheet_id", "sheet_fiscal_year", "code", "name"]].rename(columns={"name": "program"})
    newest = newest_report(joined, sheet_cols, keys=["code", "kind", "indicator", "fiscal_year"])
    latest_meta = (
        joined.merge(sheet_cols, on="sheet_id")
        .sort_values("sheet_fiscal_year", ascending=False)
        .drop_duplicates(["code", "kind", "indicator"])[
            ["code", "kind", "indicator", "number", "direction", "target", "target_decimals", "target_fiscal_year"]
        ]
    )
    newest = newest.drop(columns=["number", "direction", "target", "target_decimals", "target_fiscal_year"]).merge(
        latest_meta, on=["code", "kind", "indicator"]
    )
    newest["achievement"] = achievement(newest["value"], newest["target"], newest["direction"])
    newest["_order"] = newest["kind"].map(KIND_ORDER)
    ordered = newest.sort_values(["code", "_order", "number", "fiscal_year"])
    return years.clip(ordered[columns].reset_index(drop=True))


def indicator_series(history: pd.DataFrame) -> list[dict]:
    """One entry per program indicator of `indicator_history` (one program): its latest target and achievement,
    its rows, and a `values` frame for its chart."""
    series = []
    history = with_kind(history)
    keys = history.assign(_order=history["kind"].map(KIND_ORDER))
    for (_, kind, number, name), rows in history.groupby([keys["_order"], "kind", "number", "indicator"], sort=True):
        latest = rows.iloc[-1]
        series.append(
            {
                "kind": kind,
                "kind_label": IndicatorKind(kind).label,
                "number": int(number),
                "mark": circled(int(number)),
                "name": name,
                "unit": latest["unit"],
                "target": None if pd.isna(latest["target"]) else latest["target"],
                "target_decimals": int(latest["target_decimals"]),
                "target_fiscal_year": None if pd.isna(latest["target_fiscal_year"]) else int(latest["target_fiscal_year"]),
                "achievement": None if pd.isna(latest["achievement"]) else float(latest["achievement"]),
                "rows": rows.to_dict("records"),
                "values": rows[["fiscal_year", "value", "decimals", "is_estimate"]],
            }
        )
    return series


def latest_achievement_counts(history: pd.DataFrame) -> dict[str, int]:
    """How many 成果指標 (each at its latest year with an achievement) are on target (≥ 100%) and behind; one without
    a target or direction (no achievement) is neither."""
    history = with_kind(history)
    outcomes = history[history["kind"] == IndicatorKind.OUTCOME]
    latest = outcomes.sort_values("fiscal_year").groupby(["code", "indicator"]).tail(1).dropna(subset=["achievement"])
    return {"on_track": int((latest["achievement"] >= 100).sum()), "behind": int((latest["achievement"] < 100).sum())}


def activity_history(items: pd.DataFrame, values: pd.DataFrame, sheets: pd.DataFrame) -> pd.DataFrame:
    """Every program's 実績 values (item, unit, position, year, value), the newest sheet winning for each year."""
    activity = values.merge(items.rename(columns={"id": "owner_id", "name": "item"}), on="owner_id")
    return newest_report(activity, sheets[SHEET_IDENTITY], keys=["code", "item", "fiscal_year"])


def achievement_by_program(history: pd.DataFrame) -> pd.DataFrame:
    """Average achievement (%) of each program's 成果指標 per year (indicators without a target or direction, and
    活動指標/対象指標, are left out)."""
    if history.empty:
        return pd.DataFrame(columns=["code", "program", "fiscal_year", "achievement", "indicators"])
    history = with_kind(history)
    judged = history[history["kind"] == IndicatorKind.OUTCOME].dropna(subset=["achievement"])
    return (
        judged.groupby(["code", "program", "fiscal_year"], as_index=False)
        .agg(achievement=("achievement", "mean"), indicators=("indicator", "count"))
        .assign(achievement=lambda f: f["achievement"].round(1))
    )
