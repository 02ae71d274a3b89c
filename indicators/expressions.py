"""Indicator achievement as a database expression, so tables can sort and filter by it.

Same rules as indicators.analytics.achievement (tests check that both agree on the seed data): no achievement
(NULL, never 0) without a target or with direction none (方向なし).
"""

from django.db.models import Avg, Case, F, FloatField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Abs, Cast, Greatest

from indicators.choices import Direction, IndicatorKind
from indicators.models import Indicator, IndicatorValue


def achievement_expression(value, target, direction="direction"):
    v = Cast(value, FloatField())
    t = Cast(target, FloatField())
    hundred = Value(100.0)
    zero = Value(0.0)
    return Case(
        When(Q(target__isnull=True) | Q(_latest__isnull=True) | Q(**{f"{direction}": Direction.NONE}), then=None),
        When(Q(**{f"{direction}": Direction.ZERO}) & Q(_latest=0), then=hundred),
        When(Q(**{f"{direction}": Direction.ZERO}), then=zero),
        When(Q(**{f"{direction}": Direction.UP}, target__gt=0), then=v * hundred / t),
        When(Q(**{f"{direction}": Direction.DOWN}, _latest__lte=F("target")), then=hundred),
        When(Q(**{f"{direction}": Direction.DOWN}, target__gt=0, _latest__gt=0), then=t * hundred / v),
        When(
            Q(**{f"{direction}": Direction.DOWN}) & ~Q(target=0),
            then=Greatest(zero, hundred - (v - t) * hundred / Abs(t)),
        ),
        When(Q(**{f"{direction}": Direction.DOWN}), then=zero),
        default=None,
        output_field=FloatField(),
    )


def latest_value_subquery():
    """The newest yearly value of the indicator in the outer query."""
    return Subquery(IndicatorValue.objects.filter(indicator=OuterRef("pk")).order_by("-fiscal_year").values("value")[:1])


def indicators_with_achievement(queryset=None):
    """Indicators annotated with `_latest` (newest value) and `achievement` (%)."""
    queryset = queryset if queryset is not None else Indicator.objects.all()
    return queryset.annotate(_latest=latest_value_subquery()).annotate(
        achievement=achievement_expression(F("_latest"), F("target"))
    )


def sheet_achievement_subquery():
    """Average achievement (%) of the outer sheet's 成果指標 that have a value and a target (NULL when none has):
    活動指標 and 対象指標 do not count, nor do indicators without a direction (方向なし)."""
    judged = Indicator.objects.filter(sheet=OuterRef("pk"), kind=IndicatorKind.OUTCOME, target__isnull=False).exclude(
        direction=Direction.NONE
    )
    per_sheet = indicators_with_achievement(judged).values("sheet").annotate(average=Avg("achievement")).values("average")
    return Subquery(per_sheet, output_field=FloatField())
