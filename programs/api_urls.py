from django.urls import path

from programs import api
from programs.urls import scoped  # registers the "fy", "code" and "muni" converters too

app_name = "api"
urlpatterns = scoped(
    [
        path("sheets/", api.sheet_list, name="sheet_list"),
        path("sheets/<fy:fiscal_year>/<code:code>/", api.sheet_detail, name="sheet_detail"),
    ]
)
