"""Indicators of three kinds (活動指標 / 対象指標 / 成果指標) and 実績の推移 (荒川区's activity figures), each with yearly
values."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from evalsheets.lib.fiscal_years import fiscal_year_field
from evalsheets.lib.formatting import circled, era_fiscal_year, printed_number
from indicators.choices import Direction, IndicatorKind


def decimal_value_field(verbose_name: str, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=18, decimal_places=3, **kwargs)


def decimals_field() -> models.PositiveSmallIntegerField:
    """Digits after the point as printed (3.0 → 1, 34,911 → 0), so the value is shown as on the form."""
    return models.PositiveSmallIntegerField("小数桁数", default=0, validators=[MaxValueValidator(3)])


class YearlyValue(models.Model):
    """One year's figure of an indicator or activity item, with the precision it is printed in."""

    fiscal_year = fiscal_year_field("年度")
    value = decimal_value_field("値")
    decimals = decimals_field()
    is_estimate = models.BooleanField("見込み", default=False)

    class Meta:
        abstract = True
        ordering = ["fiscal_year"]

    def __str__(self) -> str:
        return f"{era_fiscal_year(self.fiscal_year)}: {printed_number(self.value, self.decimals)}"


class Indicator(models.Model):
    """One indicator of a sheet: a 成果指標 (事務事業の成果とする指標 ①②③ on 荒川区's form), 活動指標 or 対象指標,
    numbered 1, 2, 3 … within its kind."""

    sheet = models.ForeignKey("programs.Sheet", on_delete=models.CASCADE, related_name="indicators")
    kind = models.CharField("種別", max_length=10, choices=IndicatorKind.choices, default=IndicatorKind.OUTCOME)
    number = models.PositiveSmallIntegerField("番号", validators=[MinValueValidator(1)])
    name = models.CharField("指標名", max_length=200)
    unit = models.CharField("単位", max_length=20, blank=True)
    description = models.TextField("指標に関する説明", blank=True)
    direction = models.CharField("望ましい方向", max_length=10, choices=Direction.choices, default=Direction.UP)
    target = decimal_value_field("目標値", null=True, blank=True)
    target_decimals = decimals_field()
    target_fiscal_year = fiscal_year_field("目標年度", null=True, blank=True)
    history = HistoricalRecords(verbose_name="指標履歴")

    class Meta:
        verbose_name = verbose_name_plural = "指標（活動指標・対象指標・成果指標）"
        ordering = ["kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "kind", "number"], name="indicator_unique_kind_number"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="indicator_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.mark} {self.name}"

    @property
    def mark(self) -> str:
        return circled(self.number)


class IndicatorValue(YearlyValue):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    history = HistoricalRecords(verbose_name="指標の推移履歴")

    class Meta(YearlyValue.Meta):
        verbose_name = verbose_name_plural = "指標の推移"
        constraints = [models.UniqueConstraint(fields=["indicator", "fiscal_year"], name="indicatorvalue_unique_year")]


class ActivityItem(models.Model):
    """One row of 実績の推移, optionally under a parent row (・光ファイバ under 施設数（合計）)."""

    sheet = models.ForeignKey("programs.Sheet", on_delete=models.CASCADE, related_name="activity_items")
    position = models.PositiveSmallIntegerField("順序", default=0)
    name = models.CharField("事項名", max_length=200)
    unit = models.CharField("単位", max_length=20, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name="親項目"
    )
    history = HistoricalRecords(verbose_name="実績の推移履歴")

    class Meta:
        verbose_name = verbose_name_plural = "実績の推移"
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["sheet", "name"], name="activityitem_unique_name")]

    def __str__(self) -> str:
        return self.name


class ActivityValue(YearlyValue):
    item = models.ForeignKey(ActivityItem, on_delete=models.CASCADE, related_name="values")
    history = HistoricalRecords(verbose_name="実績値履歴")

    class Meta(YearlyValue.Meta):
        verbose_name = verbose_name_plural = "実績値"
        constraints = [models.UniqueConstraint(fields=["item", "fiscal_year"], name="activityvalue_unique_year")]
