"""Pure pandas over sheet-level frames: policy roll-up and classification distribution."""

import pandas as pd

from programs.choices import Classification

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
