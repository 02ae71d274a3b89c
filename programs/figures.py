"""The stored per-sheet figures (programs.models.sheet.SheetFigures): computed in the database by the same SQL
expressions the table used to annotate (finance.expressions, indicators.expressions: their one home), so a stored
figure equals the recomputed one by construction."""

from collections.abc import Iterable

from finance.expressions import sheet_derived_annotations, sheet_finance_annotations
from indicators.expressions import sheet_achievement_subquery
from programs.findings import sheet_findings_store
from programs.models import Sheet
from programs.search import sheet_search_refresh
from programs.similarity import similar_programs_refresh_on_commit

BATCH_SIZE = 2000


def sheet_figures_refresh(sheet_ids: Iterable[int]) -> int:
    """Recompute the stored figures of these sheets (two UPDATE statements per batch: the figures read from the
    sheet's rows, then those derived from them). Returns how many sheets were updated."""
    ids = list(sheet_ids)
    updated = 0
    for start in range(0, len(ids), BATCH_SIZE):
        sheets = Sheet.objects.filter(pk__in=ids[start : start + BATCH_SIZE])
        updated += sheets.update(**sheet_finance_annotations(), achievement=sheet_achievement_subquery())
        sheets.update(**sheet_derived_annotations())
    return updated


def sheet_stored_refresh(sheet_ids: Iterable[int], *, similar: bool = True) -> None:
    """Everything stored about these sheets that is computed from their parts: the figures, the data-quality
    findings (programs/findings.py) and the search document (programs/search.py). Called by every write of a sheet's
    parts: services.sheet_upsert (imports, workbook uploads, the seed), the admin, 前年度複写 (rollover) and restore
    (revisions). The 類似する事務事業 of every program are recomputed after the commit while the data is small
    (programs/similarity.py); `similar=False` leaves them to the caller (generate_demo: once, after every ward)."""
    ids = list(sheet_ids)
    sheet_figures_refresh(ids)
    sheet_findings_store(ids)
    sheet_search_refresh(ids)
    if similar:
        similar_programs_refresh_on_commit()


def sheet_figures_refresh_all(*, batch_size: int = BATCH_SIZE) -> int:
    """Recompute every sheet's figures, a batch of ids at a time (memory bounded by the batch)."""
    updated, last_id = 0, 0
    while ids := list(Sheet.objects.filter(pk__gt=last_id).order_by("pk").values_list("pk", flat=True)[:batch_size]):
        updated += sheet_figures_refresh(ids)
        last_id = ids[-1]
    return updated
