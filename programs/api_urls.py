from django.urls import path

from programs import api
from programs.urls import FiscalYearConverter  # noqa: F401 - registers the "fy" converter

app_name = "api"
urlpatterns = [
    path("sheets/", api.sheet_list, name="sheet_list"),
    path("sheets/<fy:fiscal_year>/<str:code>/", api.sheet_detail, name="sheet_detail"),
]
