"""Pure pandas over sheet-level frames: the year's headline, policy roll-up and classification distribution."""

import pandas as pd

from evalsheets.lib.rates import execution_rate, execution_rate_series
from programs.choices import Classification

PROGRAM_COLUMNS = [
    "code",
    "name",
    "budget",
    "settlement",
    "settlement_is_estimate",
    "classification_current",
    "classification_next",
]

LEVELS = [("field", "分野"), ("policy", "政策"), ("measure", "施策"), ("program", "事務事業")]


def settled_year(year_sheets: pd.DataFrame) -> int | None:
    """The latest fiscal year any of the year's sheets has a final settlement for (a 見込み is not one)."""
    years = year_sheets["latest_settled_year"].dropna()
    return None if years.empty else int(years.max())


def with_settled(year_sheets: pd.DataFrame) -> pd.DataFrame:
    """Adds `settled_budget` and `settled`: each program's 予算額 and final 決算額 of the settled_year, NA for a
    program whose settlement of that year is not final or missing (counted as 決算未確定, never as 0)."""
    year = settled_year(year_sheets)
    same = year_sheets["latest_settled_year"] == year if year is not None else pd.Series(False, index=year_sheets.index)
    same = same.fillna(False).astype(bool)
    return year_sheets.assign(
        settled_budget=year_sheets["latest_settled_budget"].where(same),
        settled=year_sheets["latest_settled_settlement"].where(same),
    )


def rollup(frame: pd.DataFrame) -> pd.DataFrame:
    """Totals at every node of 分野 → 政策 → 施策 → 事務事業: the year's 予算額, and the settled year's 予算額, 決算額
    and 執行率 over the programs settled that year, with the number of programs not settled (`unsettled`).

    `frame`: rollup_frame with_settled (one row per sheet). Sums of nothing are NA, never 0.
    Returns rows with `level`, `id` (unique node key), `parent`, `label`, the filter to drill down with, and totals.
    """
    columns = [
        "level",
        "id",
        "parent",
        "label",
        "filter",
        "budget",
        "settled_budget",
        "settled",
        "execution_rate",
        "unsettled",
        "programs",
    ]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    frame = frame.assign(unsettled=frame["settled"].isna().astype(int))
    parts = []
    keys = {
        "field": ["field_id"],
        "policy": ["field_id", "policy_id"],
        "measure": ["field_id", "policy_id", "measure_id"],
        "program": ["field_id", "policy_id", "measure_id", "code"],
    }
    total = lambda values: values.sum(min_count=1)  # noqa: E731 - all missing stays missing
    for level, _label in LEVELS:
        grouped = frame.groupby(keys[level], as_index=False).agg(
            budget=("budget", total),
            settled_budget=("settled_budget", total),
            settled=("settled", total),
            unsettled=("unsettled", "sum"),
            programs=("code", "nunique"),
            label=(f"{level}_label" if level != "program" else "program_label", "first"),
            filter_value=(f"{level}_id" if level != "program" else "code", "first"),
        )
        grouped["execution_rate"] = execution_rate_series(budget=grouped["settled_budget"], settlement=grouped["settled"])
        grouped["level"] = level
        grouped["id"] = grouped[keys[level]].astype(str).agg("/".join, axis=1)
        parent_keys = keys[level][:-1]
        grouped["parent"] = grouped[parent_keys].astype(str).agg("/".join, axis=1) if parent_keys else ""
        grouped["filter"] = (
            f"{level}=" + grouped["filter_value"].astype(str) if level != "program" else "q=" + grouped["filter_value"]
        )
        parts.append(grouped[columns])
    return pd.concat(parts, ignore_index=True)


def classification_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Number of programs by 分類, this year and next, in the form's order (zeros included)."""
    order = [c.value for c in Classification]
    current = frame["classification_current"].value_counts().reindex(order, fill_value=0)
    following = frame["classification_next"].value_counts().reindex(order, fill_value=0)
    return pd.DataFrame({"classification": order, "current": current.to_numpy(), "next": following.to_numpy()})


def year_headline(year_sheets: pd.DataFrame, *, indicator_counts: dict[str, int]) -> dict:
    """The overview's headline of one fiscal year (`year_sheets`: rollup_frame).

    - 予算額: the year's own budgets (programs without one are counted, not summed as 0);
    - 決算: the settled year (the latest with a final settlement), its 決算額 and 執行率 over the programs settled
      that year, and how many of the year's programs are not (決算未確定);
    - 見込み: the year's own settlements that are estimates, summed apart and never mixed with the above.
    """
    settled = with_settled(year_sheets)
    both = settled[settled["settled"].notna() & settled["settled_budget"].notna()]
    settled_budget, settled_total = int(both["settled_budget"].sum()), int(both["settled"].sum())
    rate = execution_rate(budget=settled_budget, settlement=settled_total) if len(both) else None
    estimates = year_sheets[year_sheets["settlement_is_estimate"].fillna(False).astype(bool)]
    return {
        "programs": len(year_sheets),
        "budget": int(year_sheets["budget"].sum()),
        "budget_missing": int(year_sheets["budget"].isna().sum()),
        "settled_year": settled_year(year_sheets),
        "settled_budget": settled_budget if len(both) else None,
        "settled": settled_total if len(both) else None,
        "execution_rate": None if rate is None else float(rate),
        "unsettled": int(settled["settled"].isna().sum()),
        "estimate": int(estimates["settlement"].sum()) if len(estimates) else None,
        "estimates": len(estimates),
        "indicators_on_track": indicator_counts["on_track"],
        "indicators_behind": indicator_counts["behind"],
    }


def program_rows(year_sheets: pd.DataFrame) -> list[dict]:
    """One record per program of the year (code, name, own-year budget and settlement, 分類), in code order."""
    return year_sheets[PROGRAM_COLUMNS].to_dict("records")


def largest_budgets(year_sheets: pd.DataFrame, trend: pd.DataFrame, *, count: int) -> pd.DataFrame:
    """The trend rows of the `count` programs with the largest own-year budget."""
    largest = year_sheets.sort_values("budget", ascending=False)["code"].head(count)
    return trend[trend["code"].isin(list(largest))]


DEPTHS = {"field": 0, "policy": 1, "measure": 2, "program": 3}


def rollup_tree(nodes: pd.DataFrame) -> pd.DataFrame:
    """Roll-up nodes in depth-first order (each node followed by its children, by label), with their `depth`."""
    nodes = nodes.assign(depth=nodes["level"].map(DEPTHS))
    children = {parent: group.sort_values("label") for parent, group in nodes.groupby("parent")}
    ordered = []

    def visit(parent):
        for _, node in children.get(parent, pd.DataFrame()).iterrows():
            ordered.append(node)
            visit(node["id"])

    visit("")
    return pd.DataFrame(ordered) if ordered else nodes
