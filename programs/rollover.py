"""前年度複写: start a fiscal year from the previous year's sheets.

For every program with a sheet for N−1 and none for N, a sheet for N is created from the N−1
sheet: texts (the profile's extra texts too), staff, 小事業, 経過 and 問題点・課題 as they are; 改善策 with last year's
"当年度以降" as this year's plan; 分類 (当年度) = last year's 分類 (翌年度); the yearly windows
moved on by one year (the oldest year dropped, last year's 見込み kept and still flagged so it
is "to be confirmed", nothing for the new year). Existing sheets are never touched; the whole
run is one transaction; a fixed number of queries whatever the number of programs (apart from
the database's own insert batches).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models, transaction
from django.db.models import F
from simple_history.utils import bulk_create_with_history

from evalsheets.lib.fiscal_years import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR
from evalsheets.lib.formatting import era_fiscal_year
from finance.choices import BreakdownKind
from finance.models import BreakdownLine, BudgetYear, CostLine, FundingYear, PersonnelCost
from indicators.models import ActivityItem, ActivityValue, Indicator, IndicatorValue
from programs.choices import SheetStatus
from programs.figures import sheet_stored_refresh
from programs.improvements import proposed_status
from programs.models import HistoryEvent, Improvement, Program, Sheet, SheetIssue, SheetText, StaffMember, SubProgram

CHANGE_REASON = "前年度複写"
COPIED_AS_IS = [StaffMember, SubProgram, HistoryEvent, SheetIssue, SheetText]
BREAKDOWN_COLUMNS_KEPT = 2
KIND_ORDER = {BreakdownKind.SETTLEMENT.value: 0, BreakdownKind.BUDGET.value: 1}


@dataclass(frozen=True)
class Skipped:
    code: str
    reason: str


@dataclass(frozen=True)
class RolloverReport:
    fiscal_year: int
    created: tuple[str, ...]
    skipped: tuple[Skipped, ...]


# ---------------------------------------------------------------- copying rows


def _copy(row: models.Model, **changes) -> models.Model:
    """An unsaved copy of a row (every concrete field but the primary key), with `changes` by attname."""
    values = {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields if not f.primary_key}
    values.update(changes)
    return type(row)(**values)


def _create(model: type[models.Model], objs: list, *, user) -> list:
    """bulk_create, with one history row per object ("+ 前年度複写") for models that keep history."""
    if not objs:
        return []
    if getattr(model._meta, "simple_history_manager_attribute", None):
        return bulk_create_with_history(objs, model, default_user=user, default_change_reason=CHANGE_REASON)
    return model.objects.bulk_create(objs)


def _after_oldest(rows: list, *, sheet_of) -> list:
    """The rows without the oldest fiscal year of their sheet: the window moves on by one year."""
    oldest: dict[int, int] = {}
    for row in rows:
        sheet_id = sheet_of(row)
        oldest[sheet_id] = min(row.fiscal_year, oldest.get(sheet_id, row.fiscal_year))
    return [row for row in rows if row.fiscal_year > oldest[sheet_of(row)]]


# ---------------------------------------------------------------- the parts of a sheet


def _sheets_create(*, sources: list[Sheet], fiscal_year: int, user) -> dict[int, Sheet]:
    copies = [  # a new year's sheet is being written: 作成中, first version, whatever the source's status
        _copy(
            s,
            fiscal_year=fiscal_year,
            classification_current=s.classification_next,
            classification_next="",
            status=SheetStatus.DRAFT,
            version=1,
        )
        for s in sources
    ]
    created = _create(Sheet, copies, user=user)
    return {source.pk: new for source, new in zip(sources, created, strict=True)}


def _texts_copy(*, new: dict[int, Sheet], user) -> None:
    for model in COPIED_AS_IS:
        rows = model.objects.filter(sheet_id__in=new).order_by("sheet_id", "pk")
        _create(model, [_copy(r, sheet_id=new[r.sheet_id].pk) for r in rows], user=user)
    improvements = Improvement.objects.filter(sheet_id__in=new).order_by("sheet_id", "number")
    _create(
        Improvement,
        [
            _copy(
                r,
                sheet_id=new[r.sheet_id].pk,
                plan=r.next,
                result="",
                next="",
                previous_id=r.pk,
                status="",
                proposed_status=proposed_status(plan=r.next, result="", next="", carried=r.status or r.proposed_status),
                indicator_id=None,
            )
            for r in improvements
        ],
        user=user,
    )


def _budget_copy(*, new: dict[int, Sheet], fiscal_year: int, user) -> None:
    rows = list(BudgetYear.objects.filter(sheet_id__in=new).order_by("sheet_id", "fiscal_year"))
    kept = [_copy(r, sheet_id=new[r.sheet_id].pk) for r in _after_oldest(rows, sheet_of=lambda r: r.sheet_id)]
    has_new_year = {r.sheet_id for r in kept if r.fiscal_year == fiscal_year}
    kept += [
        BudgetYear(sheet_id=sheet.pk, fiscal_year=fiscal_year, budget=None, settlement=None)
        for sheet in new.values()
        if sheet.pk not in has_new_year
    ]
    _create(BudgetYear, sorted(kept, key=lambda r: (r.sheet_id, r.fiscal_year)), user=user)


def _breakdown_copy(*, new: dict[int, Sheet], user) -> None:
    """The last two year-columns (年度, 決算/予算) of 予算・決算の内訳; nothing for the new year."""
    rows = list(BreakdownLine.objects.filter(sheet_id__in=new).order_by("sheet_id", "fiscal_year", "position", "pk"))
    columns: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for row in rows:
        columns[row.sheet_id].add((row.fiscal_year, KIND_ORDER.get(row.kind, 0)))
    kept = {sheet_id: sorted(cols)[-BREAKDOWN_COLUMNS_KEPT:] for sheet_id, cols in columns.items()}
    copies = [
        _copy(r, sheet_id=new[r.sheet_id].pk) for r in rows if (r.fiscal_year, KIND_ORDER.get(r.kind, 0)) in kept[r.sheet_id]
    ]
    _create(BreakdownLine, copies, user=user)


def _funding_and_personnel_copy(*, new: dict[int, Sheet], user) -> None:
    """財源内訳 and 人件費: the window moves on like 予算・決算額 (oldest year dropped, 見込み kept as 見込み); nothing
    is made up for the new year (a missing figure is missing)."""
    for model in (FundingYear, PersonnelCost):
        rows = list(model.objects.filter(sheet_id__in=new).order_by("sheet_id", "fiscal_year", "basis"))
        kept = _after_oldest(rows, sheet_of=lambda r: r.sheet_id)
        _create(model, [_copy(r, sheet_id=new[r.sheet_id].pk) for r in kept], user=user)


def _cost_copy(*, new: dict[int, Sheet], user) -> None:
    """行政コスト計算書: the later year's lines become the earlier column; the new later year is empty.

    The printed totals (StatedCostTotal) are not copied: a new sheet has no printed form to check.
    """
    rows = list(CostLine.objects.filter(sheet_id__in=new).order_by("sheet_id", "pk"))
    latest: dict[int, int] = {}
    for row in rows:
        latest[row.sheet_id] = max(row.fiscal_year, latest.get(row.sheet_id, row.fiscal_year))
    copies = [_copy(r, sheet_id=new[r.sheet_id].pk) for r in rows if r.fiscal_year == latest[r.sheet_id]]
    _create(CostLine, copies, user=user)


def _indicators_copy(*, new: dict[int, Sheet], user) -> None:
    indicators = list(Indicator.objects.filter(sheet_id__in=new).order_by("sheet_id", "number"))
    created = _create(Indicator, [_copy(i, sheet_id=new[i.sheet_id].pk) for i in indicators], user=user)
    copy_of = {old.pk: copy.pk for old, copy in zip(indicators, created, strict=True)}
    values = list(
        IndicatorValue.objects.filter(indicator__sheet_id__in=new)
        .annotate(source_sheet_id=F("indicator__sheet_id"))
        .order_by("indicator__sheet_id", "indicator__number", "fiscal_year")
    )
    kept = _after_oldest(values, sheet_of=lambda v: v.source_sheet_id)
    _create(IndicatorValue, [_copy(v, indicator_id=copy_of[v.indicator_id]) for v in kept], user=user)


def _activity_items_copy(*, new: dict[int, Sheet], user) -> dict[int, int]:
    """Items level by level (parents before their sub-items, e.g. 光ファイバ under 施設数（合計）); {old pk: new pk}."""
    remaining = list(ActivityItem.objects.filter(sheet_id__in=new).order_by("sheet_id", "position", "pk"))
    copy_of: dict[int, int] = {}
    while remaining:
        level = [i for i in remaining if i.parent_id is None or i.parent_id in copy_of]
        if not level:
            raise ValueError("実績の推移の親項目が同じシートにない、または循環しています")
        copies = [
            _copy(i, sheet_id=new[i.sheet_id].pk, parent_id=copy_of.get(i.parent_id) if i.parent_id else None) for i in level
        ]
        copy_of.update({old.pk: copy.pk for old, copy in zip(level, _create(ActivityItem, copies, user=user), strict=True)})
        remaining = [i for i in remaining if i.pk not in copy_of]
    return copy_of


def _activity_copy(*, new: dict[int, Sheet], user) -> None:
    copy_of = _activity_items_copy(new=new, user=user)
    values = list(
        ActivityValue.objects.filter(item__sheet_id__in=new)
        .annotate(source_sheet_id=F("item__sheet_id"))
        .order_by("item__sheet_id", "item__position", "item_id", "fiscal_year")
    )
    kept = _after_oldest(values, sheet_of=lambda v: v.source_sheet_id)
    _create(ActivityValue, [_copy(v, item_id=copy_of[v.item_id]) for v in kept], user=user)


# ---------------------------------------------------------------- the service


def _plan(*, fiscal_year: int, program_ids: Iterable[int] | None) -> tuple[list[int], list[Skipped]]:
    """(programs to start the year for, programs skipped with the reason), in code order."""
    programs = Program.objects.order_by("code")
    sheets = Sheet.objects.filter(fiscal_year__in=[fiscal_year - 1, fiscal_year])
    if program_ids is not None:
        ids = list(program_ids)
        programs, sheets = programs.filter(pk__in=ids), sheets.filter(program_id__in=ids)
    years: dict[int, set[int]] = defaultdict(set)
    for program_id, year in sheets.values_list("program_id", "fiscal_year"):
        years[program_id].add(year)
    todo, skipped = [], []
    for program_id, code in programs.values_list("pk", "code"):
        if fiscal_year in years[program_id]:
            skipped.append(Skipped(code, f"{era_fiscal_year(fiscal_year)}のシートが既にあります"))
        elif fiscal_year - 1 not in years[program_id]:
            skipped.append(Skipped(code, f"前年度（{era_fiscal_year(fiscal_year - 1)}）のシートがありません"))
        else:
            todo.append(program_id)
    return todo, skipped


@transaction.atomic
def fiscal_year_start(*, fiscal_year: int, program_ids: Iterable[int] | None = None, user=None) -> RolloverReport:
    """Create the fiscal_year sheets from the fiscal_year − 1 sheets (all programs, or only `program_ids`).

    All or nothing; never changes an existing sheet; running it again creates nothing.
    """
    if not MIN_FISCAL_YEAR < fiscal_year <= MAX_FISCAL_YEAR:
        raise ValueError(f"年度 {fiscal_year} は {MIN_FISCAL_YEAR + 1}〜{MAX_FISCAL_YEAR} の範囲外です")
    todo, skipped = _plan(fiscal_year=fiscal_year, program_ids=program_ids)
    sources = list(
        Sheet.objects.filter(program_id__in=todo, fiscal_year=fiscal_year - 1).select_related("program").order_by("program__code")
    )
    new = _sheets_create(sources=sources, fiscal_year=fiscal_year, user=user)
    if new:
        _texts_copy(new=new, user=user)
        _budget_copy(new=new, fiscal_year=fiscal_year, user=user)
        _breakdown_copy(new=new, user=user)
        _cost_copy(new=new, user=user)
        _funding_and_personnel_copy(new=new, user=user)
        _indicators_copy(new=new, user=user)
        _activity_copy(new=new, user=user)
        sheet_stored_refresh([sheet.pk for sheet in new.values()])
    return RolloverReport(fiscal_year=fiscal_year, created=tuple(s.program.code for s in sources), skipped=tuple(skipped))


def report_lines(*, report: RolloverReport) -> list[str]:
    """The report in Japanese, one line each, for the command and the admin messages."""
    year = era_fiscal_year(report.fiscal_year)
    if report.created:
        lines = [f"{year}のシートを {len(report.created)} 件作成しました: {'、'.join(report.created)}"]
    else:
        lines = [f"{year}のシートは作成しませんでした"]
    lines += [f"作成しなかった事業 {s.code}: {s.reason}" for s in report.skipped]
    return lines
