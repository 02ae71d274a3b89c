"""Finance inlines of the sheet change page (programs/admin.py)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from evalsheets.lib.admin import ChildTabularInline, EraYearsAndAmounts
from finance.models import BreakdownLine, BudgetYear, CostLine, FundingYear, PersonnelCost, StatedCostTotal


class BudgetYearInline(ChildTabularInline):
    model = BudgetYear
    fields = ["fiscal_year", "budget", "settlement", "settlement_is_estimate", "execution_rate_display"]
    readonly_fields = ["execution_rate_display"]

    def execution_rate_display(self, obj: BudgetYear) -> str:
        rate = obj.execution_rate if obj.pk else None
        if rate is None:
            return "—"
        return f"（{rate}%）見込み" if obj.settlement_is_estimate else f"{rate}%"  # an estimate's rate is never final

    execution_rate_display.short_description = "執行率（計算値）"


class BreakdownLineInline(ChildTabularInline):
    model = BreakdownLine
    fields = ["fiscal_year", "kind", "position", "expense_class", "description", "amount"]


class CostLineInline(ChildTabularInline):
    model = CostLine
    fields = ["fiscal_year", "account", "amount"]


class StatedCostTotalInline(ChildTabularInline):
    model = StatedCostTotal
    fields = ["fiscal_year", "item", "amount"]
    verbose_name_plural = "行政コスト計算書の記載合計（原本の印字値。計算値との照合用）"


class FundingYearInline(ChildTabularInline):
    model = FundingYear
    fields = ["fiscal_year", "basis", "national", "prefectural", "bonds", "other_specific", "general"]
    verbose_name_plural = "財源内訳（空欄は記載なし。都道府県支出金は都・道・府・県支出金）"


class PersonnelCostInline(ChildTabularInline):
    model = PersonnelCost
    fields = ["fiscal_year", "basis", "persons", "persons_decimals", "hours", "hours_decimals", "amount"]
    verbose_name_plural = "人件費（総事業費 = 事業費 + 人件費 は計算値）"


@admin.register(BudgetYear)
class BudgetYearAdmin(EraYearsAndAmounts, SimpleHistoryAdmin):
    """予算・決算額 rows on their own, so each figure's history (who changed what, when) can be read."""

    list_display = ["sheet", "fiscal_year", "budget", "settlement", "settlement_is_estimate"]
    list_filter = ["fiscal_year", "sheet__fiscal_year"]
    list_select_related = ["sheet__program"]
    search_fields = ["sheet__program__code", "sheet__name"]
    raw_id_fields = ["sheet"]
