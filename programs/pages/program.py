"""/programs/<code>/: one program across all its sheets, each year's figure from the newest sheet reporting it."""

from evalsheets.lib.charts import render_figure
from finance import analytics as finance_analytics
from finance import charts as finance_charts
from finance import selectors as finance_selectors
from indicators import analytics as indicator_analytics
from indicators import charts as indicator_charts
from indicators import selectors as indicator_selectors
from indicators.choices import IndicatorKind
from programs import issue_trends, selectors
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
        "issue_timeline": _issue_timeline(program),
        "issue_rule": {
            "min_words": issue_trends.MIN_SHARED_WORDS,
            "long_chars": issue_trends.LONG_WORD_CHARS,
            "years": issue_trends.CONTINUING_YEARS,
        },
        "diff_pairs": diff_pairs([sheet.fiscal_year for sheet in program.sheets.all()]),
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


def _issue_timeline(program: Program) -> list[dict]:
    """問題点・課題の推移: each year's sheet with its issues and their runs, from the prefetched sheets and issues (no
    query of its own)."""
    sheets = list(program.sheets.all())
    timeline = issue_trends.issue_timeline(
        (sheet.fiscal_year, [(issue.number, issue.text) for issue in sheet.issues.all()]) for sheet in sheets
    )
    return [{"sheet": sheet, "year": year} for sheet, year in zip(sheets, timeline, strict=True)]


def diff_pairs(fiscal_years: list[int]) -> list[dict]:
    """Each pair of consecutive years the program has sheets of (oldest first), for the 差分 links: the later year's
    /diff/ page, with ?from= when a year is missing between them."""
    return [
        {"from": old, "to": new, "query": "" if new == old + 1 else f"?from={old}"}
        for old, new in zip(fiscal_years, fiscal_years[1:], strict=False)
    ]
