from django.urls import path

import programs.urls  # noqa: F401 - registers the "fy" and "code" converters
from programs import api

app_name = "api"
urlpatterns = [
    path("sheets/", api.sheet_list, name="sheet_list"),
    path("sheets/<fy:fiscal_year>/<code:code>/", api.sheet_detail, name="sheet_detail"),
]
