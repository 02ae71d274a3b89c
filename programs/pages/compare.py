"""/compare/: the selection form and the comparison panels (each a chart, its table and a CSV download)."""

from dataclasses import dataclass

import pandas as pd
from django import forms

from evalsheets.lib.charts import render_figure
from evalsheets.lib.frames import newest_report, table
from finance import analytics as finance_analytics
from finance import charts as finance_charts
from finance import selectors as finance_selectors
from indicators import analytics as indicator_analytics
from indicators import charts as indicator_charts
from indicators import selectors as indicator_selectors
from programs import selectors, trends
from programs.models.sheet import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR


class CompareForm(forms.Form):
    programs = forms.MultipleChoiceField(label="事務事業", required=False, widget=forms.CheckboxSelectMultiple)
    year_from = forms.IntegerField(label="年度（から）", required=False, min_value=MIN_FISCAL_YEAR, max_value=MAX_FISCAL_YEAR)
    year_to = forms.IntegerField(label="年度（まで）", required=False, min_value=MIN_FISCAL_YEAR, max_value=MAX_FISCAL_YEAR)
    measure = forms.ChoiceField(
        label="比較する金額", required=False, choices=list(finance_analytics.MEASURE_LABELS.items()), initial="settlement"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programs"].choices = selectors.program_choices()

    def clean(self):
        data = super().clean()
        if data.get("year_from") and data.get("year_to") and data["year_from"] > data["year_to"]:
            self.add_error("year_to", "「まで」は「から」以降の年度にしてください")
        return data


DEFAULT_PROGRAMS = 12  # a section with more programs starts with its largest budgets; the form selects any


@dataclass
class Selection:
    codes: list[str]
    year_from: int | None
    year_to: int | None
    measure: str
    capped: bool = False


def selection_from(form: CompareForm) -> Selection:
    """The valid part of the form; defaults: the programs of the latest sheet's 課, all years, 決算額."""
    data = form.cleaned_data if form.is_valid() else {}
    codes = data.get("programs") or []
    capped = False
    if not codes:
        latest = selectors.latest_sheet()
        codes = (
            []
            if latest is None
            else selectors.section_codes_by_budget(section_id=latest.section_id, fiscal_year=latest.fiscal_year)
        )
        capped = len(codes) > DEFAULT_PROGRAMS
        codes = sorted(codes[:DEFAULT_PROGRAMS])
    return Selection(
        codes=codes,
        year_from=data.get("year_from"),
        year_to=data.get("year_to"),
        measure=data.get("measure") or "settlement",
        capped=capped,
    )


def _in_range(frame: pd.DataFrame, selection: Selection) -> pd.DataFrame:
    if frame.empty:
        return frame
    keep = pd.Series(True, index=frame.index)
    if selection.year_from:
        keep &= frame["fiscal_year"] >= selection.year_from
    if selection.year_to:
        keep &= frame["fiscal_year"] <= selection.year_to
    return frame[keep]


BUDGET_COLUMNS = {
    "code": "コード",
    "name": "事務事業名",
    "fiscal_year": "年度",
    "budget": "予算額（千円）",
    "settlement": "決算額（千円）",
    "settlement_is_estimate": "決算見込み",
    "execution_rate": "執行率（%）",
    "reported_in": "報告シートの年度",
}


def comparison_frames(selection: Selection) -> dict[str, pd.DataFrame]:
    """Every comparison as a frame (the same numbers as the charts), keyed by panel name."""
    sheets = selectors.sheet_frame(codes=selection.codes)
    ids = list(sheets["sheet_id"])
    identity = sheets[trends.IDENTITY]
    trend = _in_range(trends.budget_trend(sheets), selection)
    cost_lines = _in_range(
        newest_report(finance_selectors.cost_frame(sheet_ids=ids), identity, keys=["code", "fiscal_year", "account"]), selection
    )
    history = _in_range(trends.indicator_trend(sheets), selection)
    items, item_values = indicator_selectors.activity_frames(sheet_ids=ids)
    activity = item_values.merge(items.rename(columns={"id": "owner_id", "name": "item"}), on="owner_id")
    activity = newest_report(activity, identity, keys=["code", "item", "fiscal_year"])
    return {
        "budget": trend,
        "share": finance_analytics.share_of_total(trend, measure=selection.measure),
        "change": finance_analytics.year_on_year(trend, measure=selection.measure),
        "cost": finance_analytics.cost_by_program(cost_lines),
        "achievement": indicator_analytics.achievement_by_program(history),
        "unit_cost": _in_range(finance_analytics.unit_cost(trend, activity), selection),
    }


def comparison_tables(frames: dict[str, pd.DataFrame], selection: Selection) -> dict[str, dict]:
    label = finance_analytics.MEASURE_LABELS[selection.measure]
    cost_columns = {"code": "コード", "name": "事務事業名", "fiscal_year": "年度"}
    cost_columns |= {
        c: f"{c}（千円）"
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


PANEL_TITLES = {
    "budget": "予算額・決算額と執行率",
    "share": "構成比の推移",
    "change": "対前年度増減",
    "cost": "行政コスト計算書の構成",
    "achievement": "成果指標の達成度",
    "unit_cost": "単位当たりコスト",
}


def comparison_panels(frames: dict[str, pd.DataFrame], selection: Selection) -> list[dict]:
    measure = selection.measure
    figures = {
        "budget": finance_charts.programs_budget(frames["budget"], measure=measure),
        "share": finance_charts.programs_share(frames["share"], measure=measure),
        "change": finance_charts.programs_year_on_year(frames["change"], measure=measure),
        "cost": finance_charts.programs_cost(frames["cost"]),
        "achievement": indicator_charts.programs_achievement(frames["achievement"]),
        "unit_cost": finance_charts.programs_unit_cost(frames["unit_cost"]),
    }
    tables = comparison_tables(frames, selection)
    return [
        {"key": key, "title": title, "chart": render_figure(figures[key], div_id=f"chart-compare-{key}"), "table": tables[key]}
        for key, title in PANEL_TITLES.items()
    ]
