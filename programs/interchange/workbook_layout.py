"""The Excel form of a 事務事業分析シート: labels, columns, year spans and number formats.

Shared by the writer (programs.interchange.workbook_write) and the reader (programs.interchange.workbook_read) so the two can
never disagree. Every block is anchored on its Japanese label in column A; the reader finds
blocks by label (rows may be inserted), and columns of a table by their head text.
"""

import re

from evalsheets.lib.japanese_text import loose
from evalsheets.lib.wareki import fiscal_year_label
from finance.choices import AmountBasis, CostAccount, CostSection, CostTotal, FundingSource, accounts_of
from indicators.choices import Direction, IndicatorKind
from programs.sheet_fields import SHEET_FIELDS, Block, fields_of

TITLE_PREFIX = "事務事業分析シート"
INSTRUCTIONS_TITLE = "記入方法"
EMPTY_TITLE = "シートなし"
SKIPPED_WORKSHEETS = {INSTRUCTIONS_TITLE, EMPTY_TITLE}
LAST_COLUMN = 11  # A … K

AMOUNT_FORMAT = '#,##0;"▲ "#,##0'
TEXT_FORMAT = "@"
RATE_FORMAT = "0.0%"
ESTIMATE_MARK = "見込み"
ESTIMATE_TRUE = {ESTIMATE_MARK, "見込", "○", "〇", "✓", "1", "TRUE"}
HAS_END_DATE = {"有": True, "無": False, "": False}
LIST_SEPARATOR = "、"
LIST_SPLIT = re.compile(r"[、・,，]")

# 基本情報: the code, the name and 部課名 (B = 部, C = 課) head the form; the simple fields of each block follow,
# one a row, label in column A and value from column B (programs.sheet_fields declares them).
MUNICIPALITY = "団体"  # B = 団体コード, C = 団体名, D = 都道府県, E = 区分 (特別区/市/町/村); empty = the default municipality
CODE = "事務事業コード"
NAME = "事務事業名"
DEPARTMENT = "部課名"  # B = 部, C = 課
POLICY_LEVELS = [("分野", "field"), ("政策", "policy"), ("施策", "measure")]  # B = コード, C = 名称
TEXT_CELLS = {"extension"}  # written as text, so a number such as 0123 keeps its digits

# Table blocks: anchor label (column A) and the label of their head row (column A).
SUB_PROGRAMS = "細事業"
HISTORY_EVENTS = "経過"
INDICATORS = "成果指標"
BUDGET = "予算・決算額等の推移"
FUNDING = "財源内訳・人件費"
ACTIVITY = "実績の推移"
BREAKDOWN = "予算・決算の内訳"
COSTS = "行政コスト計算書"
ISSUES = "問題点・課題"
IMPROVEMENTS = "問題点・課題の改善策"
OTHER_WARDS = "他区の実況"
# The municipality's extra texts (document key `texts`, its form profile's text fields): one row each, written only
# when a sheet has some or its municipality's profile lists some; a workbook without the block reads as no texts.
TEXTS = "その他の記載事項"
TEXT_HEADS = {"key": "キー", "label": "見出し", "role": "役割", "text": "内容"}
HEAD_LABEL = {
    SUB_PROGRAMS: "予算コード",
    HISTORY_EVENTS: "年月",
    INDICATORS: "指標名",
    BUDGET: "年度",
    FUNDING: "年度",
    ACTIVITY: "事項名",
    BREAKDOWN: "年度",
    COSTS: "勘定科目",
    ISSUES: "番号",
    IMPROVEMENTS: "番号",
    OTHER_WARDS: "実施",
    TEXTS: TEXT_HEADS["key"],
}
SUB_PROGRAM_HEADS = ("予算コード", "細事業名")
HISTORY_EVENT_HEADS = ("年月", "見出し", "内容")
# 指標: one row per indicator, its kind in 種別 (活動指標 / 対象指標 / 成果指標; an empty cell or a workbook without the
# column = 成果指標), its number as a mark before the name (①…⑳, 21 …). Year heads may be added to the right of 目標年度.
INDICATOR_KIND_HEAD = "種別"
INDICATOR_HEADS = {
    "unit": "単位",
    "description": "指標に関する説明",
    "direction": "方向",
    "target": "目標値",
    "target_year": "目標年度",
}
BUDGET_ROWS = {"budget": "予算額", "settlement": "決算額", "estimate": ESTIMATE_MARK}
RATE_ROW = "執行率"
# 財源内訳・人件費: one column per (year, 区分), the 区分 row under the year heads; 都道府県支出金 may be written as the
# municipality prints it (都支出金, 道支出金, 府支出金, 県支出金).
FUNDING_BASIS_ROW = "区分"
BASIS_LABEL = {b.value: b.label for b in AmountBasis}
BASIS_BY_LABEL = {label: basis for basis, label in BASIS_LABEL.items()} | {"見込": AmountBasis.ESTIMATE.value}
FUNDING_ROWS = {source.value: source.label for source in FundingSource}
FUNDING_ROW_ALIASES = {label: FundingSource.PREFECTURAL.value for label in ("都支出金", "道支出金", "府支出金", "県支出金")}
PERSONNEL_ROWS = {"persons": "人工（人）", "hours": "業務時間", "amount": "人件費"}
ACTIVITY_HEADS = {"unit": "単位", "parent": "親項目"}
BREAKDOWN_SUBHEADS = ("費目", "内容", "金額")
BREAKDOWN_KIND_LABEL = {"settlement": "決算", "budget": "予算"}
BREAKDOWN_KIND_BY_LABEL = {label: kind for kind, label in BREAKDOWN_KIND_LABEL.items()}
ISSUE_HEAD = "内容"
OTHER_WARDS_HEADS = [(field.path[-1], field.label) for field in fields_of(Block.OTHER_WARDS)]

# 行政コスト計算書: the rows in the form's order, accounts and printed totals interleaved.
COST_ROWS: list[tuple[str, str]] = [
    *[("account", CostAccount(a).label) for a in accounts_of(CostSection.EXPENSE)],
    ("total", CostTotal.EXPENSE.value),
    *[("account", CostAccount(a).label) for a in accounts_of(CostSection.REVENUE)],
    ("total", CostTotal.REVENUE.value),
    ("total", CostTotal.ADMINISTRATIVE_BALANCE.value),
    ("account", CostAccount.FINANCIAL.label),
    ("total", CostTotal.ORDINARY_BALANCE.value),
    ("account", CostAccount.SPECIAL_EXPENSE.label),
    ("account", CostAccount.SPECIAL_REVENUE.label),
    ("total", CostTotal.SPECIAL_BALANCE.value),
    ("total", CostTotal.NET_BALANCE.value),
]
COST_TOTAL_LABEL = {t.value: t.label for t in CostTotal}


def cost_row_label(kind: str, key: str) -> str:
    return key if kind == "account" else COST_TOTAL_LABEL[key]


def improvement_heads(fiscal_year: int) -> dict[str, str]:
    """The three printed heads of 改善策 for an evaluation year (2021: 令和2年度に取り組む…)."""
    previous, current = fiscal_year_label(fiscal_year - 1), fiscal_year_label(fiscal_year)
    return {
        "plan": f"{previous}に取り組む具体的な改善内容",
        "result": f"{previous}に実施した改善内容および評価",
        "next": f"{current}以降に取り組む具体的な改善内容",
    }


def improvement_key(head: str) -> str | None:
    if "以降に取り組む" in head:
        return "next"
    if "実施した改善内容" in head:
        return "result"
    if "に取り組む" in head:
        return "plan"
    return None


def _labels(*blocks: Block) -> list[str]:
    return [field.label for field in fields_of(*blocks)]


ANCHORS = [
    MUNICIPALITY,
    CODE,
    NAME,
    DEPARTMENT,
    *_labels(Block.HEAD),
    SUB_PROGRAMS,
    *_labels(Block.PLAN),
    *[label for label, _ in POLICY_LEVELS],
    *_labels(Block.OUTLINE),
    HISTORY_EVENTS,
    *_labels(Block.NECESSITY, Block.IMPLEMENTATION),
    INDICATORS,
    *_labels(Block.CLASSIFICATION),
    TEXTS,
    BUDGET,
    FUNDING,
    ACTIVITY,
    BREAKDOWN,
    COSTS,
    *_labels(Block.REMARKS),
    ISSUES,
    IMPROVEMENTS,
    OTHER_WARDS,
    *_labels(Block.COUNCIL),
]

# Choices a cell may hold: the stored value, or its printed label (事業の種類: 新規事業 → 新規).
CHOICES = {field.key: field.choices for field in SHEET_FIELDS if field.choices} | {
    "direction": Direction,
    "indicator_kind": IndicatorKind,
}
DIRECTION_LABEL = {d.value: d.label for d in Direction}
INDICATOR_KIND_LABEL = {k.value: k.label for k in IndicatorKind}
BLANK_INDICATOR_YEARS = 6  # a blank form offers six indicator years (more may be added as year heads)


def year_span(fiscal_year: int, kind: str) -> list[int]:
    """The years the printed form shows for an evaluation year (2021: 指標 30年度…3年度, 推移 27年度…3年度)."""
    back = {"indicators": 3, "budget": 6, "activity": 6}[kind]
    return list(range(fiscal_year - back, fiscal_year + 1))


def funding_columns(fiscal_year: int) -> list[tuple[int, str]]:
    """The (year, 区分) columns of a blank 財源内訳・人件費: the two settled years and this year's budget."""
    return [
        (fiscal_year - 2, AmountBasis.SETTLEMENT.value),
        (fiscal_year - 1, AmountBasis.SETTLEMENT.value),
        (fiscal_year, AmountBasis.BUDGET.value),
    ]


def cost_years(fiscal_year: int) -> list[int]:
    return [fiscal_year - 2, fiscal_year - 1]


def breakdown_groups(fiscal_year: int) -> list[tuple[int, str]]:
    return [(fiscal_year - 2, "settlement"), (fiscal_year - 1, "settlement"), (fiscal_year, "budget")]


def number_format(decimals: int) -> str:
    """The printed precision as a cell format: 0 → #,##0; 1 → #,##0.0."""
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def format_decimals(cell_format: str | None) -> int | None:
    """Digits after the point in a cell format ("#,##0.0" → 1, "0" → 0); None for General."""
    if not cell_format or cell_format == "General" or cell_format == TEXT_FORMAT:
        return None
    section = re.sub(r'"[^"]*"', "", cell_format.split(";")[0])
    match = re.search(r"\.([0#]+)", section)
    return len(match[1]) if match else 0


normalise = loose  # labels are compared without width or spaces (Ｌ = L, 改革 改善 = 改革改善)


def title_text(fiscal_year: int) -> str:
    return f"{TITLE_PREFIX}（{fiscal_year_label(fiscal_year)}）"
