"""事業の種別 (ProgramKind) of programs by the keyword rule, for comparing the same kind of program across municipalities.

The rule: the first kind (by position) one of whose keywords appears in the program's newest sheet's 事務事業名, 目的 or
内容 (compared after NFKC normalisation and case folding, so ＤＸ matches DX). A kind chosen in the admin
(kind_source "admin") is never overwritten; a program whose sheets match no keyword has no kind.
Run after every import of a sheet (services.sheet_upsert) and by `manage.py assign_program_kinds`.
"""

import unicodedata
from collections import Counter
from collections.abc import Iterable

from programs.models import Program, ProgramKind, Sheet

KEYWORD = "keyword"
ADMIN = "admin"


def _normalised(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").casefold()


def program_kind_match(texts: Iterable[str], kinds: list[ProgramKind]) -> ProgramKind | None:
    """The first of `kinds` (in their order) with a keyword in any of `texts`; None when none matches."""
    haystack = "\n".join(_normalised(text) for text in texts)
    for kind in kinds:
        if any(_normalised(word) in haystack for word in kind.keyword_list):
            return kind
    return None


def program_kinds_assign(*, program_ids: Iterable[int] | None = None) -> Counter:
    """Assign by the keyword rule the kind of every program (or of `program_ids`) not set in the admin.

    Returns a Counter of kind names (None for programs matching no keyword). Queries: the kinds, the newest sheets'
    texts, then one UPDATE per kind that changes — bounded by the number of kinds, not of programs or sheets.
    """
    kinds = list(ProgramKind.objects.order_by("position", "code"))
    programs = Program.objects.exclude(kind_source=ADMIN)
    if program_ids is not None:
        programs = programs.filter(pk__in=list(program_ids))
    current = dict(programs.values_list("pk", "kind_id"))
    if not current:
        return Counter()
    newest: dict[int, tuple[str, str, str]] = {}
    sheets = Sheet.objects.filter(program_id__in=current).order_by("program_id", "-fiscal_year")
    for program_id, name, purpose, content in sheets.values_list("program_id", "name", "purpose", "content"):
        newest.setdefault(program_id, (name, purpose, content))
    assigned: dict[int | None, list[int]] = {}
    counts: Counter = Counter()
    for program_id, kind_id in current.items():
        kind = program_kind_match(newest.get(program_id, ()), kinds)
        counts[kind.name if kind else None] += 1
        new_id = kind.pk if kind else None
        if new_id != kind_id:
            assigned.setdefault(new_id, []).append(program_id)
    for kind_id, ids in assigned.items():
        Program.objects.filter(pk__in=ids).update(kind_id=kind_id, kind_source=KEYWORD if kind_id else "")
    # a program whose kind did not change may still carry an empty source (created before the rule ran)
    programs.filter(pk__in=list(current), kind__isnull=False).exclude(kind_source=KEYWORD).update(kind_source=KEYWORD)
    return counts
