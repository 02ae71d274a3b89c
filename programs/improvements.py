"""改善策 across the years (the follow-up ledger): the status proposed from a row's texts, the effective status as a
database expression, and the trail links (each year's row → last year's row) kept whole wherever 改善策 are written.

A row of the sheet of fiscal year N reports: `plan` 前年度（N−1）に取り組む具体的な改善内容, `result` 前年度に実施した改善内容
および評価, `next` 当年度（N）以降に取り組む具体的な改善内容. The year of the work is therefore N − 1.

Proposed status (proposed_status, from the row's own texts only):

- no text at all → the status of the row it continues (a roll-over's copy of a row with nothing for 「当年度以降」 says
  nothing new: the trail stands where last year's row left it), blank without one;
- no result reported yet (`result` empty) → 計画 (a roll-over's new row: last year's 「当年度以降」 is this year's plan);
- a result reported and `next` repeats `plan` (difflib.SequenceMatcher ratio ≥ REPEAT_RATIO over the texts without
  spaces and punctuation) → 実施中 (the same work continues);
- a result reported and `next` does not repeat `plan` → 完了;
- 見送り is never proposed: only an editor sets it in the admin.

Effective status = `status` (set in the admin) when set, else `proposed_status` (effective_status_expression, so
filters and counts run in the database).

Trail links: roll-over links each copied row to last year's (programs/rollover.py). An import or a restore replaces a
sheet's rows, which cuts the links both ways; improvements_refresh() links them again: this sheet's rows to the rows
of the same program's sheet of the previous fiscal year, and the following year's rows back to this sheet's — first
by text (last year's `next` against this year's `plan`, ratio ≥ LINK_RATIO, best pairs first), then by the same
number ①②③.
"""

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from django.db.models import Case, CharField, F, Q, When

from evalsheets.lib.japanese_text import loose
from programs.choices import ImprovementStatus
from programs.models import Improvement, Sheet

REPEAT_RATIO = 0.8  # 「当年度以降」 this close to 「前年度の計画」 repeats it: the work goes on (実施中)
LINK_RATIO = 0.6  # last year's 「当年度以降」 this close to this year's 「前年度の計画」 is the same improvement
CLOSED = (ImprovementStatus.DONE, ImprovementStatus.DROPPED)
_PUNCTUATION = re.compile(r"[、。,.・「」（）()]+")


def _normalised(text: str) -> str:
    """Width, spaces (japanese_text.loose) and punctuation do not matter when two texts are compared."""
    return _PUNCTUATION.sub("", loose(text or ""))


@lru_cache(maxsize=4096)
def text_ratio(a: str, b: str) -> float:
    """How much two texts say the same (0 … 1): difflib's ratio over the characters, ignoring width, spaces and
    punctuation; 0 when either is empty."""
    a, b = _normalised(a), _normalised(b)
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def is_blank(*, plan: str, result: str, next: str) -> bool:  # noqa: A002
    return not (plan or "").strip() and not (result or "").strip() and not (next or "").strip()


def proposed_status(*, plan: str, result: str, next: str, carried: str = "") -> str:  # noqa: A002 (the form's word)
    """The status the texts suggest (module docstring); `carried` (the effective status of the row it continues) when
    the row says nothing."""
    if is_blank(plan=plan, result=result, next=next):
        return carried
    if not (result or "").strip():
        return ImprovementStatus.PLANNED.value
    if text_ratio(plan, next) >= REPEAT_RATIO:
        return ImprovementStatus.IN_PROGRESS.value
    return ImprovementStatus.DONE.value


def effective_status(row: Improvement) -> str:
    return row.status or row.proposed_status


def row_proposed_status(row: Improvement, *, previous: Improvement | None = None) -> str:
    carried = effective_status(previous) if previous is not None else ""
    return proposed_status(plan=row.plan, result=row.result, next=row.next, carried=carried)


def effective_status_expression(prefix: str = "") -> Case:
    """The status an editor set, else the proposed one, in SQL (`prefix`: the path to the row, e.g. "previous__")."""
    return Case(
        When(**{f"{prefix}status": ""}, then=F(f"{prefix}proposed_status")),
        default=F(f"{prefix}status"),
        output_field=CharField(),
    )


def status_label(value: str) -> str:
    return ImprovementStatus(value).label if value in ImprovementStatus.values else ""


# ---------------------------------------------------------------- linking the trail again


def _pairs(older: list[Improvement], newer: list[Improvement]) -> list[tuple[Improvement, Improvement]]:
    """(last year's row, this year's row): by text first (best ratio first, ≥ LINK_RATIO), then by the same number."""
    scored = sorted(
        ((text_ratio(o.next, n.plan), o.number == n.number, o, n) for o in older for n in newer),
        key=lambda t: (-t[0], not t[1], t[2].number, t[3].number),
    )
    pairs, used_old, used_new = [], set(), set()
    for ratio, _, o, n in scored:
        if ratio >= LINK_RATIO and o.pk not in used_old and n.pk not in used_new:
            pairs.append((o, n))
            used_old.add(o.pk)
            used_new.add(n.pk)
    by_number = {o.number: o for o in older if o.pk not in used_old}
    for n in newer:
        o = by_number.get(n.number)
        if n.pk not in used_new and o is not None:
            pairs.append((o, n))
            used_new.add(n.pk)
    return pairs


def improvements_refresh(*, sheet_ids: Iterable[int]) -> None:
    """After the 改善策 of these sheets were written (import, admin, restore): each row's proposed status, and the trail
    links to the previous fiscal year's sheet of the same program and from the following year's. A link that is
    already right stays; a link to a row that is gone or is not on last year's sheet of the program is dropped and
    made again. A fixed number of queries whatever the number of sheets."""
    ids = list(sheet_ids)
    if not ids:
        return
    sheets = list(Sheet.objects.filter(pk__in=ids).values_list("pk", "program_id", "fiscal_year"))
    wanted = {(program, year + delta) for _, program, year in sheets for delta in (-1, 0, 1)}
    programs = {program for program, _ in wanted}
    neighbours = Sheet.objects.filter(program_id__in=programs).values_list("pk", "program_id", "fiscal_year")
    sheet_of = {(program, year): pk for pk, program, year in neighbours if (program, year) in wanted}
    rows = list(Improvement.objects.filter(sheet_id__in=sheet_of.values()).order_by("sheet_id", "number"))
    by_sheet: dict[int, list[Improvement]] = defaultdict(list)
    for row in rows:
        by_sheet[row.sheet_id].append(row)
    before = {row.pk: (row.previous_id, row.proposed_status) for row in rows}
    for _, program, year in sheets:
        for older_key, newer_key in (((program, year - 1), (program, year)), ((program, year), (program, year + 1))):
            older, newer = by_sheet.get(sheet_of.get(older_key), []), by_sheet.get(sheet_of.get(newer_key), [])
            _relink(older, newer)
    # proposed statuses of these sheets' rows, then of the following year's (a blank row carries its previous row's)
    by_pk = {row.pk: row for row in rows}
    for delta in (0, 1):
        for _, program, year in sorted(sheets, key=lambda s: s[2]):
            for row in by_sheet.get(sheet_of.get((program, year + delta)), []):
                row.proposed_status = row_proposed_status(row, previous=by_pk.get(row.previous_id))
    changed = [row for row in rows if before[row.pk] != (row.previous_id, row.proposed_status)]
    if changed:
        # one-to-one: clear the changed links first, so that swapping two rows' links never meets itself
        Improvement.objects.filter(pk__in=[r.pk for r in changed]).update(previous=None)
        Improvement.objects.bulk_update(changed, ["previous", "proposed_status"], batch_size=500)


def _relink(older: list[Improvement], newer: list[Improvement]) -> None:
    """Keep each newer row's link into `older` (one newer row per older row); drop a link anywhere else (a row that is
    gone, or not on last year's sheet); link the rest by _pairs."""
    older_ids, taken = {o.pk for o in older}, set()
    for n in newer:
        if n.previous_id in older_ids and n.previous_id not in taken:
            taken.add(n.previous_id)
        else:
            n.previous_id = None
    free_old = [o for o in older if o.pk not in taken]
    free_new = [n for n in newer if n.previous_id is None]
    for o, n in _pairs(free_old, free_new):
        n.previous_id = o.pk


def promised_q() -> Q:
    """A row whose 「前年度の計画」 is a promise carried from last year's 「当年度以降」: it is linked to last year's row
    (roll-over copies that text, an import links it by text or number) and last year's 「当年度以降」 was not empty.
    A blank row (no text at all) continues its previous row: it is a promise when that row's plan was one."""
    carried = ~Q(previous__next="")
    blank = Q(plan="", result="", next="")
    continued = blank & Q(previous__previous__isnull=False) & ~Q(previous__previous__next="")
    return Q(previous__isnull=False) & (carried | continued)


def improvements_refresh_all(*, batch_size: int = 1000) -> int:
    """improvements_refresh over every sheet, oldest fiscal year first (a blank row carries the status of last year's
    row, computed by then), `batch_size` sheets at a time; returns the number of sheets. For rows written before the
    ledger existed (migration 0020 left their proposed status blank) or by hand."""
    ids = list(Sheet.objects.order_by("fiscal_year", "pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        improvements_refresh(sheet_ids=ids[start : start + batch_size])
    return len(ids)
