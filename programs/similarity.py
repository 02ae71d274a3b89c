"""類似する事務事業: for every program, the five programs most like it, with the reasons shown beside them.

What is compared: each program's newest **published** sheet (the sheet the public may see: the seed and generated
sheets are published; a program with no published sheet has no similar programs and is nobody's similar program).
Its text is 事務事業名 + 目的 + 内容, NFKC-normalised.

How (`similar_programs_compute`):
1. TF-IDF over character 2–3-grams within words (scikit-learn `TfidfVectorizer(analyzer="char_wb")`, sublinear tf,
   l2 rows), so Japanese needs no word splitting: 住民記録 and 住民記録システム share 住民, 民記, 記録 ….
2. Cosine similarity = a product of the sparse rows, CHUNK_CELLS cells of the n × n matrix at a time (never the
   whole matrix): each program keeps its TEXT_CANDIDATES best texts.
3. Each candidate is scored: TEXT_WEIGHT × cosine + the policy hierarchy (same 施策 MEASURE_WEIGHT, else same 政策
   POLICY_WEIGHT, else same 分野 FIELD_WEIGHT: hierarchies belong to one municipality, so only programs of the same
   one get these) + BUDGET_WEIGHT when the other's budget is within ±20 % of this one's (the evaluation year's 予算額
   from the stored sheet figures; a missing budget is no reason, never zero) + CLASSIFICATION_WEIGHT for the same
   分類 (当年度). The weights add up to 1, so a score reads as a share of a perfect match. Ties go to the lower id.
4. The best TOP_COUNT are kept with what the page shows, in `reasons`, so it reads them in one query.

`similar_programs_store` replaces every stored row in one transaction (`manage.py refresh_similar_programs`); writes
of sheets call `similar_programs_refresh_on_commit`, which recomputes them after the commit while there are at most
SYNC_REFRESH_MAX_PROGRAMS programs (larger databases: the command, from cron).
"""

import time
import unicodedata
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from evalsheets.lib.japanese_text import keywords
from programs.choices import SheetStatus
from programs.models import Sheet, SimilarProgram

TEXT_WEIGHT = 0.65  # the texts say most; the rest add up to 0.35 so that no one reason outweighs a clearly closer text
MEASURE_WEIGHT = 0.25  # same 施策
POLICY_WEIGHT = 0.15  # same 政策, another 施策
FIELD_WEIGHT = 0.05  # same 分野, another 政策
BUDGET_WEIGHT = 0.05  # budgets within ±BUDGET_TOLERANCE
BUDGET_TOLERANCE = 0.2
CLASSIFICATION_WEIGHT = 0.05  # same 分類 (当年度)

TOP_COUNT = 5
TEXT_CANDIDATES = 50
SHARED_WORDS_SHOWN = 5
NGRAM_RANGE = (2, 3)
# n-grams in more than half of the texts (する, の運, システ … in a demo ward's texts) are left out: their idf makes them
# weigh little, yet they made the similarity product nearly dense (9,206 programs: 42 s of products with them, 7 s
# without; the seed's ranks 1 are unchanged). Only from COMMON_NGRAM_MIN_TEXTS texts on: in a handful of texts half is
# two or three, and every shared n-gram would go.
COMMON_NGRAM_SHARE = 0.5
COMMON_NGRAM_MIN_TEXTS = 100
CHUNK_CELLS = 8_000_000  # cells of the similarity matrix held at once (float32: 32 MB)
SYNC_REFRESH_MAX_PROGRAMS = 2_000  # above this, writes leave the refresh to `manage.py refresh_similar_programs`

_SHEET_FIELDS = (
    "id",
    "program_id",
    "fiscal_year",
    "name",
    "purpose",
    "content",
    "classification_current",
    "own_budget",
    "measure_id",
    "measure__code",
    "measure__name",
    "measure__policy_id",
    "measure__policy__field_id",
    "section__name",
    "section__department__name",
    "program__municipality_id",
    "program__municipality__name",
)


@dataclass(frozen=True)
class Similar:
    program_id: int
    similar_id: int
    rank: int
    score: float
    text_score: float
    reasons: dict
    source_sheet_id: int


def compared_sheets() -> list[dict]:
    """Each program's newest published sheet, with what the comparison and the page need (one query)."""
    published = Sheet.objects.filter(status=SheetStatus.PUBLISHED)
    newer = published.filter(program=OuterRef("program"), fiscal_year__gt=OuterRef("fiscal_year"))
    return list(published.filter(~Exists(newer)).order_by("program_id").values(*_SHEET_FIELDS))


def sheet_text(sheet: dict) -> str:
    """The compared text: 事務事業名, 目的 and 内容, NFKC-normalised (全角 Ａ and ｱ read as A and ア)."""
    return unicodedata.normalize("NFKC", "\n".join((sheet["name"], sheet["purpose"], sheet["content"])))


def text_candidates(texts: list[str], *, count: int = TEXT_CANDIDATES) -> list[list[tuple[int, float]]]:
    """For each text, up to `count` others (index, cosine similarity > 0), best first, from TF-IDF over character
    n-grams; the similarity matrix is built CHUNK_CELLS cells at a time."""
    import numpy as np  # here, not at module level: pages import this module's neighbours, never scikit-learn
    from sklearn.feature_extraction.text import TfidfVectorizer

    n = len(texts)
    if n < 2:
        return [[] for _ in texts]
    vectors = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=NGRAM_RANGE,
        sublinear_tf=True,
        max_df=COMMON_NGRAM_SHARE if n >= COMMON_NGRAM_MIN_TEXTS else 1.0,
        dtype=np.float32,
    )
    try:
        matrix = vectors.fit_transform(texts).tocsr()
    except ValueError:  # no n-gram left (texts of one character): nothing to compare
        return [[] for _ in texts]
    transposed = matrix.T.tocsr()  # once: a product with a CSC right side would convert it for every block
    chunk = max(1, CHUNK_CELLS // n)
    keep = min(count, n - 1)
    result = []
    for start in range(0, n, chunk):
        block = (matrix[start : start + chunk] @ transposed).toarray()
        rows = np.arange(block.shape[0])
        block[rows, rows + start] = -1.0  # never itself
        best = np.argpartition(-block, keep - 1, axis=1)[:, :keep]
        for row, columns in zip(rows, best, strict=True):
            scores = block[row, columns]
            order = np.lexsort((columns, -scores))  # best first, ties to the lower index
            result.append([(int(columns[i]), float(scores[i])) for i in order if scores[i] > 0])
    return result


def budget_close(own: int | None, other: int | None) -> bool:
    """The other's budget within ±BUDGET_TOLERANCE of this one's (both known and positive)."""
    if not own or not other or own < 0 or other < 0:
        return False
    return abs(other - own) <= BUDGET_TOLERANCE * own


def pair_score(own: dict, other: dict, text_score: float) -> tuple[float, dict]:
    """The combined score of `other` for `own` and the reasons shown (flags; the words are added by the caller)."""
    same_measure = own["measure_id"] == other["measure_id"]
    same_policy = not same_measure and own["measure__policy_id"] == other["measure__policy_id"]
    same_field = not same_measure and not same_policy and own["measure__policy__field_id"] == other["measure__policy__field_id"]
    close = budget_close(own["own_budget"], other["own_budget"])
    same_class = bool(own["classification_current"]) and own["classification_current"] == other["classification_current"]
    score = (
        TEXT_WEIGHT * text_score
        + MEASURE_WEIGHT * same_measure
        + POLICY_WEIGHT * same_policy
        + FIELD_WEIGHT * same_field
        + BUDGET_WEIGHT * close
        + CLASSIFICATION_WEIGHT * same_class
    )
    ratio = other["own_budget"] / own["own_budget"] if own["own_budget"] and other["own_budget"] is not None else None
    return score, {
        "same_measure": same_measure,
        "same_policy": same_policy,
        "same_field": same_field,
        "budget_close": close,
        "budget_ratio": None if ratio is None else round(ratio, 3),
        "same_classification": same_class,
    }


def similar_programs_compute() -> list[Similar]:
    """The TOP_COUNT most similar programs of every program with a published sheet (see the module's docstring)."""
    sheets = compared_sheets()
    texts = [sheet_text(sheet) for sheet in sheets]
    words = [keywords(text) for text in texts]
    results = []
    for index, candidates in enumerate(text_candidates(texts)):
        own = sheets[index]
        scored = []
        for other_index, text_score in candidates:
            score, reasons = pair_score(own, sheets[other_index], text_score)
            scored.append((round(score, 4), round(text_score, 4), other_index, reasons))
        scored.sort(key=lambda item: (-item[0], sheets[item[2]]["program_id"]))
        own_words = set(words[index])
        for rank, (score, text_score, other_index, reasons) in enumerate(scored[:TOP_COUNT], start=1):
            other = sheets[other_index]
            shared = [word for word in words[other_index] if word in own_words][:SHARED_WORDS_SHOWN]
            results.append(
                Similar(
                    program_id=own["program_id"],
                    similar_id=other["program_id"],
                    rank=rank,
                    score=score,
                    text_score=text_score,
                    reasons={**reasons, "shared_words": shared, **shown_facts(other)},
                    source_sheet_id=own["id"],
                )
            )
    return results


def shown_facts(sheet: dict) -> dict:
    """What the page shows about the similar program, stored so the page needs no other query."""
    return {
        "fiscal_year": sheet["fiscal_year"],
        "section": f"{sheet['section__department__name']}{sheet['section__name']}",
        "municipality_id": sheet["program__municipality_id"],
        "municipality": sheet["program__municipality__name"],
        "measure": f"{sheet['measure__code']} {sheet['measure__name']}",
        "classification": sheet["classification_current"],
        "budget": sheet["own_budget"],
    }


@dataclass(frozen=True)
class RefreshReport:
    programs: int
    rows: int
    seconds: float


@transaction.atomic
def similar_programs_store(results: list[Similar]) -> int:
    """Replace every stored row by `results`, in one transaction (readers see the old rows or the new, never none)."""
    computed_at = timezone.now()
    SimilarProgram.objects.all().delete()
    SimilarProgram.objects.bulk_create(
        (
            SimilarProgram(
                program_id=r.program_id,
                similar_id=r.similar_id,
                rank=r.rank,
                score=r.score,
                text_score=r.text_score,
                reasons=r.reasons,
                source_sheet_id=r.source_sheet_id,
                computed_at=computed_at,
            )
            for r in results
        ),
        batch_size=2000,
    )
    if connection.vendor == "postgresql":  # planner statistics for the new rows: the page's query 15 ms → 0.2 ms
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(SimilarProgram._meta.db_table)}")
    return len(results)


def similar_programs_refresh() -> RefreshReport:
    """Compute and store every program's similar programs."""
    started = time.perf_counter()
    results = similar_programs_compute()
    rows = similar_programs_store(results)
    return RefreshReport(programs=len({r.program_id for r in results}), rows=rows, seconds=time.perf_counter() - started)


def similar_programs_refresh_if_small() -> RefreshReport | None:
    """Refresh now when there are at most SYNC_REFRESH_MAX_PROGRAMS programs with a published sheet; else leave it to
    the command (returns None)."""
    programs = Sheet.objects.filter(status=SheetStatus.PUBLISHED).values("program_id").distinct().count()
    if programs > SYNC_REFRESH_MAX_PROGRAMS:
        return None
    return similar_programs_refresh()


def similar_programs_refresh_on_commit() -> None:
    """After the current transaction commits (at once outside one), refresh while the data is small. Called by every
    write of a sheet (programs.figures.sheet_stored_refresh) and by publication; registered once per transaction."""
    pending = connection.run_on_commit if connection.in_atomic_block else []
    if any(callback is similar_programs_refresh_if_small for _, callback, _ in pending):
        return
    transaction.on_commit(similar_programs_refresh_if_small, robust=True)  # a failure is logged, the write stands
