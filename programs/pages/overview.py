"""/: the overview of one fiscal year (headline, programs with their findings, small multiples, 分類)."""

from evalsheets.lib.charts import render_figure, render_figures
from finance import analytics as finance_analytics
from finance import charts as finance_charts
from finance import selectors as finance_selectors
from indicators import analytics as indicator_analytics
from indicators import selectors as indicator_selectors
from programs import analytics, charts, selectors
from programs.findings import findings_by_code, severity_counts
from programs.profiles import vocabulary_choices

SMALL_MULTIPLES = 12  # charts in the overview's grid: the largest budgets, the rest are in the table


def overview_context(*, viewer, municipality=None) -> dict:
    """Each municipality `viewer` may see sheets of (or the one asked for), at its own latest fiscal year."""
    latest = selectors.municipalities_latest_years(viewer=viewer, municipality=municipality)
    return {
        "municipalities": [
            municipality_overview(municipality=m, fiscal_year=year, viewer=viewer, suffix="" if i == 0 else f"-m{m.code}")
            for i, (m, year) in enumerate(latest)
        ],
        "several": len(latest) > 1,
        "filtered": municipality,
    }


def municipality_overview(*, municipality, fiscal_year: int, viewer, suffix: str = "") -> dict:
    """One municipality's overview of one fiscal year. `suffix` keeps chart and heading ids unique on a page of
    several municipalities (the first keeps today's ids)."""
    year_sheets = selectors.rollup_frame(viewer=viewer, municipality=municipality, fiscal_year=fiscal_year)
    sheets = selectors.sheet_frame(viewer=viewer, municipality=municipality, codes=list(year_sheets["code"]), up_to=fiscal_year)
    ids = list(sheets["sheet_id"])
    trend = finance_analytics.budget_trend(finance_selectors.budget_frame(sheet_ids=ids), sheets)
    indicator_trend = indicator_analytics.indicator_history(*indicator_selectors.indicator_frames(sheet_ids=ids), sheets)
    vocabulary = [value for value, _ in vocabulary_choices(municipality.code)]  # its form profile's 分類, in order
    counts = analytics.classification_counts(year_sheets, vocabulary=vocabulary)
    findings = findings_by_code(viewer=viewer, municipality=municipality, fiscal_year=fiscal_year)
    return {
        "municipality": municipality,
        "suffix": suffix,
        "fiscal_year": fiscal_year,
        "headline": analytics.year_headline(
            year_sheets, indicator_counts=indicator_analytics.latest_achievement_counts(indicator_trend)
        ),
        "programs": [
            {**program, "finding_counts": severity_counts(findings.get(program["code"], []))}
            for program in analytics.program_rows(year_sheets)
        ],
        "findings": sum(len(found) for found in findings.values()),
        "classification": counts.to_dict("records"),
        "multiples_capped": len(year_sheets) > SMALL_MULTIPLES,
        "small_multiples": SMALL_MULTIPLES,
        "charts": {
            "multiples": render_figures(
                finance_charts.programs_small_multiples(analytics.largest_budgets(year_sheets, trend, count=SMALL_MULTIPLES)),
                div_id=f"chart-overview-programs{suffix}",
            ),
            "classification": render_figure(
                charts.classification_bars(counts, fiscal_year=fiscal_year), div_id=f"chart-overview-classification{suffix}"
            ),
        },
    }
