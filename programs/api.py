"""Read-only JSON API: /api/sheets/ (list) and /api/sheets/<fy>/<code>/ (the whole sheet)."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from evalsheets.lib.params import fiscal_year_from_query, is_municipality_code, is_program_code
from evalsheets.lib.rates import execution_rate, unused_amount
from programs import selectors
from programs.interchange.serializer import sheet_document, sheet_summary
from programs.municipalities import list_municipality, sheet_or_404

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


def _json(data, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def _error(message: str, field: str) -> JsonResponse:
    return _json({"error": message, "field": field}, status=400)


@require_GET
def sheet_list(request, municipality: str | None = None):
    """Every municipality's sheets (each names its `municipality`), or one: /api/m/<団体コード>/sheets/ or
    ?municipality=<団体コード>."""
    params = request.GET
    raw_municipality = params.get("municipality", "")
    if raw_municipality and not is_municipality_code(raw_municipality):
        return _error("municipality は6桁の団体コードで指定してください（例: 131181）", "municipality")
    scope = list_municipality(request, municipality)
    raw_year = params.get("fiscal_year", "")
    fiscal_year = fiscal_year_from_query(raw_year)
    if raw_year and fiscal_year is None:
        return _error("fiscal_year は西暦4桁の年度で指定してください（例: 2021）", "fiscal_year")
    page_size = params.get("page_size", str(PAGE_SIZE))
    if not (page_size.isascii() and page_size.isdigit() and len(page_size) <= 4 and 1 <= int(page_size) <= MAX_PAGE_SIZE):
        return _error(f"page_size は 1〜{MAX_PAGE_SIZE} で指定してください", "page_size")
    code = params.get("code", "")
    if code and not is_program_code(code):
        return _error("code は事務事業コードで指定してください（例: 03-04-01）。制御文字と / は使えません", "code")
    queryset = selectors.sheet_api_list(viewer=request.user, municipality=scope, fiscal_year=fiscal_year, code=code)
    paginator = Paginator(queryset, int(page_size))
    try:
        page = paginator.page(params.get("page", 1))
    except (PageNotAnInteger, EmptyPage):
        return _error(f"page は 1〜{paginator.num_pages} で指定してください", "page")

    def link(number):
        query = params.copy()
        query["page"] = number
        return f"{reverse('api:sheet_list', kwargs={'municipality': municipality} if municipality else {})}?{query.urlencode()}"

    return _json(
        {
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "next": link(page.next_page_number()) if page.has_next() else None,
            "previous": link(page.previous_page_number()) if page.has_previous() else None,
            "results": [
                sheet_summary(
                    sheet,
                    budget=sheet.own_budget,
                    settlement=sheet.own_settlement,
                    settlement_is_estimate=sheet.own_settlement_is_estimate,
                )
                | _latest_settled(sheet)
                for sheet in page.object_list
            ],
        }
    )


def _latest_settled(sheet) -> dict:
    """The sheet's latest year with a final settlement (never a 見込み) and its figures."""
    rate = execution_rate(budget=sheet.latest_settled_budget, settlement=sheet.latest_settled_settlement)
    return {
        "latest_settled_year": sheet.latest_settled_year,
        "latest_settled_budget": sheet.latest_settled_budget,
        "latest_settled_settlement": sheet.latest_settled_settlement,
        "latest_unused": unused_amount(budget=sheet.latest_settled_budget, settlement=sheet.latest_settled_settlement),
        "latest_execution_rate": None if rate is None else float(rate),
    }


@require_GET
def sheet_detail(request, fiscal_year: int, code: str, municipality: str | None = None):
    """One sheet: /api/sheets/<fy>/<code>/ (the default municipality) or /api/m/<団体コード>/sheets/<fy>/<code>/."""
    queryset = selectors.sheet_document_queryset(viewer=request.user)
    sheet = sheet_or_404(queryset, municipality=municipality, fiscal_year=fiscal_year, code=code)
    return _json(sheet_document(sheet))
