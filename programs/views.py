"""Public pages: each view fetches through a selector or form and renders its page context (programs/pages/)."""

from django.shortcuts import get_object_or_404, render
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from evalsheets.lib.downloads import csv_response
from evalsheets.lib.params import fiscal_year_from_query
from evalsheets.lib.tables import BomTableExport
from programs import selectors
from programs.filtersets import SheetFilterSet
from programs.pages.compare import PANEL_TITLES, compare_context, compare_form, comparison_download
from programs.pages.overview import overview_context
from programs.pages.program import program_context
from programs.pages.rollup import rollup_context
from programs.pages.sheet import sheet_context
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
    form = compare_form(request.GET)
    download = request.GET.get("download")
    if download in PANEL_TITLES:
        return csv_response(comparison_download(form, download), filename=f"evalsheets_compare_{download}.csv")
    return render(request, "programs/compare.html", compare_context(form))


def sheet_detail(request, fiscal_year: int, code: str):
    sheet = get_object_or_404(selectors.sheet_page_queryset(), fiscal_year=fiscal_year, program__code=code)
    return render(request, "programs/sheet_detail.html", sheet_context(sheet))


def program_detail(request, code: str):
    program = get_object_or_404(selectors.program_queryset(), code=code)
    return render(request, "programs/program_detail.html", program_context(program))
