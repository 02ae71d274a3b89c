"""Public pages: each view fetches through a selector or form and renders its page context (programs/pages/)."""

from django.shortcuts import get_object_or_404, render
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from evalsheets.lib.downloads import csv_response
from evalsheets.lib.pagination import ChoicePaginator
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
    viewer = request.user
    fiscal_year = selectors.latest_fiscal_year(viewer=viewer)
    return render(request, "programs/overview.html", overview_context(fiscal_year=fiscal_year, viewer=viewer))


def rollup(request):
    viewer = request.user
    fiscal_year = fiscal_year_from_query(request.GET.get("fiscal_year")) or selectors.latest_fiscal_year(viewer=viewer)
    return render(request, "programs/rollup.html", rollup_context(fiscal_year=fiscal_year, viewer=viewer))


class SheetListView(ExportMixin, SingleTableMixin, FilterView):
    """/sheets/: filter, search, sort, paginate (25/50/100) and export exactly the filtered, sorted rows."""

    table_class = SheetTable
    filterset_class = SheetFilterSet
    template_name = "programs/sheet_list.html"
    export_class = BomTableExport
    export_formats = ("csv", "xlsx")
    export_name = "evalsheets_sheets"

    def get_queryset(self):
        return selectors.sheet_table_queryset(viewer=self.request.user)

    def get_table_pagination(self, table):
        """?per_page= other than 25/50/100 gives 25; ?page= past the end gives the last page (django-tables2)."""
        return {"paginator_class": ChoicePaginator, "per_page": PER_PAGE_CHOICES[0], "per_page_choices": PER_PAGE_CHOICES}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, per_page_choices=PER_PAGE_CHOICES)


def compare(request):
    form = compare_form(request.GET, viewer=request.user)
    download = request.GET.get("download")
    if download in PANEL_TITLES:
        return csv_response(comparison_download(form, download), filename=f"evalsheets_compare_{download}.csv")
    return render(request, "programs/compare.html", compare_context(form))


def sheet_detail(request, fiscal_year: int, code: str):
    sheet = get_object_or_404(selectors.sheet_page_queryset(viewer=request.user), fiscal_year=fiscal_year, program__code=code)
    return render(request, "programs/sheet_detail.html", sheet_context(sheet, viewer=request.user))


def program_detail(request, code: str):
    program = get_object_or_404(selectors.program_queryset(viewer=request.user), code=code)
    return render(request, "programs/program_detail.html", program_context(program, viewer=request.user))
