"""The overview (/) and the policy roll-up (/rollup/) of one fiscal year."""

import pandas as pd

from evalsheets.lib.charts import render_figure
from finance import charts as finance_charts
from programs import analytics, charts, selectors, trends
from programs.findings import findings_by_code, severity_counts

SMALL_MULTIPLES = 12  # charts in the overview's grid: the largest budgets, the rest are in the table


def overview_context(*, fiscal_year: int | None) -> dict:
    if fiscal_year is None:
        return {"fiscal_year": None}
    year_sheets = selectors.rollup_frame(fiscal_year=fiscal_year)
    sheets = selectors.sheet_frame(codes=list(year_sheets["code"]))
    sheets = sheets[sheets["sheet_fiscal_year"] <= fiscal_year]
    trend = trends.budget_trend(sheets)
    history = trends.indicator_trend(sheets)
    latest = history.sort_values("fiscal_year").groupby(["code", "indicator"]).tail(1).dropna(subset=["achievement"])
    largest = list(year_sheets.sort_values("budget", ascending=False)["code"].head(SMALL_MULTIPLES))
    budget = year_sheets["budget"].sum()
    settlement = year_sheets["settlement"].sum()
    counts = analytics.classification_counts(year_sheets)
    findings = findings_by_code(fiscal_year=fiscal_year)
    return {
        "fiscal_year": fiscal_year,
        "headline": {
            "programs": len(year_sheets),
            "budget": int(budget),
            "settlement": int(settlement),
            "execution_rate": None if not budget else round(float(settlement) * 100 / float(budget), 1),
            "indicators_on_track": int((latest["achievement"] >= 100).sum()),
            "indicators_behind": int((latest["achievement"] < 100).sum()),
        },
        "programs": [
            {**program, "finding_counts": severity_counts(findings.get(program["code"], []))}
            for program in year_sheets[
                ["code", "name", "budget", "settlement", "classification_current", "classification_next"]
            ].to_dict("records")
        ],
        "findings": sum(len(found) for found in findings.values()),
        "classification": counts.to_dict("records"),
        "multiples_capped": len(year_sheets) > SMALL_MULTIPLES,
        "small_multiples": SMALL_MULTIPLES,
        "charts": {
            "multiples": render_figure(
                finance_charts.programs_small_multiples(trend[trend["code"].isin(largest)]), div_id="chart-overview-programs"
            ),
            "classification": render_figure(
                charts.classification_bars(counts, fiscal_year=fiscal_year), div_id="chart-overview-classification"
            ),
        },
    }


def rollup_context(*, fiscal_year: int | None) -> dict:
    if fiscal_year is None:
        return {"fiscal_year": None, "nodes": []}
    nodes = analytics.rollup(selectors.rollup_frame(fiscal_year=fiscal_year))
    nodes["depth"] = nodes["level"].map({"field": 0, "policy": 1, "measure": 2, "program": 3})
    ordered = _tree_order(nodes)
    return {
        "fiscal_year": fiscal_year,
        "nodes": ordered.to_dict("records"),
        "chart": render_figure(charts.rollup_treemap(nodes, fiscal_year=fiscal_year), div_id="chart-rollup"),
    }


def _tree_order(nodes: pd.DataFrame) -> pd.DataFrame:
    """Nodes in depth-first order (each node followed by its children), for an indented table."""
    children = {parent: group.sort_values("label") for parent, group in nodes.groupby("parent")}
    ordered = []

    def visit(parent):
        for _, node in children.get(parent, pd.DataFrame()).iterrows():
            ordered.append(node)
            visit(node["id"])

    visit("")
    return pd.DataFrame(ordered) if ordered else nodes
