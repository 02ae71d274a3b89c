"""/search/: the sheets whose texts hold every word typed, ranked, each with its name and a snippet marking the words."""

from django.core.paginator import Paginator

from programs import selectors
from programs.forms import SearchForm
from programs.models import Municipality
from programs.search import search_hits, search_sheets

PER_PAGE = 20


def search_context(form: SearchForm, *, viewer, municipality: Municipality | None, page: str | None) -> dict:
    """The results of a valid query (a page of them: past the end, the last page); none for an empty or invalid one."""
    query = form.cleaned_data["q"] if form.is_valid() else ""
    context = {"form": form, "query": query, "municipality": municipality, "page_obj": None, "hits": []}
    if not query:
        return context
    sheets = search_sheets(selectors.sheet_search_queryset(viewer=viewer, municipality=municipality), query)
    page_obj = Paginator(sheets, PER_PAGE).get_page(page)
    return {**context, "page_obj": page_obj, "hits": search_hits(page_obj.object_list, query)}
