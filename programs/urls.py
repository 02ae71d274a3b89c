from django.urls import path, register_converter

from evalsheets.lib.params import FiscalYearConverter
from programs import excel_views, views

register_converter(FiscalYearConverter, "fy")

app_name = "programs"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("sheets/", views.SheetListView.as_view(), name="sheet_list"),
    path("sheets/excel/", excel_views.sheets_workbook, name="sheets_workbook"),
    path("sheets/blank.xlsx", excel_views.blank_template, name="blank_template"),
    path("sheets/<fy:fiscal_year>/<str:code>/excel/", excel_views.sheet_workbook, name="sheet_workbook"),
    path("excel/upload/", excel_views.workbook_upload, name="workbook_upload"),
    path("sheets/<fy:fiscal_year>/<str:code>/", views.sheet_detail, name="sheet_detail"),
    path("compare/", views.compare, name="compare"),
    path("rollup/", views.rollup, name="rollup"),
    path("programs/<str:code>/", views.program_detail, name="program_detail"),
]
