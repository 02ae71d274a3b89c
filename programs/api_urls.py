from django.urls import path

import programs.urls  # noqa: F401 - registers the "fy" converter
from programs import api

app_name = "api"
urlpatterns = [
    path("sheets/", api.sheet_list, name="sheet_list"),
    path("sheets/<fy:fiscal_year>/<str:code>/", api.sheet_detail, name="sheet_detail"),
]
