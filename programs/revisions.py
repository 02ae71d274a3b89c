"""A sheet's audit trail: every recorded change of the sheet and of each of its parts, grouped into saves, and the
restore of the whole sheet (with its parts) as it was after an earlier save.

django-simple-history keeps one historical row per change of each model. A "save" (one admin submit, one import,
one restore, one status change) writes the sheet's row, then rows of its parts within a moment: a save starts at
the sheet's row and takes the rows by the same user that follow less than SAVE_WINDOW apart. Parts are the
sheet's children (`sheet_id`) and grandchildren (indicator and activity values, through their parent's id).
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from evalsheets.lib.formatting import amount, era_fiscal_year, is_missing
from evalsheets.lib.history import bulk_create_recorded
from finance.models import BreakdownLine, BudgetYear, CostLine, FundingYear, PersonnelCost
from indicators.models import ActivityItem, ActivityValue, Indicator, IndicatorValue
from programs import locking
from programs.figures import sheet_stored_refresh
from programs.improvements import improvements_refresh
from programs.models import HistoryEvent, Improvement, Sheet, SheetIssue, SheetText, StaffMember, SubProgram
from programs.models.sheet import SHEET_FIGURE_FIELDS

SAVE_WINDOW = datetime.timedelta(seconds=3)
# Children of the sheet, parents before their own children (the order of a restore).
SHEET_PARTS = [StaffMember, SubProgram, HistoryEvent, Indicator, BudgetYear, ActivityItem, BreakdownLine, CostLine]
SHEET_PARTS += [FundingYear, PersonnelCost, SheetIssue, Improvement, SheetText]
GRANDCHILDREN = [(IndicatorValue, Indicator, "indicator_id"), (ActivityValue, ActivityItem, "item_id")]
# Kept by the workflow, never taken back by a restore.
HISTORY_EXCLUDED = set(SHEET_FIGURE_FIELDS)  # the sheet's stored figures: recomputed, not in its history
NOT_RESTORED = {"id", "status", "version", "updated_at", *HISTORY_EXCLUDED}
KIND = {"+": "追加", "~": "変更", "-": "削除"}


@dataclass
class Change:
    part: str  # the model's Japanese name
    label: str  # which row (its str())
    kind: str  # 追加 / 変更 / 削除
    fields: list[tuple[str, object, object]] = field(default_factory=list)  # (verbose name, old, new)


@dataclass
class Revision:
    history_id: int  # the sheet's own historical row at or before this save (what a restore goes back to)
    date: datetime.datetime
    user: str
    reasons: list[str]
    changes: list[Change]


def _records(sheet: Sheet) -> list:
    records = list(Sheet.history.filter(id=sheet.pk).select_related("history_user"))
    for model in SHEET_PARTS:
        records += model.history.filter(sheet_id=sheet.pk).select_related("history_user")
    for child, parent, key in GRANDCHILDREN:
        parent_ids = parent.history.filter(sheet_id=sheet.pk).values("id")
        records += child.history.filter(**{f"{key}__in": parent_ids}).select_related("history_user")
    return sorted(records, key=lambda r: (r.history_date, r.history_id))


def _content(record) -> tuple:
    """What a history row holds, without its id: a row deleted and added back unchanged has the same content."""
    fields = [f.attname for f in record.instance_type._meta.concrete_fields if f.attname not in HISTORY_EXCLUDED]
    return (record.instance_type, tuple((name, getattr(record, name)) for name in fields if name != "id"))


def _saves(records: list) -> list[list]:
    """Records (oldest first) grouped into saves: each save writes the sheet's own row first (admin, import, restore,
    status change), then its parts by the same user, each less than SAVE_WINDOW after the one before."""
    saves: list[list] = []
    for record in records:
        last = saves[-1][-1] if saves else None
        if (
            last is None
            or record.instance_type is Sheet
            or record.history_user_id != last.history_user_id
            or record.history_date - last.history_date > SAVE_WINDOW
        ):
            saves.append([])
        saves[-1].append(record)
    return saves


def _change(record, previous) -> Change | None:
    meta = record.instance_type._meta
    label = str(record.instance)
    year = getattr(record, "fiscal_year", None)
    if isinstance(year, int):
        label = label.replace(f"{year}年度", era_fiscal_year(year)).replace(f"{year}:", f"{era_fiscal_year(year)}:")
    if record.history_type != "~":
        return Change(part=meta.verbose_name, label=label, kind=KIND[record.history_type])
    if previous is None:
        return None
    # simple-history's own diff (editable fields only: the version and updated_at never show), in the form's order
    order = {f.name: i for i, f in enumerate(meta.concrete_fields)}
    delta = sorted(record.diff_against(previous).changes, key=lambda change: order[change.field])
    fields = []
    for change in delta:
        field = meta.get_field(change.field)
        fields.append((str(field.verbose_name), _shown(field, change.old), _shown(field, change.new)))
    return Change(part=meta.verbose_name, label=label, kind="変更", fields=fields) if fields else None


def _shown(model_field, value) -> str:
    """A value as the form prints it: choices by label, years in era (令和3年度), amounts with separators."""
    if is_missing(value):
        return "（空）"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "有" if value else "無"
    if model_field.name.endswith("fiscal_year") or model_field.name == "year":
        return era_fiscal_year(value)
    if isinstance(value, int):
        return amount(value)
    return str(value)


def _cancelled(changes: list[tuple[object, Change]]) -> list[Change]:
    """An import replaces every part (delete, then add): a row deleted and added back unchanged is no change."""
    added = {}
    for record, change in changes:
        if change.kind == "追加":
            added.setdefault(_content(record), []).append(change)
    dropped = set()
    for record, change in changes:
        if change.kind == "削除":
            same = added.get(_content(record))
            if same:
                dropped.add(id(same.pop()))
                dropped.add(id(change))
    return [change for _record, change in changes if id(change) not in dropped]


def sheet_revisions(sheet: Sheet, *, limit: int = 50) -> list[Revision]:
    """The sheet's saves, newest first (at most `limit`), each with every changed field of every part."""
    records = _records(sheet)
    previous: dict[tuple, object] = {}
    change_of: dict[int, Change | None] = {}
    for record in records:
        key = (record.instance_type, record.id)
        change_of[id(record)] = _change(record, previous.get(key))
        previous[key] = record
    sheet_rows = [r for r in records if r.instance_type is Sheet]
    revisions = []
    for save in _saves(records):
        group = [(r, change_of[id(r)]) for r in save]
        end = save[-1].history_date
        own = [r for r in sheet_rows if r.history_date <= end]  # the sheet as this save left it
        if not own:
            continue
        changes = _cancelled([(r, c) for r, c in group if c is not None])
        user = group[0][0].history_user
        revisions.append(
            Revision(
                history_id=own[-1].history_id,
                date=end,
                user=(user.get_full_name() or user.get_username()) if user else "（システム）",
                reasons=sorted({r.history_change_reason for r, _c in group if r.history_change_reason}),
                changes=changes,
            )
        )
    return list(reversed(revisions))[:limit]


def revision_point(sheet: Sheet, history_id: int) -> datetime.datetime | None:
    """The moment a restore goes back to: the end of the save that wrote the sheet's historical row `history_id`."""
    for save in _saves(_records(sheet)):
        if any(r.instance_type is Sheet and r.history_id == history_id for r in save):
            return save[-1].history_date  # with the parts written just after the sheet row
    return None


@transaction.atomic
def sheet_restore(*, sheet: Sheet, history_id: int, user) -> Sheet:
    """Bring the sheet and every part back to how they were after the save of `history_id` (its status and the
    workflow stay as they are). The restore is itself recorded, with the reason 「復元」."""
    point = revision_point(sheet, history_id)
    if point is None:
        raise Sheet.DoesNotExist("この版の履歴はありません")
    reason = f"復元（{point:%Y-%m-%d %H:%M:%S} の版）"
    old = Sheet.history.filter(id=sheet.pk, history_date__lte=point).order_by("-history_date", "-history_id").first()
    for f in Sheet._meta.concrete_fields:
        if f.attname not in NOT_RESTORED:
            setattr(sheet, f.attname, getattr(old, f.attname))
    locking.next_version(sheet)
    sheet._change_reason = reason
    sheet._history_user = user
    sheet.save()
    sheet.refresh_from_db()
    for model in reversed(SHEET_PARTS):
        for row in model.objects.filter(sheet=sheet):
            row._change_reason, row._history_user = reason, user
            row.delete()  # one '-' history row each (children go with their parents, recorded by their signals)
    restored_ids = {}
    for model in SHEET_PARTS:
        rows = list(model.history.as_of(point).filter(sheet_id=sheet.pk))
        restored_ids[model] = [r.pk for r in rows]
        _recreate(model, rows, user=user, reason=reason)
    for child, parent, key in GRANDCHILDREN:
        rows = list(child.history.as_of(point).filter(**{f"{key}__in": restored_ids[parent]}))
        _recreate(child, rows, user=user, reason=reason)
    # the delete above cut the trail (the following year's rows lost their link) and a restored link may point at a
    # row that is gone: link again, and propose statuses from the restored texts
    improvements_refresh(sheet_ids=[sheet.pk])
    sheet_stored_refresh([sheet.pk])
    return sheet


def _recreate(model, rows: list, *, user, reason: str) -> None:
    for row in rows:
        row._state.adding = True
    if model is ActivityItem:  # parents before sub-items (a sub-item points at its parent)
        rows.sort(key=lambda r: r.parent_id is not None)
    bulk_create_recorded(model, rows, user=user, reason=reason)
