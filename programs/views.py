from django.shortcuts import get_object_or_404, render
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from evalsheets.lib.downloads import csv_response
from evalsheets.lib.params import fiscal_year_from_query
from evalsheets.lib.tables import BomTableExport
from programs import selectors
from programs.filtersets import SheetFilterSet
from programs.pages import compare as compare_module
from programs.pages.overview import overview_context, rollup_context
from programs.pages.program import program_panels
from programs.pages.sheet import sheet_panels
from programs.tables import SheetTable

PER_PAGE_CHOICES = (25, 50, 100)


def overview(request):
    return render(request, "programs/overview.html", overview_context(fiscal_year=selectors.latest_fiscal_year()))


def rollup(request):
    fiscal_year = fiscal_year_from_query(request.GET.get("fiscal_year")) or selectors.latest_fiscal_year()
    return render(request, "programs/rollup.html", rollup_context(fiscal_year=fiscal_year))


class SheetListView(ExportMixin, SingleTableMixin, FilterView):
    """/sheets/: filter, search, sort, paginate (25/50/100) and export exactly the filtered, sorted rows."""

    table_class = SheetTable
    filterset_class = SheetFilterSet
    template_name = "programs/sheet_list.html"
    export_class = BomTableExport
    export_formats = ("csv", "xlsx")
    export_name = "evalsheets_sheets"

    def get_queryset(self):
        return selectors.sheet_table_queryset()

    def get_table_pagination(self, table):
        per_page = self.request.GET.get("per_page", "")
        return {"per_page": int(per_page) if per_page in {str(n) for n in PER_PAGE_CHOICES} else PER_PAGE_CHOICES[0]}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, per_page_choices=PER_PAGE_CHOICES)


def compare(request):
    form = compare_module.CompareForm(request.GET or None)
    selection = compare_module.selection_from(form)
    frames = compare_module.comparison_frames(selection)
    download = request.GET.get("download")
    if download in compare_module.PANEL_TITLES:
        tables = compare_module.comparison_tables(frames, selection)
        return csv_response(tables[download], filename=f"evalsheets_compare_{download}.csv")
    return render(
        request,
        "programs/compare.html",
        {"form": form, "selection": selection, "panels": compare_module.comparison_panels(frames, selection)},
    )


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
    return render(request, "programs/program_detail.html", {"program": program, "panels": program_panels(program)})
