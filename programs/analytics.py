"""Pure pandas over sheet-level frames: the year's headline, policy roll-up and classification distribution."""

import pandas as pd

from evalsheets.lib.rates import execution_rate
from programs.choices import Classification

PROGRAM_COLUMNS = ["code", "name", "budget", "settlement", "classification_current", "classification_next"]

LEVELS = [("field", "分野"), ("policy", "政策"), ("measure", "施策"), ("program", "事務事業")]


def rollup(frame: pd.DataFrame) -> pd.DataFrame:
    """Totals of budget and settlement at every node of 分野 → 政策 → 施策 → 事務事業.

    `frame`: one row per sheet with field/policy/measure ids, codes and names, code, name, budget, settlement.
    Returns rows with `level`, `id` (unique node key), `parent`, `label`, the filter to drill down with, and totals.
    """
    columns = ["level", "id", "parent", "label", "filter", "budget", "settlement", "programs"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    parts = []
    keys = {
        "field": ["field_id"],
        "policy": ["field_id", "policy_id"],
        "measure": ["field_id", "policy_id", "measure_id"],
        "program": ["field_id", "policy_id", "measure_id", "code"],
    }
    for level, _label in LEVELS:
        grouped = frame.groupby(keys[level], as_index=False).agg(
            budget=("budget", "sum"),
            settlement=("settlement", "sum"),
            programs=("code", "nunique"),
            label=(f"{level}_label" if level != "program" else "program_label", "first"),
            filter_value=(f"{level}_id" if level != "program" else "code", "first"),
        )
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
    """The overview's headline of one fiscal year: programs, summed own-year budget and settlement, their rate."""
    budget = int(year_sheets["budget"].sum())
    settlement = int(year_sheets["settlement"].sum())
    rate = execution_rate(budget=budget, settlement=settlement)
    return {
        "programs": len(year_sheets),
        "budget": budget,
        "settlement": settlement,
        "execution_rate": None if rate is None else float(rate),
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
