"""CSV downloads of analytics tables (tablib, UTF-8 with BOM for Excel)."""

import tablib
from django.http import HttpResponse


def csv_response(table: dict, *, filename: str) -> HttpResponse:
    dataset = tablib.Dataset(*[tuple("" if v is None else v for v in row) for row in table["rows"]], headers=table["headers"])
    response = HttpResponse("\ufeff" + dataset.export("csv"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
