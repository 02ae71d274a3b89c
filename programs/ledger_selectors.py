"""ORM reads of the 改善策 follow-up ledger (/improvements/): the trails' newest rows, filtered in the database, and the
rows of the trails on one page. Only sheets `viewer` may read count (selectors.visible_sheets): a row on a sheet the
public may not see is not listed, and a trail then ends at its newest visible row."""

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Abs, Coalesce

from indicators.choices import Direction, IndicatorKind
from indicators.models import Indicator, IndicatorValue
from programs.choices import ImprovementStatus
from programs.improvements import CLOSED, effective_status_expression, promised_q
from programs.models import Improvement, Municipality
from programs.selectors import visible_sheets

TRAIL_COLUMNS = ["id", "previous_id", "sheet_id", "sheet__fiscal_year", "sheet__program__code", "number"]
TRAIL_COLUMNS += ["plan", "result", "next", "status", "proposed_status", "indicator_id"]


def ledger_rows(*, viewer, municipality: Municipality, year_to: int | None = None) -> QuerySet[Improvement]:
    """The newest row of each trail (as it stood in `year_to`, when given) of the municipality's sheets `viewer` may
    read: a row with no following row on a readable sheet (of `year_to` or earlier). Annotated with `effective`
    (the status shown) and ordered by 部, 課, code and number."""
    sheets = visible_sheets(viewer=viewer, municipality=municipality)
    later = Improvement.objects.filter(previous=OuterRef("pk"), sheet__in=visible_sheets(viewer=viewer))
    rows = Improvement.objects.filter(sheet__in=sheets)
    if year_to is not None:
        rows, later = rows.filter(sheet__fiscal_year__lte=year_to), later.filter(sheet__fiscal_year__lte=year_to)
    return (
        rows.filter(~Exists(later))
        .select_related("sheet__program", "sheet__section__department", "previous")
        .annotate(effective=effective_status_expression())
        .order_by("sheet__section__department__name", "sheet__section__name", "sheet__program__code", "number", "pk")
    )


def promised_not_done(rows: QuerySet[Improvement]) -> QuerySet[Improvement]:
    """約束したが完了報告なし: a promise carried from last year's 「当年度以降」 (improvements.promised_q) whose status is
    neither 完了 nor 見送り (計画, 実施中, or none at all)."""
    return rows.filter(promised_q()).exclude(effective__in=CLOSED)


def related_indicator_expression():
    """The 成果指標 an improvement is about: the one chosen in the admin, else the 成果指標 of the same number on the
    same sheet (NULL when there is none)."""
    same_number = Indicator.objects.filter(sheet=OuterRef("sheet"), kind=IndicatorKind.OUTCOME, number=OuterRef("number"))
    return Coalesce(F("indicator_id"), Subquery(same_number.values("pk")[:1]))


def _value_in(year_offset: int):
    year = OuterRef("sheet__fiscal_year") if year_offset == 0 else OuterRef("sheet__fiscal_year") - year_offset
    return Subquery(IndicatorValue.objects.filter(indicator=OuterRef("related_indicator"), fiscal_year=year).values("value")[:1])


def done_indicator_fell(rows: QuerySet[Improvement]) -> QuerySet[Improvement]:
    """完了したが指標が悪化: status 完了 and the related indicator (related_indicator_expression) moved the wrong way
    from the year before the work (sheet year − 2) to the year of the work (sheet year − 1: the sheet reports what was
    done in its previous year), both values as the row's own sheet reports them: down for 増加が望ましい, up for
    減少が望ましい, further from zero for ゼロを維持; never for 方向なし or when a value is missing."""
    direction = Subquery(Indicator.objects.filter(pk=OuterRef("related_indicator")).values("direction")[:1])
    annotated = rows.annotate(related_indicator=related_indicator_expression()).annotate(
        value_work=_value_in(1), value_before=_value_in(2), related_direction=direction
    )
    fell = (
        Q(related_direction=Direction.UP, value_work__lt=F("value_before"))
        | Q(related_direction=Direction.DOWN, value_work__gt=F("value_before"))
        | Q(related_direction=Direction.ZERO, work_distance__gt=F("before_distance"))
    )
    annotated = annotated.annotate(work_distance=Abs("value_work"), before_distance=Abs("value_before"))
    return annotated.filter(effective=ImprovementStatus.DONE).filter(fell)


def status_counts(rows: QuerySet[Improvement]) -> dict[str, int]:
    """How many of `rows` have each status shown ("" for none), in one query."""
    counted = rows.order_by().values("effective").annotate(n=Count("pk")).values_list("effective", "n")
    return dict(counted)


def trail_rows(*, viewer, municipality: Municipality, codes: list[str], year_to: int | None = None) -> list[dict]:
    """Every readable 改善策 row of these programs (of `year_to` or earlier), as dicts, oldest sheet first (one query):
    the page walks each trail back from its newest row through `previous_id`."""
    rows = Improvement.objects.filter(
        sheet__in=visible_sheets(viewer=viewer, municipality=municipality), sheet__program__code__in=codes
    )
    if year_to is not None:
        rows = rows.filter(sheet__fiscal_year__lte=year_to)
    return list(rows.order_by("sheet__fiscal_year", "number").values(*TRAIL_COLUMNS))
