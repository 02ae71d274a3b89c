"""Bulk copies of a seed sheet, for "query counts stay flat as data grows" tests."""

from finance.models import BreakdownLine, BudgetYear, CostLine, StatedCostTotal
from indicators.models import ActivityItem, ActivityValue, Indicator, IndicatorValue
from programs.figures import sheet_stored_refresh
from programs.models import HistoryEvent, Improvement, Program, Sheet, SheetIssue, StaffMember, SubProgram

FLAT_PARTS = [
    StaffMember,
    SubProgram,
    HistoryEvent,
    SheetIssue,
    Improvement,
    BudgetYear,
    BreakdownLine,
    CostLine,
    StatedCostTotal,
]


def _clone(obj, **changes):
    obj.pk = None
    obj.id = None
    obj._state.adding = True
    for key, value in changes.items():
        setattr(obj, key, value)
    return obj


def sheets_bulk_create(
    count: int, *, template_code: str = "03-04-01", fiscal_year: int = 2021, prefix: str = "90"
) -> list[Sheet]:
    """`count` new programs, each with a full copy of the template sheet (all parts), in a few bulk queries, with their
    stored figures and findings computed."""
    template = Sheet.objects.get(program__code=template_code, fiscal_year=fiscal_year)
    municipality = template.program.municipality
    programs = Program.objects.bulk_create(
        Program(municipality=municipality, code=f"{prefix}-{i:04d}", name=f"生成事業{i}") for i in range(count)
    )
    sheets = Sheet.objects.bulk_create(
        _clone(Sheet.objects.get(pk=template.pk), program=p, name=f"生成事業{i}") for i, p in enumerate(programs)
    )
    for model in FLAT_PARTS:
        rows = list(model.objects.filter(sheet=template))
        model.objects.bulk_create(_clone(model(**_fields(row)), sheet=s) for s in sheets for row in rows)
    for parent_model, child_model, fk in ((Indicator, IndicatorValue, "indicator"), (ActivityItem, ActivityValue, "item")):
        parents = list(parent_model.objects.filter(sheet=template).order_by("pk"))
        children = {p.pk: list(child_model.objects.filter(**{fk: p})) for p in parents}
        copies = parent_model.objects.bulk_create(
            _clone(parent_model(**_fields(p)), sheet=s, **({"parent": None} if parent_model is ActivityItem else {}))
            for s in sheets
            for p in parents
        )
        originals = parents * len(sheets)
        child_model.objects.bulk_create(
            _clone(child_model(**_fields(c)), **{fk: copy})
            for copy, original in zip(copies, originals, strict=True)
            for c in children[original.pk]
        )
    sheet_stored_refresh([s.pk for s in sheets])  # as an import would: their stored figures and findings
    return sheets


def _fields(row) -> dict:
    return {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields if not f.primary_key}


def published(result):
    """A sheet just loaded with services.sheet_upsert (作成中, as every new sheet), published as after approval."""
    from programs.choices import SheetStatus

    Sheet.objects.filter(pk=result.sheet.pk).update(status=SheetStatus.PUBLISHED)
    return result
