"""Search of the sheets' texts: one function, `search_sheets`, with the database's own index behind it.

Each sheet's texts are stored once in the normal form of evalsheets.lib.text_search (SheetSearch: its code and name,
and a document of every text on the form — 名称, 目的, 対象者等, 内容, 経過, 問題点・課題, 改善策, 指標, 実績の推移,
小事業, 担当者, 備考, the profile's extra texts …), rewritten with the sheet's stored figures whenever the sheet or a
part of it is written (programs.figures.sheet_stored_refresh) and rebuilt by `manage.py rebuild_search`.

A query is normalised the same way and split into words; a sheet matches when its document holds every word:
- PostgreSQL: `document LIKE '%word%'` answered by a pg_trgm GIN index (gin_trgm_ops, migration 0017);
- SQLite: a MATCH on the FTS5 table with the trigram tokenizer (programs_sheetsearch_fts) for words of three or more
  characters; shorter words (情報, 区) are compared with LIKE on the sheets the longer ones left (the trigram
  tokenizer cannot index them), on every sheet when the query has no longer word.
Results are ranked: sheets whose code or name holds a word first (more such words first), then by how often the
words occur in the document, then the newest year and the code.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connections
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length, Replace

from evalsheets.lib.text_search import Segment, highlight, search_normalise, search_words
from indicators.models import ActivityItem, Indicator
from programs.models import (
    HistoryEvent,
    Improvement,
    Sheet,
    SheetIssue,
    SheetSearch,
    SheetText,
    StaffMember,
    SubProgram,
)

BATCH_SIZE = 500
FTS_TABLE = "programs_sheetsearch_fts"
TRIGRAM = 3  # the shortest word an index answers (both pg_trgm and FTS5's trigram tokenizer)
# The sheet's own text fields, in the form's order (their verbose names label a snippet).
SHEET_TEXT_FIELDS = (
    "purpose",
    "target_group",
    "content",
    "necessity",
    "legal_basis",
    "implementation_note",
    "classification_explanation",
    "remarks",
    "other_wards_notes",
    "council_notes",
    "chief",
)
# The parts: model, the text fields of a row (each its own piece, labelled by its verbose name) or joined into one
# (a tuple inside the tuple: 経過's date, heading and text read as one line).
PART_TEXTS = (
    (StaffMember, ("name",)),
    (SubProgram, ("name",)),
    (HistoryEvent, (("era_label", "group", "text"),)),
    (Indicator, ("name", "description")),
    (ActivityItem, ("name",)),
    (SheetIssue, ("text",)),
    (Improvement, ("plan", "result", "next")),
    (SheetText, ("text",)),
)
PART_LABELS = {HistoryEvent: "経過", Indicator: "指標", Improvement: "改善策"}


@dataclass(frozen=True)
class SearchHit:
    """One result as the page shows it: the sheet, its name with the matches marked, and where the words occur."""

    sheet: Sheet
    name: list[Segment]
    label: str
    snippet: list[Segment]


def _label(model, field: str) -> str:
    return str(model._meta.get_field(field).verbose_name)


def sheet_search_parts(sheet_ids: Iterable[int]) -> dict[int, list[tuple[str, str]]]:
    """Each sheet's texts as (label, text) in the form's order, the name first: the search document is built from
    them and snippets are cut from them. One query per part table."""
    ids = list(sheet_ids)
    parts: dict[int, list[tuple[str, str]]] = {pk: [] for pk in ids}
    for row in Sheet.objects.filter(pk__in=ids).values("pk", "name", *SHEET_TEXT_FIELDS):
        pieces = [(_label(Sheet, "name"), row["name"]), *((_label(Sheet, f), row[f]) for f in SHEET_TEXT_FIELDS)]
        parts[row["pk"]].extend(pieces)
    for model, fields in PART_TEXTS:
        names = [name for field in fields for name in ((field,) if isinstance(field, str) else field)]
        extra = ["label", "key"] if model is SheetText else []
        rows = model.objects.filter(sheet_id__in=ids).order_by("sheet_id", *model._meta.ordering)
        for row in rows.values("sheet_id", *names, *extra):
            for field in fields:
                if isinstance(field, str):
                    text, label = row[field], PART_LABELS.get(model) or _label(model, field)
                else:
                    text, label = " ".join(row[name] for name in field if row[name]), PART_LABELS[model]
                if model is SheetText:
                    label = row["label"] or row["key"]
                parts[row["sheet_id"]].append((label, text))
    return {pk: [(label, text) for label, text in pieces if text] for pk, pieces in parts.items()}


def sheet_search_refresh(sheet_ids: Iterable[int]) -> int:
    """Rewrite the search documents of these sheets (an upsert: the database's index follows). Returns how many."""
    ids = list(sheet_ids)
    written = 0
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        sheets = Sheet.objects.filter(pk__in=batch).values_list("pk", "program__code", "name")
        codes = {pk: (code, name) for pk, code, name in sheets}
        rows = [
            SheetSearch(
                sheet_id=pk,
                name=search_normalise(" ".join(codes[pk])),
                document=search_normalise("\n".join([codes[pk][0], *(text for _, text in pieces)])),
            )
            for pk, pieces in sheet_search_parts(batch).items()
            if pk in codes
        ]
        SheetSearch.objects.bulk_create(rows, update_conflicts=True, unique_fields=["sheet"], update_fields=["name", "document"])
        written += len(rows)
    return written


def sheet_search_refresh_all(*, batch_size: int = BATCH_SIZE) -> int:
    """Rebuild every sheet's search document, a batch of ids at a time."""
    written, last_id = 0, 0
    while ids := list(Sheet.objects.filter(pk__gt=last_id).order_by("pk").values_list("pk", flat=True)[:batch_size]):
        written += sheet_search_refresh(ids)
        last_id = ids[-1]
    return written


def _fts_phrase(word: str) -> str:
    """A word as an FTS5 string (a phrase: with the trigram tokenizer, the word as a substring); quotes doubled."""
    return '"' + word.replace('"', '""') + '"'


def _matching(words: list[str], vendor: str) -> Q:
    """The condition "the document holds every word", in the form the database's index answers."""
    condition = Q()
    indexed = [word for word in words if len(word) >= TRIGRAM]
    if vendor == "sqlite" and indexed:
        match = " AND ".join(_fts_phrase(word) for word in indexed)
        condition &= Q(pk__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match]))
        words = [word for word in words if len(word) < TRIGRAM]
    for word in words:
        condition &= Q(search__document__contains=word)
    return condition


def _count(field: str, word: str):
    """How often `word` occurs in the text column `field` (its length less the length without it)."""
    return (Length(field) - Length(Replace(field, Value(word), Value("")))) / Value(len(word))


def search_sheets(sheets: QuerySet[Sheet], query: str) -> QuerySet[Sheet]:
    """`sheets` whose texts hold every word of `query` (any width, case or kana), ranked: code/name matches first,
    then by the number of occurrences. Annotated with search_name_hits and search_hits. An empty query: `sheets`."""
    words = search_words(query)
    if not words:
        return sheets
    vendor = connections[sheets.db].vendor
    name_hits = sum(
        (Case(When(search__name__contains=word, then=Value(1)), default=Value(0), output_field=IntegerField()) for word in words),
        Value(0),
    )
    hits = sum((_count("search__document", word) for word in words), Value(0))
    return (
        sheets.filter(_matching(words, vendor))
        .annotate(search_name_hits=name_hits, search_hits=hits)
        .order_by("-search_name_hits", "-search_hits", "-fiscal_year", "program__municipality__code", "program__code")
    )


def search_hits(sheets: Iterable[Sheet], query: str, *, before: int = 30, after: int = 90) -> list[SearchHit]:
    """The page's results with their name and the first text holding a word (as printed, the matches marked; the
    name's purpose when only the name matches). One query per part table, for the shown sheets only."""
    sheets = list(sheets)
    words = search_words(query)
    parts = sheet_search_parts(sheet.pk for sheet in sheets)
    results = []
    for sheet in sheets:
        pieces = parts.get(sheet.pk, [])
        found = next(
            ((label, segments) for label, text in pieces[1:] if (segments := highlight(text, words, before=before, after=after))),
            None,
        )
        if found is None:
            label, text = pieces[1] if len(pieces) > 1 else ("", "")
            found = (label, [Segment(text[: before + after] + ("…" if len(text) > before + after else ""))])
        name = highlight(f"{sheet.program.code} {sheet.name}", words) or [Segment(f"{sheet.program.code} {sheet.name}")]
        results.append(SearchHit(sheet=sheet, name=name, label=found[0], snippet=found[1]))
    return results
