"""Finance inlines of the sheet change page (programs/admin.py)."""

import nested_admin

from finance.models import BreakdownLine, BudgetYear, CostLine, StatedCostTotal


class BudgetYearInline(nested_admin.NestedTabularInline):
    model = BudgetYear
    extra = 0
    fields = ["fiscal_year", "budget", "settlement", "settlement_is_estimate", "execution_rate_display"]
    readonly_fields = ["execution_rate_display"]

    def execution_rate_display(self, obj: BudgetYear) -> str:
        rate = obj.execution_rate if obj.pk else None
        return "—" if rate is None else f"{rate}%"

    execution_rate_display.short_description = "執行率（計算値）"


class BreakdownLineInline(nested_admin.NestedTabularInline):
    model = BreakdownLine
    extra = 0
    fields = ["fiscal_year", "kind", "position", "expense_class", "description", "amount"]


class CostLineInline(nested_admin.NestedTabularInline):
    model = CostLine
    extra = 0
    fields = ["fiscal_year", "account", "amount"]


class StatedCostTotalInline(nested_admin.NestedTabularInline):
    model = StatedCostTotal
    extra = 0
    fields = ["fiscal_year", "item", "amount"]
    verbose_name_plural = "行政コスト計算書の記載合計（原本の印字値。計算値との照合用）"
