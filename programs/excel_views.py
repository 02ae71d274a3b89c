"""Excel downloads (one sheet, the filtered /sheets/ list, a blank form) and the admin upload."""

import io

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from evalsheets.lib.fiscal_years import MAX_FISCAL_YEAR, MIN_FISCAL_YEAR
from evalsheets.lib.params import fiscal_year_from_query
from programs import selectors
from programs.documents import DocumentError
from programs.filtersets import SheetFilterSet
from programs.forms import WorkbookUploadForm
from programs.interchange.serializer import sheet_document
from programs.interchange.workbook import (
    XLSX_CONTENT_TYPE,
    blank_template_bytes,
    default_fiscal_year,
    workbook_load,
    workbook_write,
)
from programs.municipalities import sheet_or_404

UPLOAD_PERMISSIONS = ("programs.add_sheet", "programs.change_sheet")


def _bad_request(message: str) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def _xlsx(data: bytes, filename: str) -> FileResponse:
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


@require_GET
def sheet_workbook(request, fiscal_year: int, code: str, municipality: str | None = None):
    """One sheet as an .xlsx laid out like the printed form."""
    sheet = sheet_or_404(
        selectors.sheet_document_queryset(viewer=request.user), municipality=municipality, fiscal_year=fiscal_year, code=code
    )
    return _xlsx(workbook_write([sheet_document(sheet)]), f"{code}_{fiscal_year}.xlsx")


@login_required
@require_GET
def sheets_workbook(request, municipality: str | None = None):
    """Every sheet matching the /sheets/ filters (same query string), one worksheet per sheet; for logged-in users
    only (one request builds a workbook of every sheet: not for anonymous crawlers). At most as many sheets as an
    uploaded workbook may hold worksheets (EVALSHEETS_UPLOAD_MAX_WORKSHEETS, 200): a workbook is built in memory, a
    sheet at a time (about 30–60 ms each), so the cap keeps every request well inside the worker timeout, and a
    larger workbook could not be uploaded back anyway. Over it: a 400 asking to narrow the filters."""
    filterset = SheetFilterSet(request.GET, queryset=selectors.sheet_table_queryset(viewer=request.user), request=request)
    if not filterset.is_valid():
        fields = filterset.form.fields
        errors = "; ".join(f"{fields[name].label}: {' '.join(messages)}" for name, messages in filterset.errors.items())
        return _bad_request(f"絞り込みの条件を確認してください（{errors}）")
    limit = settings.EVALSHEETS_UPLOAD_MAX_WORKSHEETS
    ids = list(filterset.qs.values_list("pk", flat=True)[: limit + 1])
    if len(ids) > limit:
        return _bad_request(
            f"様式Excelは{limit:,}シートまでです（条件に合うシートは{filterset.qs.count():,}件）。"
            "年度・課・施策などで絞り込んでください。一覧の表はCSV/XLSXで件数の上限なくダウンロードできます。"
        )
    sheets = selectors.sheet_document_queryset(viewer=request.user).filter(pk__in=ids).order_by("-fiscal_year", "program__code")
    return _xlsx(workbook_write([sheet_document(sheet) for sheet in sheets]), "evalsheets_forms.xlsx")


def _requested_fiscal_year(value: str) -> int | None:
    if not value:
        return default_fiscal_year()
    year = fiscal_year_from_query(value)
    return year if year is not None and MIN_FISCAL_YEAR <= year <= MAX_FISCAL_YEAR else None


@require_GET
def blank_template(request, municipality: str | None = None):
    """An empty form for a new program; ?fiscal_year=2022 sets the year heads (default: the latest year)."""
    fiscal_year = _requested_fiscal_year(request.GET.get("fiscal_year", ""))
    if fiscal_year is None:
        return _bad_request("fiscal_year は西暦4桁の年度で指定してください（例: 2021）")
    return _xlsx(blank_template_bytes(fiscal_year), f"evalsheets_blank_{fiscal_year}.xlsx")


@require_http_methods(["GET", "POST"])
def workbook_upload(request, municipality: str | None = None):
    """Read an uploaded workbook and create/update all its sheets in one transaction; on any error, nothing changes.
    A visitor who is not logged in as staff gets a page saying why an editor's login is needed, with the login link
    (403; not a silent redirect to the admin login)."""
    if not request.user.is_staff:
        return render(request, "programs/workbook_upload_login.html", status=403)
    if not request.user.has_perms(UPLOAD_PERMISSIONS):
        raise PermissionDenied("シートの追加・変更の権限がありません")
    form = WorkbookUploadForm(request.POST or None, request.FILES or None)
    results, error = None, None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            results = workbook_load(file=upload, name=upload.name)
        except DocumentError as exc:
            error = exc
    context = {
        **admin.site.each_context(request),
        "title": "Excel ブックからシートを読み込む",
        "form": form,
        "results": results,
        "error": error,
    }
    status = 400 if error or (request.method == "POST" and not form.is_valid()) else 200
    return render(request, "programs/workbook_upload.html", context, status=status)
