from django.shortcuts import get_object_or_404, render

from programs import selectors


def overview(request):
    return render(request, "programs/overview.html", {"sheets": selectors.sheet_list_latest()})


def sheet_detail(request, fiscal_year: int, code: str):
    sheet = get_object_or_404(selectors.sheet_detail_queryset(), fiscal_year=fiscal_year, program__code=code)
    return render(request, "programs/sheet_detail.html", {"sheet": sheet})


def program_detail(request, code: str):
    program = get_object_or_404(selectors.program_queryset(), code=code)
    return render(request, "programs/program_detail.html", {"program": program})
