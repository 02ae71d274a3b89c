"""Data-quality findings of sheets: figures that disagree with each other or with the form's rules.

Every check reads the same frames, loaded once for any number of sheets (a fixed number of
queries), and aggregates with pandas; only the flagged rows become `Finding`s.

Checks (code → severity):
- cost_total_mismatch (error): a printed 行政コスト計算書 total ≠ the total computed from the lines.
- settlement_over_budget (warning): 決算額 above 予算額 in a year of 予算・決算額等の推移.
- percentage_out_of_range (warning): a "%" indicator value above 100 or below 0. Change rates
  (増加率, 前年度比 …) are signed by nature and are not checked.
- indicator_without_target (warning): an indicator with no 目標値.
- estimate_in_closed_year (warning): figures still marked 見込み for a year before the evaluation
  year (one finding per year, listing them).
- classification_vs_trend (warning): 分類 (当年度) 重点的に推進/推進 while an indicator's
  achievement fell over its last three recorded years (two steps running).
- sub_item_exceeds_parent (warning): a 実績の推移 sub-item above its parent row (one per item).
- hierarchy_name_differs (warning): the sheet printed a 分野/政策/施策 code under another name than the stored one.
- breakdown_vs_budget (info): the 予算・決算の内訳 lines of a column do not add up to that year's
  予算額/決算額 (the form lists main items only, so this is for reference).
- funding_vs_cost (warning): the reported sources of 財源内訳 of a year and basis (予算/決算/見込み) do not add up
  to the 事業費 of the same year and basis (finance.analytics.funding_check).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd
from django.db import transaction
from django.db.models import Count, QuerySet

from evalsheets.lib.formatting import amount, circled, era_fiscal_year, printed_number
from finance import selectors as finance_selectors
from finance.analytics import funding_check
from finance.choices import AmountBasis, BreakdownKind, CostTotal
from finance.costs import cost_totals
from indicators import selectors as indicator_selectors
from indicators.analytics import achievement
from indicators.choices import Direction, IndicatorKind
from programs.choices import Classification
from programs.models import NameConflict, Sheet, SheetFinding

Severity = Literal["error", "warning", "info"]
SEVERITY_LABELS: dict[str, str] = {"error": "エラー", "warning": "警告", "info": "参考"}
# Where on the sheet page each finding is checked: (the form's heading, the id of that heading on the page).
PLACES: dict[str, tuple[str, str]] = {
    "cost_total_mismatch": ("行政コスト計算書", "cost-heading"),
    "settlement_over_budget": ("予算・決算額等の推移", "budget-heading"),
    "percentage_out_of_range": ("成果指標", "indicators-heading"),
    "indicator_without_target": ("成果指標", "indicators-heading"),
    "estimate_in_closed_year": ("予算・決算額等の推移・実績の推移・成果指標", "budget-heading"),
    "classification_vs_trend": ("事務事業の分類", "classification-heading"),
    "sub_item_exceeds_parent": ("実績の推移", "activity-heading"),
    "hierarchy_name_differs": ("行政評価事業体系", "sheet-outline"),
    "breakdown_vs_budget": ("予算・決算の内訳", "breakdown-heading"),
    "funding_vs_cost": ("財源内訳", "money-heading"),
}
PERCENT_UNITS = {"%", "％"}
CHANGE_RATE_WORDS = ("増加率", "減少率", "増減率", "伸び率", "伸率", "変化率", "前年比", "前年度比")
PUSHED_CLASSIFICATIONS = (Classification.PRIORITY.value, Classification.PROMOTE.value)
KEYS = ["sheet_id", "fiscal_year"]


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str
    sheet_id: int
    fiscal_year: int | None
    figures: dict = field(default_factory=dict, hash=False)

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]

    @property
    def place(self) -> tuple[str, str] | None:
        """(heading, anchor id) of the part of the sheet page to check, or None."""
        return PLACES.get(self.code)


@dataclass(frozen=True)
class Frames:
    """Everything the checks read, for a set of sheets."""

    sheets: pd.DataFrame  # sheet_id, sheet_fiscal_year, classification_current
    budget: pd.DataFrame
    breakdown_totals: pd.DataFrame  # sheet_id, fiscal_year, kind, total
    costs: pd.DataFrame
    stated: pd.DataFrame
    indicators: pd.DataFrame
    indicator_values: pd.DataFrame
    items: pd.DataFrame
    item_values: pd.DataFrame
    funding: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=finance_selectors.FUNDING_COLUMNS))
    name_conflicts: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=NAME_CONFLICT_COLUMNS))


# ---------------------------------------------------------------- loading (one query per frame)

SHEET_COLUMNS = ["sheet_id", "sheet_fiscal_year", "classification_current"]
NAME_CONFLICT_COLUMNS = ["sheet_id", "level", "code", "stored_name", "document_name"]


def name_conflict_frame(*, sheet_ids: list[int]) -> pd.DataFrame:
    """The 分野/政策/施策 names the sheets printed differently from the stored ones (programs.models.NameConflict)."""
    rows = NameConflict.objects.filter(sheet_id__in=sheet_ids).order_by("sheet_id", "id").values_list(*NAME_CONFLICT_COLUMNS)
    return pd.DataFrame.from_records(list(rows), columns=NAME_CONFLICT_COLUMNS)


def _sheets_frame(rows: Iterable[tuple]) -> pd.DataFrame:
    return pd.DataFrame.from_records(list(rows), columns=SHEET_COLUMNS).astype({"sheet_id": "int64"})


def breakdown_totals(breakdown: pd.DataFrame) -> pd.DataFrame:
    """Sum of the 内訳 lines per column: sheet_id, fiscal_year, kind, total."""
    keys = [*KEYS, "kind"]
    if breakdown.empty:
        return pd.DataFrame(columns=[*keys, "total"])
    return breakdown.groupby(keys, as_index=False)["amount"].sum().rename(columns={"amount": "total"})


def frames_from(*, sheets: pd.DataFrame, breakdown: pd.DataFrame, **loaded: pd.DataFrame) -> Frames:
    """Frames from frames already loaded by the selectors (the 内訳 as lines, as breakdown_frame gives them)."""
    return Frames(sheets=sheets, breakdown_totals=breakdown_totals(breakdown), **loaded)


def frames_load(*, sheets: pd.DataFrame) -> Frames:
    """Every frame the checks read: 10 queries, whatever the number of sheets."""
    ids = [int(i) for i in sheets["sheet_id"]]
    indicators, indicator_values = indicator_selectors.indicator_frames(sheet_ids=ids)
    items, item_values = indicator_selectors.activity_frames(sheet_ids=ids)
    return frames_from(
        sheets=sheets,
        budget=finance_selectors.budget_frame(sheet_ids=ids),
        breakdown=finance_selectors.breakdown_frame(sheet_ids=ids),
        costs=finance_selectors.cost_frame(sheet_ids=ids),
        stated=finance_selectors.stated_cost_frame(sheet_ids=ids),
        funding=finance_selectors.funding_frame(sheet_ids=ids),
        name_conflicts=name_conflict_frame(sheet_ids=ids),
        indicators=indicators,
        indicator_values=indicator_values,
        items=items,
        item_values=item_values,
    )


# ---------------------------------------------------------------- helpers


def _plain(value) -> int | float:
    """A figure for `Finding.figures`: 120.0 → 120, 46.05 → 46.05."""
    number = float(value)
    return int(number) if number.is_integer() else round(number, 3)


def _with_sheet(frame: pd.DataFrame, frames: Frames) -> pd.DataFrame:
    return frame.merge(frames.sheets, on="sheet_id", how="inner")


def _indicator_values(frames: Frames) -> pd.DataFrame:
    """Indicator values with their indicator's columns (sheet_id, number, name, unit, target, direction)."""
    columns = ["id", "sheet_id", "number", "name", "unit", "target", "direction"]
    columns += ["kind"] if "kind" in frames.indicators.columns else []
    return frames.indicator_values.merge(
        frames.indicators[columns].rename(columns={"id": "owner_id"}), on="owner_id", how="inner"
    )


def _kind(row) -> str:
    """An indicator row's kind (a namedtuple or a Series; frames made by hand may have no kind: 成果指標)."""
    return getattr(row, "kind", IndicatorKind.OUTCOME)


def _indicator_label(number: int, name: str, kind: str = IndicatorKind.OUTCOME) -> str:
    """指標①「…」 for a 成果指標 (as before kinds); 活動指標①「…」 / 対象指標①「…」 for the other kinds."""
    prefix = "指標" if kind == IndicatorKind.OUTCOME else IndicatorKind(kind).label
    return f"{prefix}{circled(int(number))}「{name}」"


# ---------------------------------------------------------------- checks


def _computed_cost_totals(costs: pd.DataFrame) -> pd.DataFrame:
    """Long frame sheet_id, fiscal_year, item, computed — by finance.costs.cost_totals over whole columns."""
    if costs.empty:
        return pd.DataFrame(columns=[*KEYS, "item", "computed"])
    table = costs.pivot_table(index=KEYS, columns="account", values="amount", aggfunc="sum", fill_value=0)
    totals = pd.DataFrame(cost_totals({account: table[account] for account in table.columns}), index=table.index)
    totals.columns.name = "item"
    return totals.stack().rename("computed").reset_index()


def cost_total_mismatch(frames: Frames) -> list[Finding]:
    if frames.stated.empty:
        return []
    merged = frames.stated.merge(_computed_cost_totals(frames.costs), on=[*KEYS, "item"], how="left")
    merged["computed"] = merged["computed"].fillna(0).astype("int64")
    merged["order"] = merged["item"].map({t.value: i for i, t in enumerate(CostTotal)})
    wrong = merged[merged["amount"] != merged["computed"]].sort_values([*KEYS, "order"])
    return [
        Finding(
            code="cost_total_mismatch",
            severity="error",
            message=(
                f"{era_fiscal_year(row.fiscal_year)}の行政コスト計算書「{CostTotal(row.item).label}」の記載額 "
                f"{amount(row.amount)} 千円が、勘定科目から計算した {amount(row.computed)} 千円と一致しません"
                f"（差 {amount(row.amount - row.computed)} 千円）。原本の合計欄と各勘定科目の金額を見比べ、違っている方を"
                "管理画面の「行政コスト計算書」で直してください。"
            ),
            sheet_id=int(row.sheet_id),
            fiscal_year=int(row.fiscal_year),
            figures={"item": row.item, "stated": int(row.amount), "computed": int(row.computed)},
        )
        for row in wrong.itertuples()
    ]


def settlement_over_budget(frames: Frames) -> list[Finding]:
    budget = frames.budget
    if budget.empty:
        return []
    over = budget[(budget["settlement"] > budget["budget"]).fillna(False).astype(bool)]
    return [
        Finding(
            code="settlement_over_budget",
            severity="warning",
            message=(
                f"{era_fiscal_year(row.fiscal_year)}の決算額{'（見込み）' if row.settlement_is_estimate else ''} "
                f"{amount(row.settlement)} 千円が予算額 {amount(row.budget)} 千円を上回っています"
                f"（超過 {amount(row.settlement - row.budget)} 千円）。「予算・決算額等の推移」の予算額（補正後か）と"
                "決算額を原本で確かめてください。"
            ),
            sheet_id=int(row.sheet_id),
            fiscal_year=int(row.fiscal_year),
            figures={
                "budget": int(row.budget),
                "settlement": int(row.settlement),
                "is_estimate": bool(row.settlement_is_estimate),
            },
        )
        for row in over.itertuples()
    ]


def percentage_out_of_range(frames: Frames) -> list[Finding]:
    values = _indicator_values(frames)
    if values.empty:
        return []
    is_percent = values["unit"].str.strip().isin(PERCENT_UNITS)
    is_change_rate = values["name"].str.contains("|".join(CHANGE_RATE_WORDS), regex=True)
    outside = (values["value"] > 100) | (values["value"] < 0)
    flagged = values[is_percent & ~is_change_rate & outside].sort_values(["sheet_id", "number", "fiscal_year"])
    return [
        Finding(
            code="percentage_out_of_range",
            severity="warning",
            message=(
                f"{_indicator_label(row.number, row.name, _kind(row))}の{era_fiscal_year(row.fiscal_year)}の値 "
                f"{printed_number(row.value, row.decimals)}% が 0〜100% の範囲外です。値と単位（%）を原本で確かめてください。"
            ),
            sheet_id=int(row.sheet_id),
            fiscal_year=int(row.fiscal_year),
            figures={"number": int(row.number), "name": row.name, "value": _plain(row.value)},
        )
        for row in flagged.itertuples()
    ]


def indicator_without_target(frames: Frames) -> list[Finding]:
    indicators = frames.indicators
    if indicators.empty:
        return []
    # an indicator with direction none (方向なし, e.g. a 対象指標) is not judged, so it needs no target
    missing = indicators[indicators["target"].isna() & (indicators["direction"] != Direction.NONE)]
    missing = missing.sort_values(["sheet_id", "number"])
    return [
        Finding(
            code="indicator_without_target",
            severity="warning",
            message=f"{_indicator_label(row.number, row.name, _kind(row))}に目標値がありません（達成度を計算できません）。"
            "目標値と目標年度を管理画面の「成果指標」に記入してください。",
            sheet_id=int(row.sheet_id),
            fiscal_year=None,
            figures={"number": int(row.number), "name": row.name},
        )
        for row in missing.itertuples()
    ]


def _estimates(frames: Frames) -> pd.DataFrame:
    """sheet_id, fiscal_year, part, name, label of every figure marked 見込み (part order: 決算額, 指標, 実績)."""
    budget = frames.budget[frames.budget["settlement_is_estimate"]].assign(part="budget", name="決算額", label="決算額", order=0)
    indicators = _indicator_values(frames)
    indicators = indicators[indicators["is_estimate"].astype(bool)].assign(part="indicator", order=1)
    indicators["label"] = [_indicator_label(row.number, row.name, _kind(row)) for row in indicators.itertuples()]
    items = frames.item_values.merge(
        frames.items[["id", "sheet_id", "name", "position"]].rename(columns={"id": "owner_id"}), on="owner_id"
    )
    items = items[items["is_estimate"].astype(bool)].assign(part="activity", order=2)
    items["label"] = "実績「" + items["name"] + "」"
    columns = [*KEYS, "part", "name", "label", "order"]
    parts = [frame[columns] for frame in (budget, indicators, items) if not frame.empty]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)


def estimate_in_closed_year(frames: Frames) -> list[Finding]:
    estimates = _with_sheet(_estimates(frames), frames)
    closed = estimates[estimates["fiscal_year"] < estimates["sheet_fiscal_year"]]
    closed = closed.sort_values([*KEYS, "order"], kind="stable")
    return [
        Finding(
            code="estimate_in_closed_year",
            severity="warning",
            message=(
                f"{era_fiscal_year(year)}は評価年度より前ですが、見込みのままの値があります: "
                f"{'、'.join(group['label'])}。決算・実績の確定値に更新してください。"
            ),
            sheet_id=int(sheet_id),
            fiscal_year=int(year),
            figures={"items": [{"part": p, "name": n} for p, n in zip(group["part"], group["name"], strict=True)]},
        )
        for (sheet_id, year), group in closed.groupby(KEYS, sort=True)
    ]


def _falling_twice(values: pd.DataFrame) -> pd.DataFrame:
    """Indicators whose achievement fell at each of the two steps between their last three recorded years."""
    values = values.sort_values(["owner_id", "fiscal_year"])
    values["achievement"] = achievement(values["value"], values["target"], values["direction"])
    last = values.groupby("owner_id").tail(3).copy()
    last["fell"] = last.groupby("owner_id")["achievement"].diff() < 0
    summary = last.groupby("owner_id").agg(years=("fiscal_year", "count"), judged=("achievement", "count"), falls=("fell", "sum"))
    owners = summary[(summary["years"] == 3) & (summary["judged"] == 3) & (summary["falls"] == 2)].index
    return last[last["owner_id"].isin(owners)]


def _trend_finding(rows: pd.DataFrame) -> Finding:
    """One indicator's last three years (achievement falling twice) → its finding."""
    first = rows.iloc[0]
    years = [int(y) for y in rows["fiscal_year"]]
    achievements = [float(a) for a in rows["achievement"]]
    steps = " → ".join(f"{era_fiscal_year(y)} {a:.1f}%" for y, a in zip(years, achievements, strict=True))
    label = _indicator_label(first["number"], first["name"], _kind(first))
    return Finding(
        code="classification_vs_trend",
        severity="warning",
        message=(
            f"分類（当年度）は「{first['classification_current']}」ですが、{label}"
            f"の達成度が2年続けて下がっています（{steps}）。分類の説明を確認してください。"
        ),
        sheet_id=int(first["sheet_id"]),
        fiscal_year=years[-1],
        figures={
            "number": int(first["number"]),
            "name": first["name"],
            "classification": first["classification_current"],
            "achievements": [{"fiscal_year": y, "achievement": a} for y, a in zip(years, achievements, strict=True)],
        },
    )


def classification_vs_trend(frames: Frames) -> list[Finding]:
    pushed = frames.sheets[frames.sheets["classification_current"].isin(PUSHED_CLASSIFICATIONS)]
    values = _indicator_values(frames).merge(pushed, on="sheet_id", how="inner")
    values = values[values["fiscal_year"] <= values["sheet_fiscal_year"]]
    if values.empty:
        return []
    falling = _falling_twice(values)
    return [_trend_finding(rows) for _, rows in falling.groupby(["sheet_id", "number", "owner_id"], sort=True)]


def _sub_item_pairs(frames: Frames) -> pd.DataFrame:
    """One row per (sub-item, year) with the sub-item's and its parent's value of that year."""
    values = frames.item_values[["owner_id", "fiscal_year", "value", "decimals"]]
    children = frames.items[frames.items["parent_id"].notna()]
    parents = frames.items[["id", "name", "unit"]].rename(columns={"id": "parent_id", "name": "parent", "unit": "parent_unit"})
    return (
        children[["id", "sheet_id", "position", "name", "unit", "parent_id"]]
        .astype({"parent_id": "int64"})
        .merge(parents, on="parent_id")
        .merge(values.rename(columns={"owner_id": "id"}), on="id")
        .merge(values.rename(columns={"owner_id": "parent_id"}), on=["parent_id", "fiscal_year"], suffixes=("", "_parent"))
    )


def _sub_item_finding(rows: pd.DataFrame) -> Finding:
    """One sub-item's years above its parent → its finding."""
    first = rows.iloc[0]
    years = [int(y) for y in rows["fiscal_year"]]
    listed = "、".join(
        f"{era_fiscal_year(r.fiscal_year)} {printed_number(r.value, r.decimals)} > "
        f"{printed_number(r.value_parent, r.decimals_parent)}"
        for r in rows.itertuples()
    )
    return Finding(
        code="sub_item_exceeds_parent",
        severity="warning",
        message=(
            f"実績の推移「{first['name']}」（{first['unit'] or '単位なし'}）が親項目「{first['parent']}」"
            f"（{first['parent_unit'] or '単位なし'}）を {len(years)} か年で上回っています: {listed}。"
            "内訳の項目か親項目の値・単位を原本で確かめてください。"
        ),
        sheet_id=int(first["sheet_id"]),
        fiscal_year=None,
        figures={
            "item": first["name"],
            "parent": first["parent"],
            "years": years,
            "values": [
                {"fiscal_year": int(r.fiscal_year), "value": _plain(r.value), "parent_value": _plain(r.value_parent)}
                for r in rows.itertuples()
            ],
        },
    )


def sub_item_exceeds_parent(frames: Frames) -> list[Finding]:
    if frames.items.empty or frames.items["parent_id"].isna().all():
        return []
    pairs = _sub_item_pairs(frames)
    over = pairs[pairs["value"] > pairs["value_parent"]].sort_values(["sheet_id", "position", "id", "fiscal_year"])
    return [_sub_item_finding(rows) for _, rows in over.groupby(["sheet_id", "position", "id"], sort=True)]


def breakdown_vs_budget(frames: Frames) -> list[Finding]:
    totals = frames.breakdown_totals
    if totals.empty or frames.budget.empty:
        return []
    merged = totals.merge(frames.budget, on=KEYS, how="inner")
    is_budget = merged["kind"] == BreakdownKind.BUDGET
    merged["amount"] = merged["budget"].where(is_budget, merged["settlement"])
    merged = merged[merged["amount"].notna()]
    differs = merged[merged["total"].astype("int64") != merged["amount"].astype("int64")]
    return [
        Finding(
            code="breakdown_vs_budget",
            severity="info",
            message=(
                f"{era_fiscal_year(row.fiscal_year)}の予算・決算の内訳（{BreakdownKind(row.kind).label}）は主な事項のみのため、"
                f"計 {amount(row.total)} 千円と{BreakdownKind(row.kind).label}額 {amount(row.amount)} 千円に "
                f"{amount(abs(int(row.total) - int(row.amount)))} 千円の差があります（確認不要）。"
            ),
            sheet_id=int(row.sheet_id),
            fiscal_year=int(row.fiscal_year),
            figures={"kind": row.kind, "breakdown_total": int(row.total), "amount": int(row.amount)},
        )
        for row in differs.sort_values([*KEYS, "kind"], ascending=[True, True, False]).itertuples()
    ]


def funding_vs_cost(frames: Frames) -> list[Finding]:
    differs = funding_check(frames.funding, frames.budget)
    return [
        Finding(
            code="funding_vs_cost",
            severity="warning",
            message=(
                f"{era_fiscal_year(row.fiscal_year)}（{AmountBasis(row.basis).label}）の財源内訳の合計 "
                f"{amount(row.funding_total)} 千円が事業費 {amount(row.project_cost)} 千円と一致しません"
                f"（差 {amount(row.difference)} 千円）。財源内訳の各財源と事業費を原本で確かめてください。"
            ),
            sheet_id=int(row.sheet_id),
            fiscal_year=int(row.fiscal_year),
            figures={
                "basis": row.basis,
                "funding_total": int(row.funding_total),
                "project_cost": int(row.project_cost),
            },
        )
        for row in differs.itertuples()
    ]


def hierarchy_name_differs(frames: Frames) -> list[Finding]:
    """A 分野/政策/施策 code the sheet printed under another name than the one stored for its municipality: the stored
    name was kept (other sheets use it), so one of them needs correcting."""
    return [
        Finding(
            code="hierarchy_name_differs",
            severity="warning",
            message=(
                f"{NameConflict.Level(row.level).label} {row.code} の名称がシートでは「{row.document_name}」ですが、"
                f"登録済みの名称は「{row.stored_name}」です（登録済みの名称のまま表示しています）。どちらが正しいか原本で確かめ、"
                "誤っている方を管理画面で直してください。"
            ),
            sheet_id=int(row.sheet_id),
            fiscal_year=None,
            figures={"level": row.level, "code": row.code, "stored": row.stored_name, "printed": row.document_name},
        )
        for row in frames.name_conflicts.itertuples()
    ]


CHECKS: list[Callable[[Frames], list[Finding]]] = [
    cost_total_mismatch,
    settlement_over_budget,
    percentage_out_of_range,
    indicator_without_target,
    estimate_in_closed_year,
    classification_vs_trend,
    sub_item_exceeds_parent,
    breakdown_vs_budget,
    funding_vs_cost,
    hierarchy_name_differs,
]


# ---------------------------------------------------------------- entry points


def findings_from_frames(*, frames: Frames) -> dict[int, list[Finding]]:
    """Pure: the findings of every sheet in the frames, errors first, then in check order."""
    result: dict[int, list[Finding]] = {int(i): [] for i in frames.sheets["sheet_id"]}
    for check in CHECKS:
        for finding in check(frames):
            result[finding.sheet_id].append(finding)
    return result


def findings_for_sheets(sheet_ids: Iterable[int]) -> dict[int, list[Finding]]:
    """{sheet_id: [Finding, ...]} for every given sheet (an empty list when all is well); 11 queries in all."""
    rows = Sheet.objects.filter(pk__in=list(sheet_ids)).order_by("pk").values_list("pk", "fiscal_year", "classification_current")
    return findings_from_frames(frames=frames_load(sheets=_sheets_frame(rows)))


def sheet_findings(sheet: Sheet) -> list[Finding]:
    """The findings of one sheet (10 queries: the sheet's own row is not read again)."""
    sheets = _sheets_frame([(sheet.pk, sheet.fiscal_year, sheet.classification_current)])
    return findings_from_frames(frames=frames_load(sheets=sheets))[sheet.pk]


def sheet_findings_from_frames(*, sheet: Sheet, breakdown: pd.DataFrame, **loaded: pd.DataFrame) -> list[Finding]:
    """The findings of one sheet from the frames its page has already loaded (no query).

    `loaded`: budget, costs, stated, indicators, indicator_values, items, item_values, funding — as the
    finance/indicators selectors return them (extra columns such as execution_rate are fine).
    """
    sheets = _sheets_frame([(sheet.pk, sheet.fiscal_year, sheet.classification_current)])
    return findings_from_frames(frames=frames_from(sheets=sheets, breakdown=breakdown, **loaded))[sheet.pk]


def findings_by_code(*, viewer, municipality, fiscal_year: int) -> dict[str, list[Finding]]:
    """{program code: [Finding, ...]} of the stored findings of every sheet of one municipality and fiscal year `viewer`
    may see (two queries), for the overview."""
    sheets = Sheet.objects.visible_to(viewer).filter(program__municipality=municipality, fiscal_year=fiscal_year)
    codes = dict(sheets.order_by("program__code").values_list("pk", "program__code"))
    found = stored_findings_by_sheet(sheets)
    return {code: found.get(pk, []) for pk, code in codes.items()}


def findings_attach(*, sheets: Iterable[Sheet]) -> list[Sheet]:
    """The sheets, each with `.findings` and `.finding_counts` set from the stored findings (one query for any number),
    for lists."""
    sheets = list(sheets)
    found = stored_findings_by_sheet([s.pk for s in sheets])
    for sheet in sheets:
        sheet.findings = found.get(sheet.pk, [])
        sheet.finding_counts = severity_counts(sheet.findings)
    return sheets


def severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    """{"error": n, "warning": n, "info": n}, for badges on lists."""
    counts = dict.fromkeys(SEVERITY_LABELS, 0)
    for finding in findings:
        counts[finding.severity] += 1
    return counts


# ---------------------------------------------------------------- stored findings (programs.models.SheetFinding)
#
# Computed when a sheet is written (programs.figures.sheet_stored_refresh: import, admin save, 前年度複写, restore) and
# by `manage.py check_sheets --rebuild`; pages and lists read the stored rows with one query.

STORE_BATCH_SIZE = 500


def sheet_findings_store(sheet_ids: Iterable[int], *, batch_size: int = STORE_BATCH_SIZE) -> int:
    """Compute the findings of these sheets with the checks above and store them, replacing what was stored; a batch
    of sheets at a time (11 queries to read a batch, so memory is bounded by the batch). Returns how many findings."""
    ids = list(sheet_ids)
    stored = 0
    for start in range(0, len(ids), batch_size):
        batch = ids[start : start + batch_size]
        found = findings_for_sheets(batch)
        rows = [
            SheetFinding(
                sheet_id=sheet_id,
                position=position,
                code=finding.code,
                severity=finding.severity,
                message=finding.message,
                fiscal_year=finding.fiscal_year,
                figures=finding.figures,
            )
            for sheet_id, findings in found.items()
            for position, finding in enumerate(findings)
        ]
        with transaction.atomic():
            SheetFinding.objects.filter(sheet_id__in=batch).delete()
            SheetFinding.objects.bulk_create(rows, batch_size=1000)
        stored += len(rows)
    return stored


def sheet_findings_rebuild(*, batch_size: int = STORE_BATCH_SIZE) -> int:
    """Recompute and store the findings of every sheet, a batch of ids at a time."""
    stored, last_id = 0, 0
    while ids := list(Sheet.objects.filter(pk__gt=last_id).order_by("pk").values_list("pk", flat=True)[:batch_size]):
        stored += sheet_findings_store(ids, batch_size=batch_size)
        last_id = ids[-1]
    return stored


def _stored(row: SheetFinding) -> Finding:
    return Finding(
        code=row.code,
        severity=row.severity,
        message=row.message,
        sheet_id=row.sheet_id,
        fiscal_year=row.fiscal_year,
        figures=row.figures,
    )


def _sheet_filter(sheets: Iterable[int] | QuerySet) -> dict:
    """sheet_id__in a list of ids or a queryset of sheets (a subquery: one query in all)."""
    if isinstance(sheets, QuerySet):
        return {"sheet_id__in": sheets.order_by().values("pk")}
    return {"sheet_id__in": list(sheets)}


def stored_findings(sheet: Sheet) -> list[Finding]:
    """The sheet's stored findings, in order (one query)."""
    return [_stored(row) for row in SheetFinding.objects.filter(sheet_id=sheet.pk).order_by("position")]


def stored_findings_by_sheet(sheets: Iterable[int] | QuerySet) -> dict[int, list[Finding]]:
    """{sheet_id: [Finding, ...]} of the stored findings of these sheets (ids or a queryset; one query); a sheet without
    findings is absent."""
    found: dict[int, list[Finding]] = {}
    for row in SheetFinding.objects.filter(**_sheet_filter(sheets)).order_by("sheet_id", "position"):
        found.setdefault(row.sheet_id, []).append(_stored(row))
    return found


def finding_counts_by_sheet(sheets: Iterable[int] | QuerySet) -> dict[int, dict[str, int]]:
    """{sheet_id: {"error": n, "warning": n, "info": n}} of the stored findings (one aggregate query); a sheet without
    findings is absent (severity_counts([]) for it)."""
    counts: dict[int, dict[str, int]] = {}
    rows = SheetFinding.objects.filter(**_sheet_filter(sheets)).values_list("sheet_id", "severity").annotate(n=Count("id"))
    for sheet_id, severity, n in rows.order_by():
        counts.setdefault(sheet_id, dict.fromkeys(SEVERITY_LABELS, 0))[severity] = n
    return counts
