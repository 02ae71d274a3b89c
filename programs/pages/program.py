"""/programs/<code>/: one program across all its sheets, each year's figure from the newest sheet reporting it."""

from evalsheets.lib.charts import render_figure
from finance import analytics as finance_analytics
from finance import charts as finance_charts
from finance import selectors as finance_selectors
from indicators import analytics as indicator_analytics
from indicators import charts as indicator_charts
from indicators import selectors as indicator_selectors
from indicators.choices import IndicatorKind
from programs import selectors
from programs.models import Program
from programs.pages.similar_programs import similar_programs_panel


def program_context(program: Program, *, viewer) -> dict:
    """`program` comes from selectors.program_queryset (its sheets, issues and plans prefetched)."""
    sheets = selectors.sheet_frame(viewer=viewer, municipality=program.municipality, codes=[program.code])
    ids = list(sheets["sheet_id"])
    trend = finance_analytics.budget_trend(finance_selectors.budget_frame(sheet_ids=ids), sheets)
    indicator_trend = indicator_analytics.indicator_history(*indicator_selectors.indicator_frames(sheet_ids=ids), sheets)
    panels = []
    for series in indicator_analytics.indicator_series(indicator_trend):
        values = series.pop("values")
        chart = indicator_charts.indicator_trend(series, values)
        chart_id = indicator_charts.indicator_chart_id(series, prefix="chart-program-indicator")
        panels.append(
            {**series, "title": indicator_charts.indicator_title(series), "chart": render_figure(chart, div_id=chart_id)}
        )
    return {
        "program": program,
        "similar": similar_programs_panel(program, viewer=viewer),
        "panels": {
            "budget": {
                "rows": trend.to_dict("records"),
                "chart": render_figure(finance_charts.budget_trend(trend), div_id="chart-program-budget"),
            },
            "indicators": panels,
            "indicator_kinds": any(panel["kind"] != IndicatorKind.OUTCOME for panel in panels),
        },
    }
