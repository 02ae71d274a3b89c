"""Pure pandas for the 改善策 ledger: a program's money and indicator values by year, from the frames the finance and
indicators analytics already build (finance.analytics.budget_trend, indicators.analytics.indicator_history: each
year's figure from the newest sheet reporting it), turned into plain lookups for the page and the CSV."""

import pandas as pd


def _plain(value):
    return None if pd.isna(value) else value


def money_by_year(trend: pd.DataFrame) -> dict[tuple[str, int], dict]:
    """{(code, fiscal year): {"budget", "settlement", "estimate"}}: 予算額 and 決算額 (千円; None when not reported —
    never 0), `estimate` True when the settlement is a 見込み."""
    figures = {}
    for row in trend.to_dict("records"):
        figures[(row["code"], int(row["fiscal_year"]))] = {
            "budget": _plain(row["budget"]),
            "settlement": _plain(row["settlement"]),
            "estimate": bool(row["settlement_is_estimate"]) and not pd.isna(row["settlement"]),
        }
    return figures


def indicator_values_by_year(history: pd.DataFrame) -> dict[tuple[str, str, str], dict[int, dict]]:
    """{(code, kind, indicator name): {fiscal year: {"value", "decimals", "estimate"}}}."""
    values: dict[tuple[str, str, str], dict[int, dict]] = {}
    for row in history.to_dict("records"):
        key = (row["code"], row["kind"], row["indicator"])
        values.setdefault(key, {})[int(row["fiscal_year"])] = {
            "value": row["value"],
            "decimals": int(row["decimals"]),
            "estimate": bool(row["is_estimate"]),
        }
    return values


def indicator_lookup(indicators: pd.DataFrame) -> tuple[dict[int, dict], dict[tuple[int, str, int], int]]:
    """({indicator id: its name, kind, unit, direction, number}, {(sheet id, kind, number): indicator id})."""
    by_id, by_number = {}, {}
    for row in indicators.to_dict("records"):
        by_id[int(row["id"])] = {k: row[k] for k in ("name", "kind", "unit", "direction", "number")}
        by_number[(int(row["sheet_id"]), row["kind"], int(row["number"]))] = int(row["id"])
    return by_id, by_number
