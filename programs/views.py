"""Public pages: each view fetches through a selector or form and renders its page context (programs/pages/)."""

from django.http import FileResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from evalsheets.lib.downloads import csv_response
from evalsheets.lib.pagination import ChoicePaginator
from evalsheets.lib.params import fiscal_year_from_query
from evalsheets.lib.tables import csv_streaming_response
from programs import selectors
from programs.filtersets import SheetFilterSet, active_filters
from programs.forms import MunicipalityCompareForm, SearchForm
from programs.interchange import table_workbook
from programs.interchange.workbook import XLSX_CONTENT_TYPE
from programs.municipalities import list_municipality, scope_municipality, sheet_or_404, url_municipality
from programs.pages import compare_municipalities as municipalities_page
from programs.pages.compare import PANEL_TITLES, compare_context, compare_form, comparison_download
from programs.pages.improvements import improvement_csv_rows, improvement_list_context, ledger_filterset
from programs.pages.overview import overview_context
from programs.pages.program import program_context
from programs.pages.rollup import rollup_context
from programs.pages.search import search_context
from programs.pages.sheet import sheet_context
from programs.pages.sheet_diff import sheet_diff_context
from programs.tables import SheetTable, chosen_columns, column_choices, sheet_export_rows

PER_PAGE_CHOICES = (25, 50, 100)


def overview(request, municipality: str | None = None):
    """Every municipality at its own latest year, or one (/m/<団体コード>/ or ?municipality=)."""
    scope = list_municipality(request, municipality)
    return render(request, "programs/overview.html", overview_context(viewer=request.user, municipality=scope))


def rollup(request, municipality: str | None = None):
    viewer, scope = request.user, scope_municipality(request, municipality)
    fiscal_year = fiscal_year_from_query(request.GET.get("fiscal_year")) or selectors.latest_fiscal_year(
        viewer=viewer, municipality=scope
    )
    measure = request.GET.get("measure", "")  # one 施策 whose programs are listed (digits only, else none)
    measure_id = int(measure) if measure.isascii() and measure.isdigit() and len(measure) < 10 else None
    context = rollup_context(municipality=scope, fiscal_year=fiscal_year, viewer=viewer, measure_id=measure_id)
    return render(request, "programs/rollup.html", context)


class SheetListView(SingleTableMixin, FilterView):
    """/sheets/: filter, search, sort, paginate (25/50/100) and export exactly the filtered, sorted rows
    (`?_export=csv|xlsx`, streamed: the CSV as it is written, the XLSX from a temporary file)."""

    table_class = SheetTable
    filterset_class = SheetFilterSet
    template_name = "programs/sheet_list.html"
    export_formats = ("csv", "xlsx")
    export_name = "evalsheets_sheets"

    def export_format(self) -> str | None:
        export = self.request.GET.get("_export")
        return export if export in self.export_formats else None

    def get_queryset(self):
        """Every municipality's sheets (the 団体 filter and column tell them apart), or one under /m/<団体コード>/."""
        self.listed = list_municipality(self.request, self.kwargs.get("municipality"))
        return selectors.sheet_table_queryset(viewer=self.request.user, municipality=self.listed)

    def get_filterset_kwargs(self, filterset_class):
        """The filters offer the 分野…課 of the municipality listed, or of the only one there is."""
        kwargs = super().get_filterset_kwargs(filterset_class)
        self.only = selectors.only_municipality() if self.listed is None else None
        return kwargs | {"municipality": self.listed or self.only}

    def ranked_by_search(self) -> bool:
        """Rows in search_sheets' order (name matches first, then by hits) while a keyword is given and no column is
        chosen to sort by."""
        return bool(self.request.GET.get("q", "").strip()) and not self.request.GET.get("sort")

    def get_table_kwargs(self):
        """No default sort while ranked by a keyword (the table's own default, newest year then code, would undo it)."""
        return {"order_by": ()} if self.ranked_by_search() else {}

    def get_table(self, **kwargs):
        """The columns chosen with ?cols= (unknown names ignored), 団体 while several municipalities are listed; exports
        always carry every column."""
        table = super().get_table(**kwargs)
        self.columns = chosen_columns(self.request.GET.getlist("cols"))
        table.show_only(self.columns, municipality=self.listed is None and self.only is None)
        return table

    def get_table_pagination(self, table):
        """?per_page= other than 25/50/100 gives 25; ?page= past the end gives the last page (django-tables2).
        An export is every row (no count query)."""
        if self.export_format():
            return False
        return {"paginator_class": ChoicePaginator, "per_page": PER_PAGE_CHOICES[0], "per_page_choices": PER_PAGE_CHOICES}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs, per_page_choices=PER_PAGE_CHOICES)
        chips = active_filters(self.filterset, self.request.GET)
        return context | {
            "column_choices": column_choices(),
            "chosen_columns": self.columns,
            "active_filters": chips,
            "ranked_by_search": self.ranked_by_search(),
        }

    def render_to_response(self, context, **response_kwargs):
        export = self.export_format()
        if export is None:
            return super().render_to_response(context, **response_kwargs)
        sorted_rows = context["table"].data.data  # the filtered queryset, sorted as the table is
        rows = sheet_export_rows(sorted_rows)
        filename = f"{self.export_name}.{export}"
        if export == "csv":
            return csv_streaming_response(rows, filename=filename)
        count = sorted_rows.count()
        if count > table_workbook.MAX_ROWS:
            return HttpResponseBadRequest(
                f"XLSXは{table_workbook.MAX_ROWS:,}行までです（条件に合うシートは{count:,}件）。"
                "CSV（件数の上限なし）をお使いいただくか、年度・団体などで絞り込んでください。",
                content_type="text/plain; charset=utf-8",
            )
        title = str(SheetTable.Meta.model._meta.verbose_name_plural)
        file = table_workbook.table_workbook_file(rows, title=title, column_formats=table_workbook.number_formats(SheetTable))
        return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


def compare(request, municipality: str | None = None):
    form = compare_form(request.GET, viewer=request.user, municipality=scope_municipality(request, municipality))
    download = request.GET.get("download")
    if download in PANEL_TITLES:
        return csv_response(comparison_download(form, download), filename=f"evalsheets_compare_{download}.csv")
    return render(request, "programs/compare.html", compare_context(form))


def compare_municipalities(request):
    form = MunicipalityCompareForm(request.GET or None, viewer=request.user)
    download = request.GET.get("download")
    if download in municipalities_page.PANEL_TITLES:
        table = municipalities_page.comparison_download(form, download)
        return csv_response(table, filename=f"evalsheets_compare_municipalities_{download}.csv")
    return render(request, "programs/compare_municipalities.html", municipalities_page.compare_municipalities_context(form))


def sheet_detail(request, fiscal_year: int, code: str, municipality: str | None = None):
    queryset = selectors.sheet_page_queryset(viewer=request.user)
    sheet = sheet_or_404(queryset, municipality=municipality, fiscal_year=fiscal_year, code=code)
    return render(request, "programs/sheet_detail.html", sheet_context(sheet, viewer=request.user))


def sheet_diff(request, fiscal_year: int, code: str, municipality: str | None = None):
    """The sheet of `fiscal_year` against the year before, or ?from=&to= (two years of the program)."""
    context = sheet_diff_context(
        viewer=request.user, municipality=municipality, code=code, fiscal_year=fiscal_year, query=request.GET
    )
    return render(request, "programs/sheet_diff.html", context)


def search(request, municipality: str | None = None):
    """Every text of the sheets, in any width or kana (programs/search.py); one municipality under /m/<団体コード>/."""
    form = SearchForm(request.GET)
    scope = list_municipality(request, municipality)
    context = search_context(form, viewer=request.user, municipality=scope, page=request.GET.get("page"))
    return render(request, "programs/search.html", context)


def program_detail(request, code: str, municipality: str | None = None):
    queryset = selectors.program_queryset(viewer=request.user)
    program = get_object_or_404(queryset, municipality=url_municipality(municipality), code=code)
    return render(request, "programs/program_detail.html", program_context(program, viewer=request.user))


def improvement_list(request, municipality: str | None = None):
    """/improvements/: the 改善策 ledger of one municipality (the default, /m/<団体コード>/ or ?municipality=), filtered
    in the URL; `?_export=csv` gives every filtered trail-year."""
    scope = scope_municipality(request, municipality)
    filterset = ledger_filterset(request.GET, request=request, municipality=scope)
    if request.GET.get("_export") == "csv":
        rows = improvement_csv_rows(filterset, viewer=request.user, municipality=scope)
        return csv_streaming_response(rows, filename="evalsheets_improvements.csv")
    context = improvement_list_context(filterset, viewer=request.user, municipality=scope, page=request.GET.get("page"))
    return render(request, "programs/improvement_list.html", context)
