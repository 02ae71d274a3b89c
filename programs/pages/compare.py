"""/compare/: the chosen programs side by side, six panels (each a chart, its table and a CSV download).

The year range is applied once, where the figures are loaded (selectors filter in SQL; indicator
achievement takes each indicator's newest target first and clips last).
"""

from dataclasses import dataclass, field

from django.utils.functional import SimpleLazyObject

from evalsheets.lib.cache import cached, page_key
from evalsheets.lib.charts import render_figure, render_figures
from evalsheets.lib.fiscal_years import YearRange
from evalsheets.lib.frames import Frames, table
from finance import analytics as finance_analytics
from finance import charts as finance_charts
from finance import selectors as finance_selectors
from finance.choices import CostAccount
from indicators import analytics as indicator_analytics
from indicators import charts as indicator_charts
from indicators import selectors as indicator_selectors
from programs import selectors
from programs.forms import CompareForm

DEFAULT_PROGRAMS = 12  # a section with more programs starts with its largest budgets; the form selects any


@dataclass
class Selection:
    codes: list[str]
    years: YearRange = field(default_factory=YearRange)
    measure: str = "settlement"
    capped: bool = False


def compare_form(data, *, viewer, municipality) -> CompareForm:
    """The form, listing the programs of the chosen 課 of `municipality` (by default the 課 of its latest sheet `viewer`
    may see)."""
    latest = selectors.latest_sheet(viewer=viewer, municipality=municipality)
    if latest is None:
        return CompareForm(data or None, viewer=viewer, municipality=municipality)
    return CompareForm(
        data or None,
        viewer=viewer,
        municipality=municipality,
        default_section=latest.section_id,
        fiscal_year=latest.fiscal_year,
    )


def selection_from(form: CompareForm) -> Selection:
    """The valid part of the form; defaults: the largest programs of the listed 課, all years, 決算額."""
    data = form.cleaned_data if form.is_valid() else {}
    codes = data.get("programs") or []
    capped = False
    if not codes:
        section, fiscal_year = form.listed_section, form.fiscal_year
        codes = (
            []
            if section is None or fiscal_year is None
            else selectors.section_codes_by_budget(viewer=form.viewer, section_id=section, fiscal_year=fiscal_year)
        )
        capped = len(codes) > DEFAULT_PROGRAMS
        codes = sorted(codes[:DEFAULT_PROGRAMS])
    return Selection(
        codes=codes,
        years=YearRange(data.get("year_from"), data.get("year_to")),
        measure=data.get("measure") or "settlement",
        capped=capped,
    )


BUDGET_COLUMNS = {
    "code": "コード",
    "name": "事務事業名",
    "fiscal_year": "年度",
    "budget": "予算額（千円）",
    "settlement": "決算額（千円）",
    "settlement_is_estimate": "決算（見込み／確定）",
    "execution_rate": "執行率（%・確定した決算）",
    "unused": "不用額（千円）",
    "reported_in": "報告シートの年度",
}


def selection_key(selection: Selection, *, municipality) -> dict:
    """What a cached comparison depends on besides the data version and the viewer's visibility."""
    return {
        "municipality": municipality.code,
        "codes": sorted(selection.codes),
        "years": (selection.years.first, selection.years.last),
        "measure": selection.measure,
    }


def comparison_frames(selection: Selection, *, viewer, municipality) -> Frames:
    """Every comparison as a frame (the same numbers as the charts), keyed by panel name; cached per data version,
    visibility, municipality and selection (evalsheets/lib/cache.py)."""
    return cached(
        "compare",
        lambda: computed_frames(selection, viewer=viewer, municipality=municipality),
        viewer=viewer,
        **selection_key(selection, municipality=municipality),
    )


def computed_frames(selection: Selection, *, viewer, municipality) -> Frames:
    """comparison_frames, computed: frames of the chosen programs only (one query each)."""
    sheets = selectors.sheet_frame(viewer=viewer, municipality=municipality, codes=selection.codes)
    ids, years = list(sheets["sheet_id"]), selection.years
    trend = finance_analytics.budget_trend(finance_selectors.budget_frame(sheet_ids=ids, years=years), sheets)
    cost_lines = finance_analytics.newest_cost_lines(finance_selectors.cost_frame(sheet_ids=ids, years=years), sheets)
    indicator_trend = indicator_analytics.indicator_history(
        *indicator_selectors.indicator_frames(sheet_ids=ids), sheets, years=years
    )
    # every year of 実績 decides which item a program counts; the unit costs are those of the trend's years
    activity = indicator_analytics.activity_history(*indicator_selectors.activity_frames(sheet_ids=ids), sheets)
    return {
        "budget": trend,
        "share": finance_analytics.share_of_total(trend, measure=selection.measure),
        "change": finance_analytics.year_on_year(trend, measure=selection.measure),
        "cost": finance_analytics.cost_by_program(cost_lines),
        "achievement": indicator_analytics.achievement_by_program(indicator_trend),
        "unit_cost": finance_analytics.unit_cost(trend, activity),
        "rates": finance_analytics.rate_matrix(trend),
        "index": finance_analytics.indexed(trend, measure=selection.measure),
        "unused": finance_analytics.unused_ranking(trend),
    }


def comparison_tables(frames: Frames, selection: Selection) -> dict[str, dict]:
    label = finance_analytics.MEASURE_LABELS[selection.measure]
    cost_columns = {"code": "コード", "name": "事務事業名", "fiscal_year": "年度"}
    cost_columns |= {
        c: f"{CostAccount(c).label}（千円）"
        for c in frames["cost"].columns
        if c not in cost_columns and not c.endswith("_total") and c != "administrative_balance"
    }
    cost_columns |= {
        "expense_total": "行政費用合計（千円）",
        "revenue_total": "行政収入合計（千円）",
        "administrative_balance": "行政収支差額（千円）",
    }
    return {
        "budget": table(frames["budget"], BUDGET_COLUMNS),
        "share": table(
            frames["share"],
            {
                "code": "コード",
                "name": "事務事業名",
                "fiscal_year": "年度",
                selection.measure: f"{label}（千円）",
                "total": "合計（千円）",
                "share": "構成比（%）",
            },
        ),
        "change": table(
            frames["change"],
            {
                "code": "コード",
                "name": "事務事業名",
                "fiscal_year": "年度",
                selection.measure: f"{label}（千円）",
                "change": "対前年度増減（千円）",
                "change_rate": "対前年度増減率（%）",
            },
        ),
        "cost": table(frames["cost"], cost_columns),
        "achievement": table(
            frames["achievement"],
            {
                "code": "コード",
                "program": "事務事業名",
                "fiscal_year": "年度",
                "achievement": "達成度の平均（%）",
                "indicators": "指標数",
            },
        ),
        "multiples": table(frames["budget"], BUDGET_COLUMNS),
        "rates": table(
            frames["rates"],
            {
                "code": "コード",
                "name": "事務事業名",
                "fiscal_year": "年度",
                "execution_rate": "執行率（%・確定した決算）",
                "is_estimate": "決算（見込み／確定）",
            },
        ),
        "index": table(
            frames["index"],
            {
                "code": "コード",
                "name": "事務事業名",
                "fiscal_year": "年度",
                "value": f"{label}（千円）",
                "base_year": "基準の年度（＝100）",
                "index": "指数",
            },
        ),
        "unused": table(
            frames["unused"],
            {
                "code": "コード",
                "name": "事務事業名",
                "fiscal_year": "年度",
                "budget": "予算額（千円）",
                "settled": "決算額（千円・確定）",
                "unused": "不用額（千円）",
                "execution_rate": "執行率（%）",
            },
        ),
        "unit_cost": table(
            frames["unit_cost"],
            {
                "code": "コード",
                "name": "事務事業名",
                "fiscal_year": "年度",
                "item": "実績の事項",
                "settlement": "決算額（千円）",
                "count": "実績",
                "unit_cost": "単位当たりコスト（円）",
            },
        ),
    }


PANEL_NOTES = {
    "multiples": (
        "線は予算額、棒は決算額（明るい斜線の棒は決算見込み）。"
        "縦軸は事業ごとの金額に合わせています（事業の間で共有していません）。大きさは「予算額・決算額と執行率」で比べます。"
    ),
    "index": "各事業の最初の年度の金額を100とした指数です。規模の違う事業の伸びを並べて比べられます。",
    "rates": "確定した決算だけの執行率です。見込みの年度は色を付けず「見込み」と書いています。",
}

PANEL_TITLES = {
    "rates": "執行率の一覧",
    "unused": "不用額の順位",
    "index": "伸びの比較（最初の年度＝100）",
    "multiples": "事業ごとの予算額・決算額",
    "budget": "予算額・決算額と執行率",
    "share": "構成比の推移",
    "change": "対前年度増減",
    "cost": "行政コスト計算書の構成",
    "achievement": "成果指標の達成度",
    "unit_cost": "単位当たりコスト",
}


TEXT_KEYS = ["code", "name", "program", "item"]  # table columns that are text (the rest are numbers, right-aligned)


def compare_context(form: CompareForm) -> dict:
    """The panels are computed only when the template's cached fragment (keyed by `panels_key`) is missing."""
    selection = selection_from(form)
    viewer, municipality = form.viewer, form.municipality
    key = selection_key(selection, municipality=municipality)
    return {
        "form": form,
        "municipalities": selectors.municipalities(),
        "selection": selection,
        "panels_key": page_key("compare-panels", viewer=viewer, **key),
        "panel_titles": PANEL_TITLES,  # the table of contents (without computing the panels)
        "text_keys": TEXT_KEYS,
        "note_keys": [],
        "panels": SimpleLazyObject(
            lambda: comparison_panels(comparison_frames(selection, viewer=viewer, municipality=municipality), selection)
        ),
    }


def comparison_download(form: CompareForm, panel: str) -> dict:
    """The table of one panel (a key of PANEL_TITLES), for its CSV download."""
    selection = selection_from(form)
    return comparison_tables(comparison_frames(selection, viewer=form.viewer, municipality=form.municipality), selection)[panel]


def comparison_panels(frames: Frames, selection: Selection) -> list[dict]:
    measure = selection.measure
    figures = {
        "budget": finance_charts.programs_budget(frames["budget"], measure=measure),
        "share": finance_charts.programs_share(frames["share"], measure=measure),
        "change": finance_charts.programs_year_on_year(frames["change"], measure=measure),
        "cost": finance_charts.programs_cost(frames["cost"]),
        "achievement": indicator_charts.programs_achievement(frames["achievement"]),
        "unit_cost": finance_charts.programs_unit_cost(frames["unit_cost"]),
        "rates": finance_charts.programs_rate_heatmap(frames["rates"]),
        "index": finance_charts.programs_index(frames["index"], measure=measure),
        "unused": finance_charts.programs_unused_rank(frames["unused"]),
    }
    rendered = {key: render_figure(fig, div_id=f"chart-compare-{key}") for key, fig in figures.items()}
    rendered["multiples"] = render_figures(
        finance_charts.programs_small_multiples(frames["budget"]), div_id="chart-compare-multiples"
    )
    tables = comparison_tables(frames, selection)
    return [
        {
            "key": key,
            "title": title,
            "note": PANEL_NOTES.get(key, ""),
            "chart": rendered[key],
            "table": tables[key],
        }
        for key, title in PANEL_TITLES.items()
    ]
