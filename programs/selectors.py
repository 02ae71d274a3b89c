"""ORM reads for pages: every queryset a page needs, with its joins and prefetches."""

from django.db.models import Max, Prefetch, QuerySet

from programs.models import Program, Sheet


def sheet_list_latest() -> QuerySet[Sheet]:
    latest = Sheet.objects.aggregate(year=Max("fiscal_year"))["year"]
    return Sheet.objects.filter(fiscal_year=latest).select_related("program", "section__department", "measure")


def sheet_detail_queryset() -> QuerySet[Sheet]:
    return Sheet.objects.select_related(
        "program", "section__department", "measure__policy__field"
    ).prefetch_related(
        "staff", "sub_programs", "history_events", "issues", "improvements",
        "budget_years", "breakdown_lines", "cost_lines", "stated_cost_totals",
        "indicators__values", "activity_items__values", "activity_items__parent",
    )


def program_queryset() -> QuerySet[Program]:
    return Program.objects.prefetch_related(
        Prefetch("sheets", queryset=Sheet.objects.order_by("fiscal_year").select_related("section__department"))
    )
