"""/sheets/<fy>/<code>/diff/: what changed in a program's sheet from one year to another (programs/sheet_diff.py)."""

from django.conf import settings
from django.http import Http404

from evalsheets.lib.formatting import era_fiscal_year
from evalsheets.lib.params import fiscal_year_from_query
from programs import selectors
from programs.interchange.serializer import sheet_document
from programs.profiles import municipality_form
from programs.sheet_diff import sheet_diff


def diff_years(*, fiscal_year: int, query) -> tuple[int, int]:
    """(from, to): ?from=&to= (four-digit years, from before to), by default the URL's year and the year before.
    Anything else is a 404: a year that is not one, the same year twice, or from after to."""
    raw_from, raw_to = query.get("from"), query.get("to")
    new = fiscal_year if raw_to is None else fiscal_year_from_query(raw_to)
    if new is None:
        raise Http404("to は西暦4桁の年度です")
    old = new - 1 if raw_from is None else fiscal_year_from_query(raw_from)
    if old is None:
        raise Http404("from は西暦4桁の年度です")
    if old >= new:
        raise Http404(f"比較する年度は from（{era_fiscal_year(old)}）が to（{era_fiscal_year(new)}）より前の年度です")
    return old, new


def sheet_diff_context(*, viewer, municipality: str | None, code: str, fiscal_year: int, query) -> dict:
    """Both sheets through the visibility selectors (a year the viewer may not read is a 404, as its sheet page is),
    each as its document, compared section by section."""
    old_year, new_year = diff_years(fiscal_year=fiscal_year, query=query)
    sheets = selectors.sheet_pair(
        viewer=viewer,
        municipality_code=municipality or settings.EVALSHEETS_DEFAULT_MUNICIPALITY,
        code=code,
        fiscal_years=(old_year, new_year),
    )
    if old_year not in sheets or new_year not in sheets:
        raise Http404("比較するシートがありません")
    old, new = sheets[old_year], sheets[new_year]
    form = municipality_form(new.program.municipality)
    diff = sheet_diff(
        sheet_document(old),
        sheet_document(new),
        labels=form.labels,
        level_names=form.level_names,
        choice_label=form.choice_label,
    )
    return {"sheet": new, "old_sheet": old, "form": form, "diff": diff}
