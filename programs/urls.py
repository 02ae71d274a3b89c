from django.urls import path, register_converter

from evalsheets.lib.params import FiscalYearConverter, MunicipalityCodeConverter, ProgramCodeConverter
from programs import excel_views, views, workflow_views

register_converter(FiscalYearConverter, "fy")
register_converter(ProgramCodeConverter, "code")  # no control characters: /programs/%00/ is a 404
register_converter(MunicipalityCodeConverter, "muni")


def scoped(routes: list) -> list:
    """Each route twice: as it is (the default municipality for a detail page, every municipality for a list) and
    under /m/<団体コード>/ (that municipality). Both carry the same name: reverse() picks the one whose arguments are
    given, so `reverse(name, kwargs={..., "municipality": "999997"})` gives the /m/ form (see Municipality.url_kwargs)."""
    return [
        *routes,
        *(path(f"m/<muni:municipality>/{route.pattern}", route.callback, name=route.name) for route in routes),
    ]


app_name = "programs"
urlpatterns = scoped(
    [
        path("", views.overview, name="overview"),
        path("sheets/", views.SheetListView.as_view(), name="sheet_list"),
        path("sheets/excel/", excel_views.sheets_workbook, name="sheets_workbook"),
        path("sheets/blank.xlsx", excel_views.blank_template, name="blank_template"),
        path("sheets/<fy:fiscal_year>/<code:code>/excel/", excel_views.sheet_workbook, name="sheet_workbook"),
        path("excel/upload/", excel_views.workbook_upload, name="workbook_upload"),
        path("sheets/<fy:fiscal_year>/<code:code>/", views.sheet_detail, name="sheet_detail"),
        path("sheets/<fy:fiscal_year>/<code:code>/diff/", views.sheet_diff, name="sheet_diff"),
        path("sheets/<fy:fiscal_year>/<code:code>/status/", workflow_views.sheet_status, name="sheet_status"),
        path("sheets/<fy:fiscal_year>/<code:code>/history/", workflow_views.sheet_history, name="sheet_history"),
        path(
            "sheets/<fy:fiscal_year>/<code:code>/history/<int:history_id>/restore/",
            workflow_views.sheet_restore,
            name="sheet_restore",
        ),
        path("compare/", views.compare, name="compare"),
        path("rollup/", views.rollup, name="rollup"),
        path("search/", views.search, name="search"),
        path("improvements/", views.improvement_list, name="improvement_list"),
        path("programs/<code:code>/", views.program_detail, name="program_detail"),
    ]
)
# spans every municipality, so not scoped (no /m/<団体コード>/ form)
urlpatterns += [path("compare/municipalities/", views.compare_municipalities, name="compare_municipalities")]
