from django.shortcuts import get_object_or_404, render

from programs import selectors
from programs.panels import sheet_panels


def overview(request):
    return render(request, "programs/overview.html", {"sheets": selectors.sheet_list_latest()})


def sheet_detail(request, fiscal_year: int, code: str):
    sheet = get_object_or_404(selectors.sheet_page_queryset(), fiscal_year=fiscal_year, program__code=code)
    return render(
        request,
        "programs/sheet_detail.html",
        {
            "sheet": sheet,
            "panels": sheet_panels(sheet),
            "neighbours": selectors.sheet_neighbours(sheet),
            "other_years": selectors.program_fiscal_years(sheet.program_id),
            "previous_fiscal_year": fiscal_year - 1,
            "next_fiscal_year": fiscal_year + 1,
        },
    )


def program_detail(request, code: str):
    program = get_object_or_404(selectors.program_queryset(), code=code)
    return render(request, "programs/program_detail.html", {"program": program})
