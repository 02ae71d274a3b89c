"""/rollup/: totals of one fiscal year by 分野 → 政策 → 施策 → 事務事業 (treemap and indented table)."""

from evalsheets.lib.charts import render_figure
from programs import analytics, charts, selectors


def rollup_context(*, municipality, fiscal_year: int | None, viewer) -> dict:
    if fiscal_year is None:
        return {"municipality": municipality, "municipalities": selectors.municipalities(), "fiscal_year": None, "nodes": []}
    year_sheets = selectors.rollup_frame(viewer=viewer, municipality=municipality, fiscal_year=fiscal_year)
    nodes = analytics.rollup(analytics.with_settled(year_sheets))
    return {
        "municipality": municipality,
        "municipalities": selectors.municipalities(),
        "fiscal_year": fiscal_year,
        "settled_year": analytics.settled_year(year_sheets),
        "nodes": analytics.rollup_tree(nodes).to_dict("records"),
        "chart": render_figure(charts.rollup_treemap(nodes, fiscal_year=fiscal_year), div_id="chart-rollup"),
    }
