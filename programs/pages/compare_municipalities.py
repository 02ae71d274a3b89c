"""/compare/municipalities/: the programs of one 事業の種別 in every municipality side by side — 事業費 and 総事業費, per
person, per unit of an activity indicator, and the achievement of their 成果指標 — four panels, each a chart, its table
and a CSV download.

Each year's figure comes from the newest sheet reporting it (as on the program page); a 見込み stays marked and is
never counted as a settlement; a figure that cannot be computed (no 人件費, no population, no activity indicator) is
missing with its reason, never 0. The loads are one query each, however many sheets there are.
"""

from dataclasses import dataclass, field

from django.utils.functional import SimpleLazyObject

from evalsheets.lib.cache import cached, page_key
from evalsheets.lib.charts import render_figure
from evalsheets.lib.fiscal_years import YearRange
from evalsheets.lib.frames import Frames, table
from finance import selectors as finance_selectors
from finance.analytics import MEASURE_LABELS
from indicators import analytics as indicator_analytics
from indicators import selectors as indicator_selectors
from programs import analytics, charts, selectors
from programs.forms import MunicipalityCompareForm
from programs.models import ProgramKind

# programs compared at most: with more of the kind, each municipality's largest (予算額 of the newest sheet), an equal
# number per municipality, so a page of 23 wards × 400 programs stays a page
MAX_PROGRAMS = 48


@dataclass
class Selection:
    kind: ProgramKind | None
    years: YearRange = field(default_factory=YearRange)
    measure: str = "settlement"


def selection_from(form: MunicipalityCompareForm) -> Selection:
    """The valid part of the form; the kind by default: the first (by position) that programs of two or more
    municipalities share, else the first that has any program, else none."""
    data = form.cleaned_data if form.is_valid() else {}
    kinds = {kind.code: kind for kind in form.kinds}
    kind = kinds.get(data.get("kind") or "")
    if kind is None:
        kind = next((k for k in form.kinds if k.municipality_count >= 2), None)
        kind = kind or next((k for k in form.kinds if k.municipality_count >= 1), None)
    return Selection(
        kind=kind, years=YearRange(data.get("year_from"), data.get("year_to")), measure=data.get("measure") or "settlement"
    )


def comparison_frames(selection: Selection, *, viewer) -> Frames:
    """Every panel's frame, cached per data version, visibility and selection (evalsheets/lib/cache.py)."""
    return cached(
        "compare-municipalities", lambda: computed_frames(selection, viewer=viewer), viewer=viewer, **selection_key(selection)
    )


def selection_key(selection: Selection) -> dict:
    """What a cached comparison depends on besides the data version and the viewer's visibility."""
    return {
        "kind": None if selection.kind is None else selection.kind.code,
        "years": (selection.years.first, selection.years.last),
        "measure": selection.measure,
    }


def computed_frames(selection: Selection, *, viewer) -> Frames:
    kind = selection.kind
    capped = kind is not None and kind.programs_visible > MAX_PROGRAMS
    # one query whether capped or not (the same queries for any number of sheets)
    share = max(1, MAX_PROGRAMS // max(1, kind.municipality_count)) if capped else MAX_PROGRAMS
    ids = None if kind is None else selectors.kind_largest_programs(viewer=viewer, kind=kind, per_municipality=share)
    sheets = selectors.kind_sheet_frame(viewer=viewer, kind=kind, program_ids=ids)
    ids = list(sheets["sheet_id"])
    populations = selectors.population_frame(municipality_ids=sheets["municipality_id"])
    costs = analytics.municipality_costs(
        finance_selectors.budget_frame(sheet_ids=ids, years=selection.years),
        finance_selectors.personnel_frame(sheet_ids=ids),
        sheets,
        populations,
        measure=selection.measure,
        years=selection.years,
    )
    history = indicator_analytics.indicator_history(
        *indicator_selectors.indicator_frames(sheet_ids=ids), sheets, years=selection.years
    )
    return {
        "programs": analytics.kind_programs(sheets),
        "capped": capped,
        "costs": costs,
        "per_person": costs,
        "per_unit": analytics.cost_per_activity(costs, history),
        "achievement": analytics.latest_achievements(history, sheets),
    }


# columns of words (left-aligned); every other column is a figure
TEXT_KEYS = ["municipality", "program_code", "name", "is_estimate", "indicator", "indicator_label", "unit"]
NOTE_KEYS = ["note", "personnel_note", "population_note"]
TEXT_KEYS += NOTE_KEYS
IDENTITY_COLUMNS = {"municipality": "団体", "program_code": "コード", "name": "事務事業名"}


def comparison_tables(frames: Frames, selection: Selection) -> dict[str, dict]:
    cost = cost_label(selection.measure)
    year = {"fiscal_year": "年度"} | ({"is_estimate": "決算（見込み／確定）"} if selection.measure == "settlement" else {})
    return {
        "costs": table(
            frames["costs"],
            IDENTITY_COLUMNS
            | year
            | {
                "project_cost": f"事業費（{cost}・千円）",
                "personnel": "人件費（千円）",
                "total_cost": "総事業費（事業費＋人件費・千円）",
                "personnel_note": "注記",
            },
        ),
        "per_person": table(
            frames["per_person"],
            IDENTITY_COLUMNS
            | year
            | {
                "population": "人口（人）",
                "project_cost_per_person_yen": "住民1人当たり事業費（円）",
                "total_cost_per_person_yen": "住民1人当たり総事業費（事業費＋人件費・円）",
                "population_note": "注記",
            },
        ),
        "per_unit": table(
            frames["per_unit"],
            IDENTITY_COLUMNS
            | {
                "fiscal_year": "年度",
                "is_estimate": f"見込み／確定（{'決算額・' if selection.measure == 'settlement' else ''}実績）",
            }
            | {
                "indicator": "活動指標",
                "unit": "単位",
                "count": "実績",
                "project_cost_per_unit_yen": "1単位当たり事業費（円）",
                "total_cost_per_unit_yen": "1単位当たり総事業費（事業費＋人件費・円）",
                "note": "注記",
            },
        ),
        "achievement": table(
            frames["achievement"],
            IDENTITY_COLUMNS
            | {
                "indicator_label": "成果指標",
                "unit": "単位",
                "target": "目標値",
                "target_fiscal_year": "目標年度",
                "fiscal_year": "年度",
                "value": "実績",
                "is_estimate": "実績（見込み／確定）",
                "achievement": "達成度（%）",
                "note": "注記",
            },
        ),
    }


def cost_label(measure: str) -> str:
    return "予算額" if measure == "budget" else "決算額（見込みの年度は決算見込額）"


PANEL_TITLES = {
    "costs": "事業費・総事業費の推移",
    "per_person": "住民1人当たりの事業費・総事業費",
    "per_unit": "活動指標1単位当たりの事業費・総事業費",
    "achievement": "成果指標の達成度（指標ごとの最新年度）",
}


def panel_notes(selection: Selection) -> dict[str, str]:
    basis = MEASURE_LABELS[selection.measure]
    estimate = (
        "見込みの年度は決算見込額で、表に見込みと明記し、グラフでは白抜きの点で示します（確定した決算としては扱いません）。"
    )
    return {
        "costs": (
            f"事業費は各年度の{basis}です。{estimate if selection.measure == 'settlement' else ''}"
            "総事業費（トータルコスト）＝事業費＋人件費（同じシート・年度・区分の人件費）。"
            "人件費の記載がない年度は総事業費を出していません（0円とはしていません）。"
        ),
        "per_person": (
            "円／人＝千円×1000÷その年度の人口。人口が登録されていない団体・年度は「人口未登録」として計算していません。"
            "人口は管理画面の「団体」で年度ごとに登録します。"
        ),
        "per_unit": (
            "事業ごとに、実績のある最初の活動指標1単位当たりの金額（円）です。単位は事業ごとに違うため、同じ単位の事業どうしで"
            "比べてください。活動指標のない事業は「活動指標なし」です（荒川区の実績の推移は活動指標ではありません）。"
        ),
        "achievement": (
            "成果指標ごとに、達成度が計算できる最新の年度（範囲内）です。達成度は目標値と方向（増加・減少・ゼロ）から"
            "計算し、目標値のない指標は計算していません。"
        ),
    }


def panels(frames: Frames, selection: Selection) -> list[dict]:
    figures = {
        "costs": charts.municipality_costs(frames["costs"], cost=cost_label(selection.measure)),
        "per_person": charts.municipality_per_person(frames["per_person"]),
        "per_unit": charts.municipality_per_unit(frames["per_unit"]),
        "achievement": charts.municipality_achievements(frames["achievement"]),
    }
    tables = comparison_tables(frames, selection)
    notes = panel_notes(selection)
    return [
        {
            "key": key,
            "title": title,
            "note": notes[key],
            "chart": render_figure(figures[key], div_id=f"chart-municipalities-{key}"),
            "table": tables[key],
        }
        for key, title in PANEL_TITLES.items()
    ]


def compare_municipalities_context(form: MunicipalityCompareForm) -> dict:
    selection = selection_from(form)
    frames = comparison_frames(selection, viewer=form.viewer)
    programs = frames["programs"].to_dict("records")
    return {
        "form": form,
        "selection": selection,
        "programs": programs,
        "municipality_count": len({program["municipality_code"] for program in programs}),
        "capped": frames["capped"],
        "max_programs": MAX_PROGRAMS,
        # computed only when the template's cached fragment (keyed by panels_key) is missing
        "panels_key": page_key("compare-municipalities-panels", viewer=form.viewer, **selection_key(selection)),
        "panels": SimpleLazyObject(lambda: panels(frames, selection)),
        "text_keys": TEXT_KEYS,
        "note_keys": NOTE_KEYS,
    }


def comparison_download(form: MunicipalityCompareForm, panel: str) -> dict:
    """The table of one panel (a key of PANEL_TITLES), for its CSV download."""
    selection = selection_from(form)
    return comparison_tables(comparison_frames(selection, viewer=form.viewer), selection)[panel]
