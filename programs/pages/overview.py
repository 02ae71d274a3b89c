"""/: the overview of one fiscal year (headline, programs with their findings, small multiples, 分類).

Sized for tens of thousands of sheets: the headline, counts and 分類 are SQL aggregates, the program table lists at
most PROGRAM_ROWS programs (in code order; the rest through /sheets/ filtered by the year), the small multiples load
frames for the SMALL_MULTIPLES programs drawn only. Several municipalities: one summary row each (one grouped query)
linking to its own overview; the full section is shown for one municipality (the only one, or the one asked for).
Everything is cached per data version (evalsheets/lib/cache.py).
"""

from evalsheets.lib.cache import cached, data_version
from evalsheets.lib.charts import render_figure, render_figures
from finance import analytics as finance_analytics
from finance import charts as finance_charts
from finance import selectors as finance_selectors
from programs import analytics, charts, selectors
from programs.findings import SEVERITY_LABELS
from programs.profiles import vocabulary_choices

SMALL_MULTIPLES = 12  # charts in the overview's grid: the largest budgets, the rest are in the table
PROGRAM_ROWS = 100  # rows of the overview's program table; /sheets/?fiscal_year= lists them all


def overview_context(*, viewer, municipality=None) -> dict:
    """One municipality (the only one `viewer` may see sheets of, or the one asked for) at its latest fiscal year in
    full; several: a summary row per municipality, each at its own latest year."""
    version = data_version()
    latest = selectors.municipalities_latest_years(viewer=viewer, municipality=municipality)
    context = {"municipalities": [], "summary": [], "several": len(latest) > 1, "filtered": municipality}
    if len(latest) == 1:
        (one, year), *_ = latest
        context["municipalities"] = [
            cached(
                "overview",
                lambda: municipality_overview(municipality=one, fiscal_year=year, viewer=viewer),
                viewer=viewer,
                version=version,
                municipality=one.code,
                fiscal_year=year,
            )
        ]
    elif latest:
        context["summary"] = cached(
            "overview-summary", lambda: municipality_summary(latest, viewer=viewer), viewer=viewer, version=version
        )
    return context


def municipality_summary(latest, *, viewer) -> list[dict]:
    """Each municipality's headline at its own latest year (one grouped query for all of them)."""
    groups = selectors.year_figure_groups(viewer=viewer, years=latest)
    figures = analytics.headlines(groups)
    findings = selectors.year_finding_counts(viewer=viewer, years=latest)
    return [
        {"municipality": m, "fiscal_year": year, "headline": figures.get(m.pk), "findings": findings.get(m.pk, 0)}
        for m, year in latest
    ]


def municipality_overview(*, municipality, fiscal_year: int, viewer, suffix: str = "") -> dict:
    """One municipality's overview of one fiscal year. `suffix` keeps chart and heading ids unique on a page of
    several municipalities (the first keeps today's ids)."""
    groups = selectors.year_figure_groups(viewer=viewer, years=[(municipality, fiscal_year)])
    indicator_counts = selectors.outcome_achievement_counts(viewer=viewer, municipality=municipality, fiscal_year=fiscal_year)
    headline = analytics.headlines(groups, indicator_counts=indicator_counts)[municipality.pk]
    vocabulary = [value for value, _ in vocabulary_choices(municipality.code)]  # its form profile's 分類, in order
    pairs = selectors.classification_pairs(viewer=viewer, municipality=municipality, fiscal_year=fiscal_year)
    counts = analytics.classification_counts_of_pairs(pairs, vocabulary=vocabulary)
    years = [(municipality, fiscal_year)]
    rows = selectors.year_program_rows(viewer=viewer, municipality=municipality, fiscal_year=fiscal_year, limit=PROGRAM_ROWS)
    found = selectors.program_finding_counts(
        viewer=viewer, municipality=municipality, fiscal_year=fiscal_year, codes=[row["code"] for row in rows]
    )
    return {
        "municipality": municipality,
        "suffix": suffix,
        "fiscal_year": fiscal_year,
        "headline": headline,
        "programs": [{**row, "finding_counts": no_findings() | found.get(row["code"], {})} for row in rows],
        "programs_capped": headline["programs"] > len(rows),
        "findings": selectors.year_finding_counts(viewer=viewer, years=years).get(municipality.pk, 0),
        "classification": counts.to_dict("records"),
        "multiples_capped": headline["programs"] > SMALL_MULTIPLES,
        "small_multiples": SMALL_MULTIPLES,
        "charts": {
            "multiples": render_figures(
                finance_charts.programs_small_multiples(
                    largest_budgets_trend(viewer=viewer, municipality=municipality, fiscal_year=fiscal_year)
                ),
                div_id=f"chart-overview-programs{suffix}",
            ),
            "classification": render_figure(
                charts.classification_bars(counts, fiscal_year=fiscal_year), div_id=f"chart-overview-classification{suffix}"
            ),
        },
    }


def largest_budgets_trend(*, viewer, municipality, fiscal_year: int):
    """The budget trend of the year's SMALL_MULTIPLES largest budgets (frames of those programs only)."""
    codes = selectors.largest_budget_codes(
        viewer=viewer, municipality=municipality, fiscal_year=fiscal_year, count=SMALL_MULTIPLES
    )
    sheets = selectors.sheet_frame(viewer=viewer, municipality=municipality, codes=codes, up_to=fiscal_year)
    return finance_analytics.budget_trend(finance_selectors.budget_frame(sheet_ids=list(sheets["sheet_id"])), sheets)


def no_findings() -> dict[str, int]:
    """{"error": 0, "warning": 0, "info": 0}: the badges' counts of a program without findings."""
    return dict.fromkeys(SEVERITY_LABELS, 0)
