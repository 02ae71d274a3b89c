"""CSV downloads of analytics tables (tablib, UTF-8 with BOM for Excel, formula-safe: lib/spreadsheet_safety)."""

import tablib
from django.http import HttpResponse

from evalsheets.lib.spreadsheet_safety import csv_text


def csv_response(table: dict, *, filename: str) -> HttpResponse:
    dataset = tablib.Dataset(*[tuple(row) for row in table["rows"]], headers=table["headers"])
    response = HttpResponse(csv_text(dataset), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
