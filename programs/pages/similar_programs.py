"""The 「類似する事務事業」 section of the sheet page and the program page: the stored rows (programs/similarity.py)
as the page shows them, read in one query."""

from evalsheets.lib.formatting import percent
from programs import selectors
from programs.models import Program, SimilarProgram

BUDGET_CLOSE_LABEL = "予算規模が近い（±20%以内）"
WORD_SEPARATOR = "・"


def similar_programs_panel(program: Program, *, viewer) -> dict:
    """Up to five similar programs of `program` with why; `program.municipality` is loaded by the caller."""
    rows = selectors.similar_programs(program.pk, viewer=viewer)
    return {
        "rows": [similar_row(row, home_municipality_id=program.municipality_id) for row in rows],
        "computed_at": rows[0].computed_at if rows else None,
    }


def similar_row(row: SimilarProgram, *, home_municipality_id: int) -> dict:
    facts = row.reasons
    other = row.similar
    return {
        "rank": row.rank,
        "code": other.code,
        "name": other.name,
        "url": other.get_absolute_url(),
        "section": facts.get("section", ""),
        "municipality": other.municipality.name if other.municipality_id != home_municipality_id else "",
        "fiscal_year": facts.get("fiscal_year"),
        "budget": facts.get("budget"),
        "score": percent(row.score * 100, 0),
        "reasons": reason_labels(facts),
    }


def reason_labels(facts: dict) -> list[str]:
    """Why it is similar, in short words: 同じ施策／同じ政策／同じ分野, 共通する語, 予算規模が近い, 同じ分類."""
    labels = []
    if facts.get("same_measure"):
        labels.append("同じ施策")
    elif facts.get("same_policy"):
        labels.append("同じ政策")
    elif facts.get("same_field"):
        labels.append("同じ分野")
    if words := facts.get("shared_words"):
        labels.append(f"共通する語：{WORD_SEPARATOR.join(words)}")
    if facts.get("budget_close"):
        labels.append(BUDGET_CLOSE_LABEL)
    if facts.get("same_classification"):
        labels.append(f"同じ分類（{facts.get('classification', '')}）")
    return labels
