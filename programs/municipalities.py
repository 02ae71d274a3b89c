"""Which municipality a request is about: /m/<団体コード>/… in the URL, ?municipality= on a list, or the default.

A detail URL without a municipality (/sheets/2021/03-04-01/) means settings.EVALSHEETS_DEFAULT_MUNICIPALITY; a list
or export without one lists every municipality. An unknown or malformed 団体コード is a 404.
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404

from evalsheets.lib.params import is_municipality_code
from programs.models import Municipality


def url_municipality(code: str | None) -> Municipality:
    """The municipality of a detail page: the URL's /m/<団体コード>/, else the default municipality."""
    return get_object_or_404(Municipality, code=code or settings.EVALSHEETS_DEFAULT_MUNICIPALITY)


def list_municipality(request, code: str | None) -> Municipality | None:
    """The municipality a list page is filtered to (/m/<団体コード>/ or ?municipality=), None for every municipality."""
    code = code or request.GET.get("municipality", "")
    if not code:
        return None
    if not is_municipality_code(code):
        raise Http404("団体コードは6桁の数字です")
    return get_object_or_404(Municipality, code=code)


def scope_municipality(request, code: str | None) -> Municipality:
    """A page that works within one municipality (compare, roll-up, program): the filter, else the default."""
    return list_municipality(request, code) or url_municipality(None)


def sheet_or_404(queryset, *, municipality: str | None, fiscal_year: int, code: str):
    """The sheet of a detail URL (/sheets/<fy>/<code>/ or /m/<団体コード>/sheets/<fy>/<code>/) from `queryset`."""
    return get_object_or_404(
        queryset,
        program__municipality__code=municipality or settings.EVALSHEETS_DEFAULT_MUNICIPALITY,
        fiscal_year=fiscal_year,
        program__code=code,
    )
