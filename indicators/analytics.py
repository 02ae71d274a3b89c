"""Pure pandas over indicator frames: achievement toward targets, tables by year."""

import numpy as np
import pandas as pd

from evalsheets.lib.fiscal_years import ALL_YEARS, YearRange
from evalsheets.lib.formatting import circled
from evalsheets.lib.frames import SHEET_IDENTITY, newest_report
from indicators.choices import Direction


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


def indicator_table(indicators: pd.DataFrame, values: pd.DataFrame) -> tuple[list[int], list[dict]]:
    """Years shown (the union of all value years) and one row per indicator with its values and latest achievement."""
    years = sorted(int(y) for y in values["fiscal_year"].unique()) if not values.empty else []
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
                "direction_label": Direction(record["direction"]).label,
                "cells": [_cell(cells, record["id"], year) for year in years],
                "latest_year": None if pd.isna(record["fiscal_year"]) else int(record["fiscal_year"]),
                "achievement": None if pd.isna(record["achievement"]) else float(record["achievement"]),
            }
        )
    return years, rows


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
    meta = indicators.rename(columns={"id": "owner_id", "name": "indicator"})
    joined = values.merge(meta, on="owner_id")
    sheet_cols = sheets[["sheet_id", "sheet_fiscal_year", "code", "name"]].rename(columns={"name": "program"})
    newest = newest_report(joined, sheet_cols, keys=["code", "indicator", "fiscal_year"])
    latest_meta = (
        joined.merge(sheet_cols, on="sheet_id")
        .sort_values("sheet_fiscal_year", ascending=False)
        .drop_duplicates(["code", "indicator"])[
            ["code", "indicator", "number", "direction", "target", "target_decimals", "target_fiscal_year"]
        ]
    )
    newest = newest.drop(columns=["number", "direction", "target", "target_decimals", "target_fiscal_year"]).merge(
        latest_meta, on=["code", "indicator"]
    )
    newest["achievement"] = achievement(newest["value"], newest["target"], newest["direction"])
    return years.clip(newest[columns].sort_values(["code", "number", "fiscal_year"]).reset_index(drop=True))


def indicator_series(history: pd.DataFrame) -> list[dict]:
    """One entry per program indicator of `indicator_history` (one program): its latest target and achievement,
    its rows, and a `values` frame for its chart."""
    series = []
    for (number, name), rows in history.groupby(["number", "indicator"], sort=True):
        latest = rows.iloc[-1]
        series.append(
            {
                "number": int(number),
                "mark": circled(int(number)),
                "name": name,
                "unit": latest["unit"],
                "target": latest["target"],
                "target_decimals": int(latest["target_decimals"]),
                "target_fiscal_year": latest["target_fiscal_year"],
                "achievement": None if pd.isna(latest["achievement"]) else float(latest["achievement"]),
                "rows": rows.to_dict("records"),
                "values": rows[["fiscal_year", "value", "decimals", "is_estimate"]],
            }
        )
    return series


def latest_achievement_counts(history: pd.DataFrame) -> dict[str, int]:
    """How many indicators (each at its latest year with an achievement) are on target (≥ 100%) and behind."""
    latest = history.sort_values("fiscal_year").groupby(["code", "indicator"]).tail(1).dropna(subset=["achievement"])
    return {"on_track": int((latest["achievement"] >= 100).sum()), "behind": int((latest["achievement"] < 100).sum())}


def activity_history(items: pd.DataFrame, values: pd.DataFrame, sheets: pd.DataFrame) -> pd.DataFrame:
    """Every program's 実績 values (item, unit, position, year, value), the newest sheet winning for each year."""
    activity = values.merge(items.rename(columns={"id": "owner_id", "name": "item"}), on="owner_id")
    return newest_report(activity, sheets[SHEET_IDENTITY], keys=["code", "item", "fiscal_year"])


def achievement_by_program(history: pd.DataFrame) -> pd.DataFrame:
    """Average achievement (%) of each program's indicators per year (indicators without a target are left out)."""
    if history.empty:
        return pd.DataFrame(columns=["code", "program", "fiscal_year", "achievement", "indicators"])
    judged = history.dropna(subset=["achievement"])
    return (
        judged.groupby(["code", "program", "fiscal_year"], as_index=False)
        .agg(achievement=("achievement", "mean"), indicators=("indicator", "count"))
        .assign(achievement=lambda f: f["achievement"].round(1))
    )
