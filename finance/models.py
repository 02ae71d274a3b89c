"""予算・決算額等の推移, 予算・決算の内訳, 行政コスト計算書, 財源内訳 and 人件費 of a sheet. Money is integer 千円."""

from decimal import Decimal

from django.core.validators import MaxValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from evalsheets.lib.fiscal_years import fiscal_year_field
from evalsheets.lib.formatting import era_fiscal_year
from evalsheets.lib.rates import execution_rate
from finance import choices


class BudgetYear(models.Model):
    """One column of 予算・決算額等の推移: the budget and settlement of one fiscal year."""

    sheet = models.ForeignKey("programs.Sheet", on_delete=models.CASCADE, related_name="budget_years")
    fiscal_year = fiscal_year_field("年度")
    budget = models.PositiveBigIntegerField("予算額（千円）", null=True, blank=True)
    settlement = models.PositiveBigIntegerField("決算額（千円）", null=True, blank=True)
    settlement_is_estimate = models.BooleanField("決算は見込み", default=False)
    history = HistoricalRecords(verbose_name="予算・決算額履歴")

    class Meta:
        verbose_name = verbose_name_plural = "予算・決算額等の推移"
        ordering = ["fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "fiscal_year"], name="budgetyear_unique_year"),
            models.CheckConstraint(condition=models.Q(budget__gte=0), name="budgetyear_budget_non_negative"),
            models.CheckConstraint(condition=models.Q(settlement__gte=0), name="budgetyear_settlement_non_negative"),
        ]

    def __str__(self) -> str:
        return era_fiscal_year(self.fiscal_year)

    @property
    def execution_rate(self) -> Decimal | None:
        """執行率 (%) of this row's figures (evalsheets.lib.rates); for a 見込み it is the estimate's rate, which
        pages and the API show apart (marked) or leave out: use it together with settlement_is_estimate."""
        return execution_rate(budget=self.budget, settlement=self.settlement)


class BreakdownLine(models.Model):
    """One line of 予算・決算の内訳: 節, 主な事項 and the amount for a year's 決算 or 予算."""

    sheet = models.ForeignKey("programs.Sheet", on_delete=models.CASCADE, related_name="breakdown_lines")
    fiscal_year = fiscal_year_field("年度")
    kind = models.CharField("区分", max_length=10, choices=choices.BreakdownKind.choices)
    position = models.PositiveSmallIntegerField("順序", default=0)
    expense_class = models.CharField("節", max_length=50)
    description = models.CharField("主な事項", max_length=200, blank=True)
    amount = models.PositiveBigIntegerField("金額（千円）")
    history = HistoricalRecords(verbose_name="予算・決算の内訳履歴")

    class Meta:
        verbose_name = verbose_name_plural = "予算・決算の内訳"
        ordering = ["fiscal_year", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="breakdownline_amount_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{era_fiscal_year(self.fiscal_year)} {self.expense_class} {self.description}"


class CostLine(models.Model):
    """One 勘定科目 of the 行政コスト計算書 for one fiscal year."""

    sheet = models.ForeignKey("programs.Sheet", on_delete=models.CASCADE, related_name="cost_lines")
    fiscal_year = fiscal_year_field("年度")
    account = models.CharField("勘定科目", max_length=30, choices=choices.CostAccount.choices)
    amount = models.BigIntegerField("金額（千円）", default=0)
    history = HistoricalRecords(verbose_name="行政コスト計算書履歴")

    class Meta:
        verbose_name = verbose_name_plural = "行政コスト計算書"
        ordering = ["fiscal_year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "fiscal_year", "account"], name="costline_unique_account_year"),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0) | models.Q(account=choices.CostAccount.FINANCIAL),
                name="costline_amount_non_negative_except_financial",
            ),
        ]

    def __str__(self) -> str:
        return f"{era_fiscal_year(self.fiscal_year)} {self.get_account_display()}"

    @property
    def section(self) -> str:
        return choices.ACCOUNT_SECTION[self.account]


class StatedCostTotal(models.Model):
    """A total as printed on the source form. Kept only to check the computed total against it."""

    sheet = models.ForeignKey("programs.Sheet", on_delete=models.CASCADE, related_name="stated_cost_totals")
    fiscal_year = fiscal_year_field("年度")
    item = models.CharField("項目", max_length=30, choices=choices.CostTotal.choices)
    amount = models.BigIntegerField("記載額（千円）")

    class Meta:
        verbose_name = verbose_name_plural = "行政コスト計算書の記載合計"
        ordering = ["fiscal_year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "fiscal_year", "item"], name="statedcosttotal_unique_item"),
        ]

    def __str__(self) -> str:
        return f"{era_fiscal_year(self.fiscal_year)} {self.get_item_display()}"


def _printed_decimal(verbose_name: str) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=18, decimal_places=3, null=True, blank=True)


def _decimals(verbose_name: str) -> models.PositiveSmallIntegerField:
    """Digits after the point as printed (0.80 → 2), so the figure is shown as on the form."""
    return models.PositiveSmallIntegerField(verbose_name, default=0, validators=[MaxValueValidator(3)])


class FundingYear(models.Model):
    """財源内訳 of one fiscal year and basis (予算/決算/見込み): the five sources; a blank source is not reported."""

    sheet = models.ForeignKey("programs.Sheet", on_delete=models.CASCADE, related_name="funding_years")
    fiscal_year = fiscal_year_field("年度")
    basis = models.CharField("区分", max_length=10, choices=choices.AmountBasis.choices)
    national = models.PositiveBigIntegerField("国庫支出金（千円）", null=True, blank=True)
    prefectural = models.PositiveBigIntegerField("都道府県支出金（千円）", null=True, blank=True)
    bonds = models.PositiveBigIntegerField("地方債（千円）", null=True, blank=True)
    other_specific = models.PositiveBigIntegerField("その他特定財源（千円）", null=True, blank=True)
    general = models.PositiveBigIntegerField("一般財源（千円）", null=True, blank=True)
    history = HistoricalRecords(verbose_name="財源内訳履歴")

    class Meta:
        verbose_name = verbose_name_plural = "財源内訳"
        ordering = ["fiscal_year", "basis"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "fiscal_year", "basis"], name="fundingyear_unique_year_basis"),
        ]

    def __str__(self) -> str:
        return f"{era_fiscal_year(self.fiscal_year)} {self.get_basis_display()}"


class PersonnelCost(models.Model):
    """人件費 of one fiscal year and basis: 人工 (persons, as printed), 業務時間 and the amount."""

    sheet = models.ForeignKey("programs.Sheet", on_delete=models.CASCADE, related_name="personnel_costs")
    fiscal_year = fiscal_year_field("年度")
    basis = models.CharField("区分", max_length=10, choices=choices.AmountBasis.choices)
    persons = _printed_decimal("人工（人）")
    persons_decimals = _decimals("人工の小数桁数")
    hours = _printed_decimal("業務時間")
    hours_decimals = _decimals("業務時間の小数桁数")
    amount = models.PositiveBigIntegerField("人件費（千円）", null=True, blank=True)
    history = HistoricalRecords(verbose_name="人件費履歴")

    class Meta:
        verbose_name = verbose_name_plural = "人件費"
        ordering = ["fiscal_year", "basis"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "fiscal_year", "basis"], name="personnelcost_unique_year_basis"),
            models.CheckConstraint(condition=models.Q(persons__gte=0), name="personnelcost_persons_non_negative"),
            models.CheckConstraint(condition=models.Q(hours__gte=0), name="personnelcost_hours_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{era_fiscal_year(self.fiscal_year)} {self.get_basis_display()}"
