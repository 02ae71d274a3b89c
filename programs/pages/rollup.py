"""/rollup/: totals of one fiscal year by 分野 → 政策 → 施策 (treemap and indented table), from SQL aggregates.

The tree stops at 施策 (a year of 46,000 sheets is a few hundred rows, not 9,000): each 施策 row opens its programs
in /sheets/ (?measure=), and ?measure=<id> on this page lists that one 施策's programs under it.
"""

from evalsheets.lib.cache import cached
from evalsheets.lib.charts import render_figure
from programs import analytics, charts, selectors


def rollup_context(*, municipality, fiscal_year: int | None, viewer, measure_id: int | None = None) -> dict:
    if fiscal_year is None:
        return {"municipality": municipality, "municipalities": selectors.municipalities(), "fiscal_year": None, "nodes": []}
    figures = cached(
        "rollup",
        lambda: rollup_figures(municipality=municipality, fiscal_year=fiscal_year, viewer=viewer, measure_id=measure_id),
        viewer=viewer,
        municipality=municipality.code,
        fiscal_year=fiscal_year,
        measure=measure_id,
    )
    return {"municipality": municipality, "municipalities": selectors.municipalities(), "fiscal_year": fiscal_year, **figures}


def rollup_figures(*, municipality, fiscal_year: int, viewer, measure_id: int | None) -> dict:
    groups = selectors.rollup_groups(viewer=viewer, municipality=municipality, fiscal_year=fiscal_year)
    programs = (
        None
        if measure_id is None
        else selectors.rollup_programs(viewer=viewer, municipality=municipality, fiscal_year=fiscal_year, measure_id=measure_id)
    )
    nodes = analytics.rollup(groups, programs)
    branches = nodes[nodes["level"] != "program"] if len(nodes) else nodes
    return {
        "settled_year": analytics.settled_year(groups),
        "expanded_filter": None if measure_id is None else f"measure={measure_id}",
        "nodes": analytics.rollup_tree(nodes).to_dict("records") if len(nodes) else [],
        "chart": render_figure(charts.rollup_treemap(branches, fiscal_year=fiscal_year), div_id="chart-rollup"),
    }
