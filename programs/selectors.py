"""ORM reads for pages: every queryset a page needs, with its joins and prefetches."""

from django.db.models import Max, OuterRef, Prefetch, QuerySet, Subquery

from finance.expressions import sheet_derived_annotations, sheet_finance_annotations
from finance.models import BudgetYear
from indicators.expressions import sheet_achievement_subquery
from programs.models import Program, Sheet

SHEET_RELATED = ["program", "section__department", "measure__policy__field"]
SHEET_TEXT_PARTS = ["staff", "sub_programs", "history_events", "issues", "improvements"]


def sheet_list_latest() -> QuerySet[Sheet]:
    latest = Sheet.objects.aggregate(year=Max("fiscal_year"))["year"]
    return Sheet.objects.filter(fiscal_year=latest).select_related(*SHEET_RELATED)


def sheet_page_queryset() -> QuerySet[Sheet]:
    """A sheet with its text parts; the figures come as frames (finance/indicators selectors)."""
    return Sheet.objects.select_related(*SHEET_RELATED).prefetch_related(*SHEET_TEXT_PARTS)


def sheet_document_queryset() -> QuerySet[Sheet]:
    """A sheet with every part, for the JSON document."""
    return sheet_page_queryset().prefetch_related(
        "budget_years", "breakdown_lines", "cost_lines", "indicators__values", "activity_items__values",
    )


def sheet_neighbours(sheet: Sheet) -> dict:
    """Previous and next program (by code) of the same 課 in the same fiscal year."""
    siblings = list(
        Sheet.objects.filter(section_id=sheet.section_id, fiscal_year=sheet.fiscal_year)
        .order_by("program__code")
        .values("program__code", "name")
    )
    codes = [s["program__code"] for s in siblings]
    index = codes.index(sheet.program.code)
    pick = lambda i: {"code": codes[i], "name": siblings[i]["name"]} if 0 <= i < len(codes) else None  # noqa: E731
    return {"previous": pick(index - 1), "next": pick(index + 1)}


def program_fiscal_years(program_id: int) -> list[int]:
    return list(Sheet.objects.filter(program_id=program_id).order_by("fiscal_year").values_list("fiscal_year", flat=True))


def program_queryset() -> QuerySet[Program]:
    return Program.objects.prefetch_related(
        Prefetch("sheets", queryset=Sheet.objects.order_by("fiscal_year").select_related("section__department"))
    )


def sheet_api_list(*, fiscal_year: int | None = None, code: str = "") -> QuerySet[Sheet]:
    """Sheets with the budget and settlement of their own fiscal year annotated (one query per page)."""
    own_year = BudgetYear.objects.filter(sheet=OuterRef("pk"), fiscal_year=OuterRef("fiscal_year"))
    queryset = (
        Sheet.objects.select_related("program", "section__department")
        .annotate(
            own_budget=Subquery(own_year.values("budget")[:1]),
            own_settlement=Subquery(own_year.values("settlement")[:1]),
            own_settlement_is_estimate=Subquery(own_year.values("settlement_is_estimate")[:1]),
        )
        .order_by("-fiscal_year", "program__code")
    )
    if fiscal_year:
        queryset = queryset.filter(fiscal_year=fiscal_year)
    if code:
        queryset = queryset.filter(program__code=code)
    return queryset


def sheet_table_queryset() -> QuerySet[Sheet]:
    """Sheets with every sortable figure of the table annotated (one query per page, any data size)."""
    return (
        Sheet.objects.select_related("program", "section__department", "measure__policy__field")
        .annotate(**sheet_finance_annotations())
        .annotate(**sheet_derived_annotations(), achievement=sheet_achievement_subquery())
    )
